from django.utils.translation import gettext_noop
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from drills.clock import MAX_SPEED, MIN_SPEED
from drills.models import DrillStatus, ResponseStatus
from scenarios.spec import PLATFORMS

MSG_PERSONA = gettext_noop("Give a persona key or {name, handle, kind, followers}.")


class SeatInput(serializers.Serializer):
    user = serializers.IntegerField()
    role = serializers.CharField(max_length=40)


class DrillCreateInput(serializers.Serializer):
    scenario = serializers.IntegerField(required=False)
    version = serializers.IntegerField(required=False)
    speed = serializers.FloatField(required=False, default=1.0, min_value=MIN_SPEED, max_value=MAX_SPEED)
    seats = SeatInput(many=True, required=False, default=list)
    team = serializers.IntegerField(required=False, help_text="seat every member of this team as `team_role`")
    team_role = serializers.CharField(required=False, max_length=40)
    bots = serializers.ListField(child=serializers.CharField(max_length=40), required=False, default=list)
    title = serializers.CharField(required=False, default="", max_length=200, allow_blank=True)


class SpeedInput(serializers.Serializer):
    speed = serializers.FloatField(min_value=MIN_SPEED, max_value=MAX_SPEED)


PERSONA_KEY_MAX = PERSONA_NAME_MAX = 120
PERSONA_KIND_MAX = 40


class PersonaInput(serializers.Serializer):
    name = serializers.CharField(max_length=PERSONA_NAME_MAX)
    handle = serializers.CharField(max_length=PERSONA_NAME_MAX, required=False, default="", allow_blank=True)
    kind = serializers.CharField(max_length=PERSONA_KIND_MAX, required=False, default="manual")
    followers = serializers.IntegerField(min_value=0, required=False, default=0)


@extend_schema_field(
    {
        "oneOf": [
            {"type": "string", "minLength": 1, "maxLength": PERSONA_KEY_MAX, "description": "a persona key or name"},
            {
                "type": "object",
                "properties": {
                    "name": {"type": "string", "minLength": 1, "maxLength": PERSONA_NAME_MAX},
                    "handle": {"type": "string", "maxLength": PERSONA_NAME_MAX},
                    "kind": {"type": "string", "minLength": 1, "maxLength": PERSONA_KIND_MAX},
                    "followers": {"type": "integer", "minimum": 0},
                },
                "required": ["name"],
            },
        ]
    }
)
class PersonaField(serializers.Field):
    """A persona key of the scenario (or a display name), or a whole persona object."""

    def to_internal_value(self, data):
        if isinstance(data, str) and 0 < len(data) <= PERSONA_KEY_MAX:
            return data
        if isinstance(data, dict):
            persona = PersonaInput(data=data)
            persona.is_valid(raise_exception=True)
            return dict(persona.validated_data)
        raise serializers.ValidationError(MSG_PERSONA)

    def to_representation(self, value):
        return value


class InjectInput(serializers.Serializer):
    platform = serializers.ChoiceField(choices=PLATFORMS)
    persona = PersonaField(required=False)
    text = serializers.CharField(max_length=10_000)
    severity = serializers.IntegerField(min_value=1, max_value=5)
    requires_response = serializers.BooleanField(required=False, default=False)
    respond_within_s = serializers.IntegerField(min_value=1, required=False)


class DraftInput(serializers.Serializer):
    reply_to = serializers.ListField(child=serializers.IntegerField(), min_length=1, max_length=50)
    text = serializers.CharField(max_length=10_000, trim_whitespace=False)


class EditInput(serializers.Serializer):
    text = serializers.CharField(max_length=10_000, trim_whitespace=False)


class ApproveInput(serializers.Serializer):
    step = serializers.IntegerField(min_value=1)
    comment = serializers.CharField(required=False, default="", allow_blank=True, max_length=2000)


class RejectInput(serializers.Serializer):
    step = serializers.IntegerField(min_value=1)
    comment = serializers.CharField(max_length=2000)


class NoteInput(serializers.Serializer):
    event_seq = serializers.IntegerField(min_value=1)
    text = serializers.CharField(max_length=5000)


def response_data(response) -> dict:
    return {
        "id": response.pk,
        "author": response.author_id,
        "author_name": response.author.shown_name,
        "reply_to": sorted(i.pk for i in response.reply_to.all()),
        "text": response.text,
        "status": response.status,
        "step": response.step,
        "platform": response.platform,
        "reached_step_ms": response.reached_step_ms,
        "published_ms": response.published_ms,
    }


def note_data(note) -> dict:
    return {"id": note.pk, "event_seq": note.event_seq, "text": note.text, "created_at": note.created_at}


# ---- outputs: what the views answer, declared for the OpenAPI document ----------------------------------


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
    reached_step_ms = serializers.IntegerField(allow_null=True)
    published_ms = serializers.IntegerField(allow_null=True)


class NoteOutput(serializers.Serializer):
    id = serializers.IntegerField()
    event_seq = serializers.IntegerField()
    text = serializers.CharField()
    created_at = serializers.DateTimeField()
