"""Live drills: the drill and its clock, seats, the append-only event log, and state kept beside it.

The log (`DrillEvent`) is the truth. `PublishedInject` and `Response` are current state updated in the
same transaction that appends the event describing the change.
"""

from django.conf import settings
from django.db import models

from accounts.models import Organization
from drills.clock import Clock
from scenarios.models import ScenarioVersion


class DrillStatus(models.TextChoices):
    LOBBY = "lobby"
    RUNNING = "running"
    PAUSED = "paused"
    FINISHED = "finished"


class Drill(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="drills")
    version = models.ForeignKey(ScenarioVersion, on_delete=models.PROTECT, related_name="drills")
    title = models.CharField(max_length=200)
    status = models.CharField(max_length=10, choices=DrillStatus.choices, default=DrillStatus.LOBBY)
    speed = models.FloatField(default=1.0)
    clock_running = models.BooleanField(default=False)
    clock_base_sim_ms = models.FloatField(default=0)
    clock_anchor = models.DateTimeField(null=True, blank=True)
    seq = models.PositiveIntegerField(default=0)  # the last appended event's seq
    heat = models.PositiveSmallIntegerField(default=0)  # the last `heat` event value
    next_due_at = models.DateTimeField(null=True, blank=True)
    # The simulated moment from which a bot has a decision to make; null when no bot waits. The engine asks
    # the bots (a query) only from then on, not on every step.
    bots_check_ms = models.BigIntegerField(null=True, blank=True)
    bots = models.JSONField(default=list, blank=True)  # chain roles played by bots
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["organization", "status"]),
            models.Index(fields=["status", "next_due_at"]),
        ]

    # What `events.log_state_save` saves after appends: the log's position, what the engine derives from it,
    # who drives it next.
    LOG_STATE_FIELDS = ("seq", "heat", "next_due_at", "bots_check_ms")

    def __str__(self) -> str:
        return self.title

    @property
    def clock(self) -> Clock:
        return Clock(
            speed=self.speed,
            running=self.clock_running,
            base_sim_ms=self.clock_base_sim_ms,
            anchor=self.clock_anchor,
        )

    @clock.setter
    def clock(self, clock: Clock) -> None:
        self.speed = clock.speed
        self.clock_running = clock.running
        self.clock_base_sim_ms = clock.base_sim_ms
        self.clock_anchor = clock.anchor


class Seat(models.Model):
    drill = models.ForeignKey(Drill, on_delete=models.CASCADE, related_name="seats")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="seats")
    role = models.CharField(max_length=40)  # a chain role, or "observer"

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["drill", "user", "role"], name="seat_unique")]


class DrillEvent(models.Model):
    drill = models.ForeignKey(Drill, on_delete=models.CASCADE, related_name="events")
    seq = models.PositiveIntegerField()
    kind = models.CharField(max_length=40)
    sim_ms = models.BigIntegerField()
    wall_at = models.DateTimeField()
    data = models.JSONField(default=dict)

    class Meta:
        ordering = ["drill_id", "seq"]
        constraints = [models.UniqueConstraint(fields=["drill", "seq"], name="event_seq_unique")]


class PublishedInject(models.Model):
    """An inject or burst item as it landed; the unique key makes double publication impossible."""

    drill = models.ForeignKey(Drill, on_delete=models.CASCADE, related_name="injects")
    key = models.CharField(max_length=120)
    burst_index = models.IntegerField(null=True, blank=True)
    slot = models.IntegerField()  # burst_index, or -1: NULLs would not take part in the unique key
    platform = models.CharField(max_length=20)
    persona = models.JSONField(default=dict)
    text = models.TextField()
    severity = models.PositiveSmallIntegerField()
    requires_response = models.BooleanField(default=False)
    planned_ms = models.BigIntegerField(null=True, blank=True)
    published_ms = models.BigIntegerField()
    respond_by_ms = models.BigIntegerField(null=True, blank=True)
    manual = models.BooleanField(default=False)
    event_seq = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["drill_id", "published_ms", "id"]
        constraints = [models.UniqueConstraint(fields=["drill", "key", "slot"], name="inject_published_once")]


class ResponseStatus(models.TextChoices):
    DRAFT = "draft"
    PENDING = "pending"
    CHANGES_REQUESTED = "changes_requested"
    PUBLISHED = "published"


class Response(models.Model):
    drill = models.ForeignKey(Drill, on_delete=models.CASCADE, related_name="responses")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reply_to = models.ManyToManyField(PublishedInject, related_name="responses")
    text = models.TextField()
    status = models.CharField(max_length=20, choices=ResponseStatus.choices, default=ResponseStatus.DRAFT)
    step = models.PositiveSmallIntegerField(default=0)  # the chain step it waits at while pending
    platform = models.CharField(max_length=20)
    subject = models.CharField(max_length=200, blank=True, default="")  # replies to e-mails
    # The template the reply was started from, and its text as filled for the post then: the scorecard's
    # edited share compares the final text with it, whatever later becomes of the template.
    template = models.ForeignKey(
        "kit.ResponseTemplate", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    template_filled = models.TextField(blank=True, default="")
    # The template's name and kind at draft time, for the scorecard: the template may be renamed or deleted later.
    template_name = models.CharField(max_length=200, blank=True, default="")
    template_kind = models.CharField(max_length=20, blank=True, default="")
    reached_step_ms = models.BigIntegerField(null=True, blank=True)  # when it arrived at `step`
    published_ms = models.BigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["drill_id", "id"]


class DebriefNote(models.Model):
    drill = models.ForeignKey(Drill, on_delete=models.CASCADE, related_name="notes")
    event_seq = models.PositiveIntegerField()
    text = models.TextField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["event_seq", "id"]


class TeamMessage(models.Model):
    """A message in the team channel; the `team.message` event at `event_seq` is its record in the log."""

    drill = models.ForeignKey(Drill, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField()
    sim_ms = models.BigIntegerField()
    event_seq = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["drill_id", "event_seq"]


class InboxRead(models.Model):
    """An e-mail inject a user has opened in the inbox: kept on the server so it follows them across devices."""

    drill = models.ForeignKey(Drill, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    inject = models.ForeignKey(PublishedInject, on_delete=models.CASCADE, related_name="+")

    class Meta:
        ordering = ["drill_id", "user_id", "inject_id"]
        constraints = [models.UniqueConstraint(fields=["user", "inject"], name="inbox_read_once")]


class Flag(models.Model):
    """A post a chain-role seat flagged as a warning sign (PROTOCOL.md section 1.5); the `inject.flagged` event at
    `event_seq` is its record in the log."""

    drill = models.ForeignKey(Drill, on_delete=models.CASCADE, related_name="flags")
    inject = models.ForeignKey(PublishedInject, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(blank=True, default="")
    sim_ms = models.BigIntegerField()
    event_seq = models.PositiveIntegerField()

    class Meta:
        ordering = ["drill_id", "event_seq"]
        constraints = [models.UniqueConstraint(fields=["drill", "inject", "user"], name="flag_once_per_user")]
