"""What every API view shares: strict input (unknown keys are an error) and JSON-only parsing."""

from django.utils.translation import gettext_noop
from rest_framework import serializers
from rest_framework.parsers import JSONParser
from rest_framework.views import APIView

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


class ApiView(APIView):
    parser_classes = [JSONParser]
