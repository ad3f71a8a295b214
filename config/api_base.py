"""What every API view shares: strict input (unknown keys are an error), bounded JSON parsing, and the input
fields whose ranges and characters are declared once (config.limits)."""

from django.utils.translation import gettext_noop
from rest_framework import serializers
from rest_framework.views import APIView

from config.errors import NotFound
from config.limits import MAX_ID, MSG_BAD_CHARACTERS, has_bad_characters
from config.parsers import JsonParser

MSG_UNKNOWN_FIELD = gettext_noop("Unknown field.")
MSG_NOT_AN_OBJECT = gettext_noop("Expected a JSON object.")


def check_input(serializer_class, data, **kwargs) -> dict:
    """Validates request data, refusing keys the serializer does not know instead of ignoring them."""
    if not isinstance(data, dict):
        raise serializers.ValidationError({"non_field_errors": [MSG_NOT_AN_OBJECT]})
    serializer = serializer_class(data=data, **kwargs)
    serializer.is_valid(raise_exception=True)
    unknown = sorted(set(data) - set(serializer.fields))
    if unknown:
        raise serializers.ValidationError({key: [MSG_UNKNOWN_FIELD] for key in unknown})
    return serializer.validated_data


class IdField(serializers.IntegerField):
    """A row id (a user, an inject, a response ...): 1..MAX_ID, so no id overflows the database."""

    def __init__(self, **kwargs):
        super().__init__(min_value=1, max_value=MAX_ID, **kwargs)


def _no_control_characters(multiline: bool):
    def check(value: str) -> None:
        if has_bad_characters(value, multiline=multiline):
            raise serializers.ValidationError(MSG_BAD_CHARACTERS)

    return check


class LineField(serializers.CharField):
    """A name or a title: one line, no control characters."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.validators.append(_no_control_characters(multiline=False))


class TextField(serializers.CharField):
    """A text people write (a reply, a comment, a note): newlines and tabs kept, other control characters refused."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.validators.append(_no_control_characters(multiline=True))


class ApiView(APIView):
    parser_classes = [JsonParser]

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        # `<int:...>` takes any number of digits: past 64 bits the lookup would overflow the database.
        if any(isinstance(value, int) and value > MAX_ID for value in kwargs.values()):
            raise NotFound()
