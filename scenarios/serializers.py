from rest_framework import serializers

from scenarios.spec import SENTIMENTS
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
    """An item of the list: instructors get these two fields too, other roles only the summary."""

    published_version = serializers.IntegerField(allow_null=True, required=False)
    updated_at = serializers.DateTimeField(required=False)


class ScenarioOutput(ScenarioSummaryOutput):
    published_version = serializers.IntegerField(allow_null=True)
    updated_at = serializers.DateTimeField()
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


class PublishOutput(VersionOutput):
    created = serializers.BooleanField(help_text="false when the latest version already held this document")


class PreviewPersonaOutput(serializers.Serializer):
    name = serializers.CharField()
    handle = serializers.CharField(allow_blank=True)
    kind = serializers.CharField()
    followers = serializers.IntegerField()


class PreviewItemOutput(serializers.Serializer):
    key = serializers.CharField()
    burst_index = serializers.IntegerField(allow_null=True)
    planned_ms = serializers.IntegerField(allow_null=True)
    platform = serializers.CharField()
    persona = PreviewPersonaOutput()
    text = serializers.CharField(allow_blank=True)
    severity = serializers.IntegerField()
    requires_response = serializers.BooleanField()
    respond_by_ms = serializers.IntegerField(allow_null=True)
    sentiment = serializers.ChoiceField(choices=SENTIMENTS, help_text="written or the default (PROTOCOL 1.3)")
    subject = serializers.CharField(required=False, help_text="e-mails only: the subject line")
    signal = serializers.BooleanField(help_text="an early warning the team should flag; never shown to participants")


class PreviewConditionalOutput(PreviewItemOutput):
    when = serializers.DictField(help_text="`{unanswered, for_ms}`, `{answered, delay_ms}` or `{heat_above}`")


class PreviewTaskOutput(serializers.Serializer):
    key = serializers.CharField()
    task = serializers.CharField()
    capability = serializers.CharField(allow_null=True)


class PreviewOutput(serializers.Serializer):
    """scenarios.textgen.preview: the planned timeline, then the injects waiting on a condition; and the tasks
    observers rate (section 1.6)."""

    timeline = PreviewItemOutput(many=True)
    conditional = PreviewConditionalOutput(many=True)
    evaluation = PreviewTaskOutput(many=True)
