"""Celery application: eager in the embedded profile, Redis-backed in the services profile."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("crisisdrill")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
