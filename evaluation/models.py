"""Observations (PROTOCOL.md 1.6): what observers and instructors note about a drill. Not drill events: they live
beside the log, never in it, because participants must not see them until the drill is finished."""

from django.conf import settings
from django.db import models

from drills.models import Drill
from scenarios.validation.evaluation import MAX_TASK_KEY_CHARS


class Rating(models.TextChoices):
    PERFORMED = "P"  # performed without challenges
    SOME = "S"  # some challenges
    MAJOR = "M"  # major challenges
    UNABLE = "U"  # unable to be performed


class Observation(models.Model):
    drill = models.ForeignKey(Drill, on_delete=models.CASCADE, related_name="observations")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    text = models.TextField()
    # Null, not "": the protocol's `task` and `rating` are null when not given, and the API says them as stored.
    task = models.CharField(max_length=MAX_TASK_KEY_CHARS, null=True, blank=True)  # noqa: DJ001  (a key of the evaluation)
    rating = models.CharField(max_length=1, choices=Rating.choices, null=True, blank=True)  # noqa: DJ001
    event_seq = models.PositiveIntegerField(null=True, blank=True)  # the log event it is about
    sim_ms = models.BigIntegerField()  # when it was noted, in the drill's simulated time
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["drill_id", "id"]
