"""Observation input and output (PROTOCOL.md sections 1.6 and 2); the websocket's `observe` checks its frame with
the same input serializer."""

from rest_framework import serializers

from config.api_base import IdField, LineField, TextField
from evaluation.limits import MAX_OBSERVATION_CHARS, MSG_OBSERVATION_TOO_LONG
from evaluation.models import Rating
from scenarios.validation.evaluation import MAX_TASK_KEY_CHARS


class ObservationInput(serializers.Serializer):
    text = TextField(max_length=MAX_OBSERVATION_CHARS, error_messages={"max_length": MSG_OBSERVATION_TOO_LONG})
    task = LineField(required=False, allow_null=True, default=None, max_length=MAX_TASK_KEY_CHARS)
    rating = serializers.ChoiceField(choices=Rating.choices, required=False, allow_null=True, default=None)
    event_seq = IdField(required=False, allow_null=True, default=None)


class ObservationEditInput(ObservationInput):
    """Any of the fields; those left out keep their value."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            field.required = False
            if name != "text":
                field.default = serializers.empty


class ObservationOutput(serializers.Serializer):
    id = serializers.IntegerField()
    by = serializers.IntegerField(allow_null=True, help_text="the author's user id")
    by_name = serializers.CharField(allow_null=True)
    text = serializers.CharField()
    task = serializers.CharField(allow_null=True, help_text="a key of the scenario's evaluation")
    rating = serializers.ChoiceField(choices=Rating.choices, allow_null=True)
    event_seq = serializers.IntegerField(allow_null=True)
    sim_ms = serializers.IntegerField()
    created_at = serializers.DateTimeField()
