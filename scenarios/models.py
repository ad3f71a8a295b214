"""Scenarios as instructors edit them, and the immutable published versions that drills run."""

from django.conf import settings
from django.db import models

from accounts.models import Organization


class Scenario(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="scenarios")
    title = models.CharField(max_length=200)
    language = models.CharField(max_length=16)
    spec = models.JSONField()  # the crisisdrill/v1 document, always valid
    source = models.TextField()  # the author's text `spec` was read from, verbatim (PROTOCOL 1.7)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title", "id"]
        indexes = [models.Index(fields=["organization", "title"])]

    def __str__(self) -> str:
        return self.title


class ScenarioVersion(models.Model):
    """A frozen copy: editing the scenario never changes a version a drill has used."""

    scenario = models.ForeignKey(Scenario, on_delete=models.CASCADE, related_name="versions")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    language = models.CharField(max_length=16)
    spec = models.JSONField()
    source = models.TextField()
    checksum = models.CharField(max_length=64)  # of spec and source: scenarios.source.checksum_of
    published_at = models.DateTimeField(auto_now_add=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["scenario_id", "-number"]
        constraints = [models.UniqueConstraint(fields=["scenario", "number"], name="version_number_unique")]

    def __str__(self) -> str:
        return f"{self.title} v{self.number}"
