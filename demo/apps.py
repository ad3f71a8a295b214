from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo organizations and the project's own scenario library: above accounts and scenarios."""

    name = "demo"
