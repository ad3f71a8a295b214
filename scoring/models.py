"""Scoring's one table: the scorecard of a finished drill, cached."""

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
