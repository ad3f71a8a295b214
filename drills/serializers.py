from django.utils.translation import gettext_noop
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from rest_framework import serializers

from drills.clock import MAX_SPEED, MIN_SPEED
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


class PersonaInput(serializers.Serializer):
    name = serializers.CharField(max_length=120)
    handle = serializers.CharField(max_length=120, required=False, default="", allow_blank=True)
    kind = serializers.CharField(max_length=40, required=False, default="manual")
    followers = serializers.IntegerField(min_value=0, required=False, default=0)


class PersonaField(serializers.Field):
    """A persona key of the scenario (or a display name), or a whole persona object."""

    def to_internal_value(self, data):
        if isinstance(data, str) and 0 < len(data) <= 120:
            return data
        if isinstance(data, dict):
            persona = PersonaInput(data=data)
            persona.is_valid(raise_exception=True)
            return dict(persona.validated_data)
        raise serializers.ValidationError(MSG_PERSONA)

    def to_representation(self, value):
        return value


class PersonaFieldSchema(OpenApiSerializerFieldExtension):
    """The document's PersonaField: a key (a string as long as a persona's name), or a whole PersonaInput."""

    target_class = PersonaField

    def map_serializer_field(self, auto_schema, direction):
        name = PersonaInput().fields["name"]
        key = auto_schema._map_serializer_field(name, direction)
        auto_schema._insert_field_validators(name, key)
        persona = auto_schema.resolve_serializer(PersonaInput, direction)
        return {"oneOf": [key, persona.ref]}


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
