"""Response templates: holding statements, apologies, updates... written before the crisis, per organization."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Organization


class TemplateKind(models.TextChoices):
    HOLDING = "holding", _("Holding statement")
    APOLOGY = "apology", _("Apology")
    UPDATE = "update", _("Update")
    CORRECTION = "correction", _("Correction")
    MEDIA = "media", _("Media statement")
    DM = "dm", _("Move to direct messages")
    OTHER = "other", _("Other")


class ResponseTemplate(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="response_templates")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=TemplateKind.choices)
    language = models.CharField(max_length=8)  # a BCP-47 primary tag: en, he, fr...
    platforms = models.JSONField(default=list)  # of the format's platforms; empty: fits every platform
    tags = models.JSONField(default=list)
    text = models.TextField()  # placeholders of the scenario format and [[slots]] (kit/text.py)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["organization_id", "name", "id"]
        constraints = [models.UniqueConstraint(fields=["organization", "name"], name="kit_template_name_unique")]

    def __str__(self) -> str:
        return self.name
