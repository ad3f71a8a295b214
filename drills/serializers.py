from django.utils.translation import gettext_noop
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from rest_framework import serializers

from config.api_base import IdField, LineField, TextField
from config.limits import MAX_NAME_CHARS, MAX_TITLE_CHARS, MSG_NAME_TOO_LONG, MSG_TITLE_TOO_LONG
from drills.limits import (
    MAX_COMMENT_CHARS,
    MAX_FLAG_NOTE_CHARS,
    MAX_MESSAGE_CHARS,
    MAX_NOTE_CHARS,
    MAX_REPLY_CHARS,
    MAX_REPLY_TO,
    MAX_RESPOND_WITHIN_S,
    MAX_SPEED,
    MIN_SPEED,
    MSG_COMMENT_TOO_LONG,
    MSG_FLAG_NOTE_TOO_LONG,
    MSG_MESSAGE_TOO_LONG,
    MSG_NOTE_TOO_LONG,
    MSG_REPLY_TOO_LONG,
    MSG_SPEED_RANGE,
    MSG_SUBJECT_TOO_LONG,
)
from scenarios.spec import EMAIL, PLATFORMS
from scenarios.validation import (
    MAX_CHAIN_STEPS,
    MAX_FOLLOWERS,
    MAX_ROLE_CHARS,
    MAX_SUBJECT_CHARS,
    MAX_TEXT_CHARS,
    MSG_SUBJECT_NOT_EMAIL,
    MSG_TEXT_TOO_LONG,
)

MSG_PERSONA = gettext_noop("Give a persona key or {name, handle, kind, followers}.")
SPEED_MESSAGES = {"min_value": MSG_SPEED_RANGE, "max_value": MSG_SPEED_RANGE}


def name_field(**kwargs) -> LineField:
    return LineField(max_length=MAX_NAME_CHARS, error_messages={"max_length": MSG_NAME_TOO_LONG}, **kwargs)


def role_field(**kwargs) -> LineField:
    return LineField(max_length=MAX_ROLE_CHARS, **kwargs)


class SeatInput(serializers.Serializer):
    user = IdField()
    role = role_field()


class DrillCreateInput(serializers.Serializer):
    scenario = IdField(required=False)
    version = IdField(required=False)
    speed = serializers.FloatField(
        required=False, default=1.0, min_value=MIN_SPEED, max_value=MAX_SPEED, error_messages=SPEED_MESSAGES
    )
    seats = SeatInput(many=True, required=False, default=list)
    team = IdField(required=False, help_text="seat every member of this team as `team_role`")
    team_role = role_field(required=False)
    bots = serializers.ListField(child=role_field(), required=False, default=list)
    title = LineField(
        required=False,
        default="",
        max_length=MAX_TITLE_CHARS,
        allow_blank=True,
        error_messages={"max_length": MSG_TITLE_TOO_LONG},
    )


class SpeedInput(serializers.Serializer):
    speed = serializers.FloatField(min_value=MIN_SPEED, max_value=MAX_SPEED, error_messages=SPEED_MESSAGES)


class PersonaInput(serializers.Serializer):
    name = name_field()
    handle = name_field(required=False, default="", allow_blank=True)
    kind = LineField(max_length=40, required=False, default="manual")
    followers = serializers.IntegerField(min_value=0, max_value=MAX_FOLLOWERS, required=False, default=0)


class PersonaField(serializers.Field):
    """A persona key of the scenario (or a display name), or a whole persona object."""

    def to_internal_value(self, data):
        if isinstance(data, str):
            return name_field().run_validation(data)
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
    text = TextField(max_length=MAX_TEXT_CHARS, error_messages={"max_length": MSG_TEXT_TOO_LONG})
    severity = serializers.IntegerField(min_value=1, max_value=5)
    requires_response = serializers.BooleanField(required=False, default=False)
    respond_within_s = serializers.IntegerField(min_value=1, max_value=MAX_RESPOND_WITHIN_S, required=False)
    subject = LineField(
        required=False,
        max_length=MAX_SUBJECT_CHARS,
        error_messages={"max_length": MSG_SUBJECT_TOO_LONG},
        help_text="e-mails only; default: the first words of `text`",
    )

    def validate(self, attrs):
        # As in a scenario (PROTOCOL section 1.3): only an e-mail has a subject line.
        if "subject" in attrs and attrs["platform"] != EMAIL:
            raise serializers.ValidationError({"subject": [MSG_SUBJECT_NOT_EMAIL]})
        return attrs


def reply_text_field() -> TextField:
    return TextField(
        max_length=MAX_REPLY_CHARS, trim_whitespace=False, error_messages={"max_length": MSG_REPLY_TOO_LONG}
    )


def comment_field(**kwargs) -> TextField:
    return TextField(max_length=MAX_COMMENT_CHARS, error_messages={"max_length": MSG_COMMENT_TOO_LONG}, **kwargs)


class DraftInput(serializers.Serializer):
    reply_to = serializers.ListField(child=IdField(), min_length=1, max_length=MAX_REPLY_TO)
    text = reply_text_field()
    subject = LineField(
        required=False,
        default="",
        allow_blank=True,
        max_length=MAX_SUBJECT_CHARS,
        error_messages={"max_length": MSG_SUBJECT_TOO_LONG},
        help_text="the subject line of a reply to an e-mail",
    )
    template = IdField(
        required=False,
        allow_null=True,
        default=None,
        help_text="the response template (of the organization) the reply was started from",
    )


class SayInput(serializers.Serializer):
    text = TextField(max_length=MAX_MESSAGE_CHARS, error_messages={"max_length": MSG_MESSAGE_TOO_LONG})


class FlagInput(serializers.Serializer):
    inject = IdField(help_text="a post published in this drill")
    note = TextField(
        required=False,
        allow_blank=True,
        max_length=MAX_FLAG_NOTE_CHARS,
        error_messages={"max_length": MSG_FLAG_NOTE_TOO_LONG},
    )


class InboxReadInput(serializers.Serializer):
    inject = IdField(help_text="an e-mail inject of the drill")


class EditInput(serializers.Serializer):
    text = reply_text_field()


def step_field() -> serializers.IntegerField:
    return serializers.IntegerField(min_value=1, max_value=MAX_CHAIN_STEPS)


class ApproveInput(serializers.Serializer):
    step = step_field()
    comment = comment_field(required=False, default="", allow_blank=True)


class RejectInput(serializers.Serializer):
    step = step_field()
    comment = comment_field()


class NoteInput(serializers.Serializer):
    event_seq = IdField()
    text = TextField(max_length=MAX_NOTE_CHARS, error_messages={"max_length": MSG_NOTE_TOO_LONG})


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
        "subject": response.subject,
        "template": response.template_id,
        "reached_step_ms": response.reached_step_ms,
        "published_ms": response.published_ms,
    }


def note_data(note) -> dict:
    return {"id": note.pk, "event_seq": note.event_seq, "text": note.text, "created_at": note.created_at}


def flag_data(flag) -> dict:
    """A flag as GET flags/ lists it (PROTOCOL.md section 2)."""
    return {"inject": flag.inject_id, "by": flag.user_id, "note": flag.note or None, "sim_ms": flag.sim_ms}


def message_data(message) -> dict:
    """A team channel message as the REST list gives it (the event says the same with `by_name`)."""
    return {"id": message.pk, "by": message.author_id, "text": message.text, "sim_ms": message.sim_ms}
