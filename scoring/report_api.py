"""The after-action report over REST (PROTOCOL section 2): read and replace it as JSON, download it as a PDF."""

from __future__ import annotations

import json

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response

from accounts.selectors import require_instructor
from config.api_base import MSG_UNKNOWN_FIELD, ApiView, LineField, TextField, check_input
from config.limits import MSG_NAME_TOO_LONG
from config.schema import errors
from drills.selectors import drill_for_user
from drills.services.common import action_throttle
from frontend.report_pdf import report_pdf
from scoring import report as rules
from scoring.reports import report_data, report_for, report_update
from scoring.services import debrief_for


class StrictSerializer(serializers.Serializer):
    """A nested object whose keys are exactly its fields (check_input does this for the body's top level)."""

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        unknown = sorted(set(data) - set(self.fields))
        if unknown:
            raise serializers.ValidationError({key: [MSG_UNKNOWN_FIELD] for key in unknown})
        return value


class ImprovementInput(StrictSerializer):
    text = TextField(max_length=rules.MAX_ITEM_CHARS, error_messages={"max_length": rules.MSG_ITEM_TOO_LONG})
    owner = LineField(
        max_length=rules.MAX_OWNER_CHARS, allow_blank=True, error_messages={"max_length": MSG_NAME_TOO_LONG}
    )
    due = serializers.DateField(
        allow_null=True,
        input_formats=["iso-8601"],
        error_messages={"invalid": rules.MSG_BAD_DUE, "datetime": rules.MSG_BAD_DUE},
    )
    status = serializers.ChoiceField(choices=rules.STATUSES, error_messages={"invalid_choice": rules.MSG_BAD_STATUS})


class ReportInput(serializers.Serializer):
    """The whole report: every key required, no other key."""

    summary = TextField(
        max_length=rules.MAX_SUMMARY_CHARS, allow_blank=True, error_messages={"max_length": rules.MSG_SUMMARY_TOO_LONG}
    )
    strengths = serializers.ListField(
        child=TextField(max_length=rules.MAX_ITEM_CHARS, error_messages={"max_length": rules.MSG_ITEM_TOO_LONG}),
        max_length=rules.MAX_STRENGTHS,
        error_messages={"max_length": rules.MSG_TOO_MANY_STRENGTHS},
    )
    improvements = ImprovementInput(
        many=True, max_length=rules.MAX_IMPROVEMENTS, error_messages={"max_length": rules.MSG_TOO_MANY_IMPROVEMENTS}
    )


class ImprovementOutput(serializers.Serializer):
    text = serializers.CharField()
    owner = serializers.CharField(allow_blank=True)
    due = serializers.DateField(allow_null=True)
    status = serializers.ChoiceField(choices=rules.STATUSES)


class ReportOutput(serializers.Serializer):
    summary = serializers.CharField(allow_blank=True)
    strengths = serializers.ListField(child=serializers.CharField())
    improvements = ImprovementOutput(many=True)
    updated_at = serializers.DateTimeField()


class ReportApi(ApiView):
    @extend_schema(responses={200: ReportOutput, **errors(409)})
    def get(self, request, drill_id: int):
        drill = drill_for_user(user=request.user, drill_id=drill_id)
        return Response(report_data(report_for(drill=drill)))

    @extend_schema(request=ReportInput, responses={200: ReportOutput, **errors(409, 429)})
    def put(self, request, drill_id: int):
        action_throttle(request.user, drill_id)
        drill = drill_for_user(user=request.user, drill_id=drill_id)
        require_instructor(request.user)
        data = check_input(ReportInput, request.data)
        return Response(report_data(report_update(by=request.user, drill=drill, **data)))


class PdfRenderer(BaseRenderer):
    """Lets a client ask for `Accept: application/pdf` (instead of a 406); errors still carry their detail."""

    media_type = "application/pdf"
    format = "pdf"
    charset = None

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data if isinstance(data, bytes) else json.dumps(data).encode()


class ReportPdfApi(ApiView):
    renderer_classes = [JSONRenderer, PdfRenderer]

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY, **errors(409)})
    def get(self, request, drill_id: int):
        drill = drill_for_user(user=request.user, drill_id=drill_id)
        report = report_for(drill=drill)
        pdf = report_pdf(drill=drill, report=report, debrief=debrief_for(drill=drill))
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="drill-{drill.pk}-report.pdf"'
        return response
