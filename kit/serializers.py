"""The shapes of the template API (PROTOCOL section 2). Input is checked by kit.validation, which reports every
mistake with its path; TemplateInput describes that same body for the OpenAPI document."""

from rest_framework import serializers

from config.api_base import LineField
from kit.limits import MAX_TAG_CHARS, MAX_TAGS, MAX_TEMPLATE_CHARS, MAX_TEMPLATE_NAME_CHARS
from kit.models import TemplateKind
from scenarios.spec import PLATFORMS


class TemplateOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.ChoiceField(choices=TemplateKind.choices)
    language = serializers.CharField()
    platforms = serializers.ListField(child=serializers.ChoiceField(choices=PLATFORMS))
    tags = serializers.ListField(child=serializers.CharField())
    text = serializers.CharField()


class TemplateInput(serializers.Serializer):
    name = serializers.CharField(max_length=MAX_TEMPLATE_NAME_CHARS)
    kind = serializers.ChoiceField(choices=TemplateKind.choices)
    language = serializers.RegexField(r"^[a-z]{2,3}$", help_text="a BCP-47 primary language subtag: en, he, fr")
    platforms = serializers.ListField(
        child=serializers.ChoiceField(choices=PLATFORMS), required=False, help_text="empty or left out: every platform"
    )
    tags = serializers.ListField(
        child=serializers.CharField(max_length=MAX_TAG_CHARS), max_length=MAX_TAGS, required=False
    )
    text = serializers.CharField(
        max_length=MAX_TEMPLATE_CHARS,
        help_text="may hold {brand.name}, {brand.handle}, {persona.name}, {persona.handle} and [[slots]]",
    )


class TemplatePatchInput(TemplateInput):
    """PATCH: any of the fields; the template they make is checked whole."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False


class TemplateSearchInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=TemplateKind.choices, required=False, default="", allow_blank=True)
    language = LineField(required=False, default="", allow_blank=True, max_length=8)
    platform = serializers.ChoiceField(choices=PLATFORMS, required=False, default="", allow_blank=True)
    tag = LineField(required=False, default="", allow_blank=True, max_length=MAX_TAG_CHARS)
    q = LineField(required=False, default="", allow_blank=True, max_length=MAX_TEMPLATE_NAME_CHARS)


class ImportOutput(serializers.Serializer):
    created = TemplateOutput(many=True)
    updated = TemplateOutput(many=True, help_text="templates of the same name, changed by the file")
