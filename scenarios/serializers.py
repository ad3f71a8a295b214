from django.utils.translation import gettext_noop
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


MSG_SPEC_OR_SOURCE = gettext_noop("Give the document once: as spec (an object) or as source (its text).")


class ScenarioOutput(ScenarioSummaryOutput):
    published_version = serializers.IntegerField(allow_null=True)
    updated_at = serializers.DateTimeField()
    spec = serializers.JSONField()
    source = serializers.CharField(help_text="The author's text of the document, verbatim (PROTOCOL 1.7).")


class SourceField(serializers.CharField):
    """The document's text exactly as sent: no trimming, and a number or a list is refused, not made a string."""

    def __init__(self, **kwargs):
        super().__init__(trim_whitespace=False, **kwargs)

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class ScenarioInput(serializers.Serializer):
    """A write: the document as `spec` or as `source`, exactly one of them (PUT and PATCH alike)."""

    spec = serializers.JSONField(
        required=False, help_text="The crisisdrill/v1 document as an object (its text is generated), or its text."
    )
    source = SourceField(
        required=False,
        help_text="The document's text, YAML or JSON, kept verbatim as the scenario's source (PROTOCOL 1.7).",
    )

    def validate(self, data):
        if "spec" in data and "source" in data:
            raise serializers.ValidationError({"source": [MSG_SPEC_OR_SOURCE]})
        if "spec" not in data and "source" not in data:
            raise serializers.ValidationError({"spec": [MSG_SPEC_OR_SOURCE]})
        return data


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
    when = serializers.DictField(
        help_text="`{unanswered, for_ms}`, `{answered, delay_ms}`, `{heat_above}` or `{backlash, delay_ms}`"
    )


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
