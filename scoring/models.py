"""Scoring's one table: the scorecard of a finished drill, cached."""

from django.conf import settings
from django.db import models

from drills.models import Drill


class Scorecard(models.Model):
    """The computed scorecard, cached: it is a pure function of the finished log, so it never goes stale."""

    drill = models.OneToOneField(Drill, on_delete=models.CASCADE, related_name="scorecard")
    data = models.JSONField()
    last_seq = models.PositiveIntegerField()
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        # The table drills created before scoring owned the model: moving it moved no data.
        db_table = "drills_scorecard"


class Report(models.Model):
    """The after-action report of a finished drill: drafted once from its scorecard, then the instructors' text.

    Beside the log, not in it (ARCHITECTURE "What is not in the log"): it changes after the drill is over.
    """

    drill = models.OneToOneField(Drill, on_delete=models.CASCADE, related_name="report")
    summary = models.TextField(blank=True)
    strengths = models.JSONField(default=list)  # [text]
    improvements = models.JSONField(default=list)  # [{text, owner, due, status}]; due "YYYY-MM-DD" or null
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
