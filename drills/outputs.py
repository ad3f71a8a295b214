"""What the drill views answer (drills.presenters, drills.serializers' *_data), declared for the OpenAPI document."""

from rest_framework import serializers

from drills.models import DrillStatus, ResponseStatus
from kit.models import TemplateKind


class SeatOutput(serializers.Serializer):
    user = serializers.IntegerField()
    username = serializers.CharField()
    display_name = serializers.CharField()
    role = serializers.CharField()


class DrillScenarioOutput(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    language = serializers.CharField()


class ChainStepOutput(serializers.Serializer):
    step = serializers.IntegerField()
    role = serializers.CharField()
    sla_ms = serializers.IntegerField(allow_null=True)


class BrandOutput(serializers.Serializer):
    name = serializers.CharField(allow_blank=True)
    handle = serializers.CharField(allow_blank=True)


class DrillOutput(serializers.Serializer):
    """drills.presenters.drill_data: the drill as REST and the websocket `hello` show it."""

    id = serializers.IntegerField()
    title = serializers.CharField(allow_blank=True)
    status = serializers.ChoiceField(choices=DrillStatus.choices)
    speed = serializers.FloatField()
    sim_ms = serializers.IntegerField()
    seq = serializers.IntegerField()
    seats = SeatOutput(many=True)
    heat = serializers.IntegerField()
    bots = serializers.ListField(child=serializers.CharField())
    scenario = DrillScenarioOutput()
    version = serializers.IntegerField()
    direction = serializers.ChoiceField(choices=["ltr", "rtl"])
    duration_ms = serializers.IntegerField()
    chain = ChainStepOutput(many=True)
    allow_self_approval = serializers.BooleanField()
    max_length = serializers.DictField(child=serializers.IntegerField(), help_text="platform -> characters")
    brand = BrandOutput()
    created_at = serializers.DateTimeField()
    started_at = serializers.DateTimeField(allow_null=True)
    finished_at = serializers.DateTimeField(allow_null=True)


class InjectCreatedOutput(serializers.Serializer):
    id = serializers.IntegerField()
    key = serializers.CharField()
    event_seq = serializers.IntegerField()


class EventFrameOutput(serializers.Serializer):
    """One logged event, as the websocket sends it (PROTOCOL section 3)."""

    type = serializers.ChoiceField(choices=["event"])
    seq = serializers.IntegerField()
    kind = serializers.CharField()
    sim_ms = serializers.IntegerField()
    at = serializers.DateTimeField()
    data = serializers.DictField()


class EventsOutput(serializers.Serializer):
    events = EventFrameOutput(many=True)


class TicketOutput(serializers.Serializer):
    ticket = serializers.CharField(help_text="Single use, short lived: `?ticket=` on the drill's websocket")


class ResponseOutput(serializers.Serializer):
    id = serializers.IntegerField()
    author = serializers.IntegerField()
    author_name = serializers.CharField()
    reply_to = serializers.ListField(child=serializers.IntegerField())
    text = serializers.CharField(allow_blank=True)
    status = serializers.ChoiceField(choices=ResponseStatus.choices)
    step = serializers.IntegerField()
    platform = serializers.CharField()
    subject = serializers.CharField(allow_blank=True, help_text="the subject line of a reply to an e-mail")
    template = serializers.IntegerField(allow_null=True, help_text="the response template it was started from")
    reached_step_ms = serializers.IntegerField(allow_null=True)
    published_ms = serializers.IntegerField(allow_null=True)


class NoteOutput(serializers.Serializer):
    id = serializers.IntegerField()
    event_seq = serializers.IntegerField()
    text = serializers.CharField()
    created_at = serializers.DateTimeField()


class MessageOutput(serializers.Serializer):
    id = serializers.IntegerField()
    by = serializers.IntegerField()
    text = serializers.CharField()
    sim_ms = serializers.IntegerField()


class FlagOutput(serializers.Serializer):
    inject = serializers.IntegerField()
    by = serializers.IntegerField()
    note = serializers.CharField(allow_null=True)
    sim_ms = serializers.IntegerField()


class InboxOutput(serializers.Serializer):
    read = serializers.ListField(child=serializers.IntegerField(), help_text="the e-mail injects this user has read")


class TemplateSuggestionOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.ChoiceField(choices=TemplateKind.choices)
    text = serializers.CharField()
    filled = serializers.CharField(help_text="`text` with the placeholders filled for the post, slots left in")
