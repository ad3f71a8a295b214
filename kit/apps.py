from django.apps import AppConfig


class KitConfig(AppConfig):
    """The team's crisis kit: response templates prepared ahead of a crisis (PROTOCOL section 2)."""

    name = "kit"
