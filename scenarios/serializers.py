from rest_framework import serializers

from scenarios.textgen import text_direction


class ScenarioSummaryOutput(serializers.Serializer):
    """What every member may see: titles of published scenarios, never their script."""

    id = serializers.IntegerField()
    title = serializers.CharField()
    language = serializers.CharField()
    direction = serializers.SerializerMethodField()

    def get_direction(self, scenario) -> str:
        return text_direction(scenario.language)


class ScenarioListOutput(ScenarioSummaryOutput):
    published_version = serializers.IntegerField(allow_null=True)
    updated_at = serializers.DateTimeField()


class ScenarioOutput(ScenarioListOutput):
    spec = serializers.JSONField()


class ScenarioInput(serializers.Serializer):
    spec = serializers.JSONField(help_text="The crisisdrill/v1 document (an object), or its YAML/JSON text.")


class ValidationOutput(serializers.Serializer):
    valid = serializers.BooleanField()
    errors = serializers.ListField(child=serializers.DictField())
    warnings = serializers.ListField(child=serializers.DictField())


class VersionOutput(serializers.Serializer):
    version = serializers.IntegerField(source="number")
    id = serializers.IntegerField()
    checksum = serializers.CharField()
    published_at = serializers.DateTimeField()
