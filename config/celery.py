"""Celery application: eager in the embedded profile, Redis-backed in the services profile."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("crisisdrill")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# A lost task (worker crash before ack) is found by the sweep and re-armed.
app.conf.beat_schedule = {
    "sweep-running-drills": {"task": "drills.tasks.sweep_running_drills", "schedule": 10.0},
}
