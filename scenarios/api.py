"""The scenario library over REST (PROTOCOL.md section 2). Thin: input, one service call, output."""

import json

from django.http import HttpResponse
from django.utils.translation import gettext_noop
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.parsers import BaseParser
from rest_framework.response import Response

from accounts.models import Role
from accounts.selectors import membership_of, require_instructor
from config.api_base import ApiView, LineField, check_input
from config.errors import Invalid, TooLarge
from config.limits import MAX_TITLE_CHARS
from config.parsers import FormParser, MultiPartParser, loads, read_body
from config.schema import errors
from config.texts import translated_issues
from scenarios import selectors, services
from scenarios.formats_api import IMPORT_ERRORS, workbook_response, workbook_upload
from scenarios.locate import located
from scenarios.serializers import (
    PreviewOutput,
    PublishOutput,
    ScenarioInput,
    ScenarioListOutput,
    ScenarioOutput,
    ScenarioSummaryOutput,
    ValidationOutput,
    VersionOutput,
)
from scenarios.source import export_text, source_text
from scenarios.textgen import plan_scenario, preview
from scenarios.validation import MAX_DOCUMENT_BYTES, MSG_TOO_LARGE, validate
from scenarios.workbook import XLSX_TYPE

MSG_NO_FILE = gettext_noop("Upload the document as the multipart field `file`.")
MSG_BAD_FORMAT = gettext_noop("format must be yaml, json or xlsx.")
MSG_BAD_TEXT_FORMAT = gettext_noop("format must be yaml or json.")
YAML_TYPES = ("application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml", "text/plain")
# The text forms (a crisis kit has only these), and a scenario's, which may also be a workbook.
TEXT_EXPORT_TYPES = {"yaml": "application/yaml; charset=utf-8", "json": "application/json; charset=utf-8"}
EXPORT_TYPES = {**TEXT_EXPORT_TYPES, "xlsx": XLSX_TYPE}


def document_from_spec_field(spec) -> dict:
    """`spec` is the document itself, or its YAML/JSON text: either way at most MAX_DOCUMENT_BYTES, as an upload."""
    if isinstance(spec, str):
        if len(spec.encode()) > MAX_DOCUMENT_BYTES:
            raise TooLarge(MSG_TOO_LARGE)
        return services.document_load(text=spec)
    if len(json.dumps(spec, ensure_ascii=False, separators=(",", ":")).encode()) > MAX_DOCUMENT_BYTES:
        raise TooLarge(MSG_TOO_LARGE)
    return spec


def authored_from_input(data: dict) -> tuple[dict, str | None]:
    """A write's document and its author's text (PROTOCOL 1.7): `source`, or `spec` as text; None for an object."""
    text = data["source"] if "source" in data else data["spec"]
    if not isinstance(text, str):
        return document_from_spec_field(text), None
    if len(text.encode()) > MAX_DOCUMENT_BYTES:
        raise TooLarge(MSG_TOO_LARGE)
    return services.source_load(text=text)


def document_from_request(request) -> dict:
    """The body of import/validate: YAML or JSON by Content-Type, a multipart `file`, or `{spec}`."""
    if request.content_type.startswith("multipart/"):
        upload = request.FILES.get("file")
        if upload is None:
            raise Invalid(MSG_NO_FILE, errors=[{"path": "file", "message": MSG_NO_FILE}])
        if upload.size > MAX_DOCUMENT_BYTES:
            raise TooLarge(MSG_TOO_LARGE)
        return services.document_load(text=upload.read())
    body = raw_body(request)
    if len(body) > MAX_DOCUMENT_BYTES:
        raise TooLarge(MSG_TOO_LARGE)
    fmt = "json" if request.content_type == "application/json" else "yaml"
    if request.content_type not in YAML_TYPES and fmt == "yaml":
        fmt = "auto"
    document = services.document_load(text=body, fmt=fmt)
    if set(document) == {"spec"}:
        return document_from_spec_field(document["spec"])
    return document


class RawBodyParser(BaseParser):
    """Hands YAML or JSON bodies over as bytes: the document loader parses them strictly (duplicate keys,
    anchors, size), and DRF's session CSRF check, which parses the body early, then finds a parser."""

    media_type = "*/*"

    def parse(self, stream, media_type=None, parser_context=None) -> bytes:
        return read_body(stream, parser_context)


def raw_body(request) -> bytes:
    data = request.data
    return data if isinstance(data, bytes) else b""


# The bodies document_from_request reads: the document as YAML or JSON (or `{spec}`), or a multipart `file`.
DOCUMENT_BODY = {
    "application/yaml": OpenApiTypes.STR,
    "application/json": OpenApiTypes.OBJECT,
    "multipart/form-data": inline_serializer("DocumentUpload", {"file": serializers.FileField()}),
}


class RawBodyMixin:
    parser_classes = [MultiPartParser, FormParser, RawBodyParser]


class ScenarioSearchInput(serializers.Serializer):
    q = LineField(required=False, default="", allow_blank=True, max_length=MAX_TITLE_CHARS)
    language = LineField(required=False, default="", allow_blank=True, max_length=20)


class ScenarioListApi(ApiView):
    @extend_schema(parameters=[ScenarioSearchInput], responses=ScenarioListOutput(many=True))
    def get(self, request):
        search = check_input(ScenarioSearchInput, request.query_params.dict())
        scenarios = selectors.scenarios_for_user(user=request.user, query=search["q"], language=search["language"])
        if membership_of(request.user).role == Role.INSTRUCTOR:
            return Response(ScenarioListOutput(scenarios, many=True).data)
        return Response(ScenarioSummaryOutput(scenarios, many=True).data)

    @extend_schema(request=ScenarioInput, responses={201: ScenarioOutput, **errors(400, 413)})
    def post(self, request):
        require_instructor(request.user)
        document, source = authored_from_input(check_input(ScenarioInput, request.data))
        scenario = services.scenario_create(by=request.user, document=document, source=source)
        scenario = selectors.scenario_for_user(user=request.user, scenario_id=scenario.pk)
        return Response(ScenarioOutput(scenario).data, status=status.HTTP_201_CREATED)


class ScenarioDetailApi(ApiView):
    @extend_schema(responses=ScenarioOutput)
    def get(self, request, scenario_id: int):
        return Response(ScenarioOutput(selectors.scenario_for_user(user=request.user, scenario_id=scenario_id)).data)

    @extend_schema(
        request=ScenarioInput,
        responses={200: ScenarioOutput, **errors(400, 413)},
        description="The document as `spec` (an object) or `source` (its text, kept verbatim): exactly one.",
    )
    def put(self, request, scenario_id: int):
        scenario = selectors.scenario_for_user(user=request.user, scenario_id=scenario_id)
        document, source = authored_from_input(check_input(ScenarioInput, request.data))
        services.scenario_update(by=request.user, scenario=scenario, document=document, source=source)
        return Response(ScenarioOutput(selectors.scenario_for_user(user=request.user, scenario_id=scenario_id)).data)

    # Every field of a scenario follows from its document, so a PATCH gives the document as a PUT does.
    @extend_schema(
        request=ScenarioInput,
        responses={200: ScenarioOutput, **errors(400, 413)},
        description="As PUT: the document as `spec` or `source`, exactly one.",
    )
    def patch(self, request, scenario_id: int):
        return self.put(request, scenario_id)

    @extend_schema(responses={204: None, **errors(409)})
    def delete(self, request, scenario_id: int):
        scenario = selectors.scenario_for_user(user=request.user, scenario_id=scenario_id)
        services.scenario_delete(by=request.user, scenario=scenario)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ScenarioImportApi(RawBodyMixin, ApiView):
    @extend_schema(
        request={**DOCUMENT_BODY, XLSX_TYPE: OpenApiTypes.BINARY},
        responses={201: ScenarioOutput, **IMPORT_ERRORS},
        description="The document as YAML or JSON, a multipart `file`, or an .xlsx workbook (PROTOCOL 1.7).",
    )
    def post(self, request):
        require_instructor(request.user)
        workbook = workbook_upload(request)
        if workbook is not None:
            scenario = services.scenario_import_workbook(by=request.user, data=workbook)
        else:
            document = document_from_request(request)
            text = document_text(request)  # the author's text; None for `{spec}` given as an object
            source = None if text is None else source_text(text)
            scenario = services.scenario_create(by=request.user, document=document, source=source)
        scenario = selectors.scenario_for_user(user=request.user, scenario_id=scenario.pk)
        return Response(ScenarioOutput(scenario).data, status=status.HTTP_201_CREATED)


class IssueWithLineOutput(serializers.Serializer):
    path = serializers.CharField()
    message = serializers.CharField()
    line = serializers.IntegerField(allow_null=True, help_text="1-based line of `path` in the text sent, if known")
    column = serializers.IntegerField(allow_null=True, help_text="1-based column (characters) of `path` there")


class ValidationWithLinesOutput(ValidationOutput):
    errors = IssueWithLineOutput(many=True)
    warnings = IssueWithLineOutput(many=True)


def document_text(request) -> str | None:
    """The text the issues' lines refer to: the body, the multipart `file`, or a JSON `{spec}` body's text.

    Called after `document_from_request`, which has already refused anything too large.
    """
    if request.content_type.startswith("multipart/"):
        upload = request.FILES.get("file")
        if upload is None:
            return None
        upload.seek(0)
        return upload.read().decode("utf-8", errors="replace")
    text = raw_body(request).decode("utf-8", errors="replace")
    if request.content_type != "application/json":
        return text
    try:
        body = loads(text)
    except ValueError:  # also nesting too deep: the lines are then those of the text itself
        return text
    if isinstance(body, dict) and set(body) == {"spec"}:
        return body["spec"] if isinstance(body["spec"], str) else None
    return text


class ScenarioValidateApi(RawBodyMixin, ApiView):
    @extend_schema(
        request=DOCUMENT_BODY,
        responses={200: ValidationWithLinesOutput, **errors(400, 413)},
        description="Every error and warning of the document, each with `path`, `message`, `line` and `column`.",
    )
    def post(self, request):
        require_instructor(request.user)
        try:
            document = document_from_request(request)
        except Invalid as exc:
            return self.result(request, errors=exc.errors, warnings=[])
        if not isinstance(document, dict):
            return self.result(request, errors=[{"path": "", "message": services.MSG_NOT_A_MAPPING}], warnings=[])
        result = validate(document)
        return self.result(
            request,
            errors=[issue.as_dict() for issue in result.errors],
            warnings=[issue.as_dict() for issue in result.warnings],
        )

    def result(self, request, *, errors: list[dict], warnings: list[dict]) -> Response:
        issues = errors + warnings
        text = document_text(request) if issues else None
        if text is None:
            issues = [{**issue, "line": None, "column": None} for issue in issues]
        else:
            issues = located(issues, text)
        return Response(
            {
                "valid": not errors,
                "errors": translated_issues(issues[: len(errors)]),
                "warnings": translated_issues(issues[len(errors) :]),
            }
        )


class ScenarioExportApi(ApiView):
    @extend_schema(
        parameters=[OpenApiParameter("format", str, enum=list(EXPORT_TYPES), default="yaml")],
        responses={
            (200, "application/yaml"): OpenApiTypes.OBJECT,
            (200, "application/json"): OpenApiTypes.OBJECT,
            (200, XLSX_TYPE): OpenApiTypes.BINARY,
        },
    )
    def get(self, request, scenario_id: int):
        scenario = selectors.scenario_for_user(user=request.user, scenario_id=scenario_id)
        fmt = request.query_params.get("format", "yaml")
        if fmt not in EXPORT_TYPES:
            raise Invalid(MSG_BAD_FORMAT, errors=[{"path": "format", "message": MSG_BAD_FORMAT}])
        if fmt == "xlsx":
            return workbook_response(scenario)
        response = HttpResponse(export_text(scenario.spec, scenario.source, fmt), content_type=EXPORT_TYPES[fmt])
        response["Content-Disposition"] = f'attachment; filename="scenario-{scenario.pk}.{fmt}"'
        return response


class ScenarioPublishApi(ApiView):
    # 400: a stored document the validator of today refuses (it was saved under an older one).
    @extend_schema(request=None, responses={201: PublishOutput, **errors(400)})
    def post(self, request, scenario_id: int):
        scenario = selectors.scenario_for_user(user=request.user, scenario_id=scenario_id)
        version, created = services.scenario_publish(by=request.user, scenario=scenario)
        # Always 201 as the contract says; publishing an unchanged document hands back its latest version.
        return Response({**VersionOutput(version).data, "created": created}, status=status.HTTP_201_CREATED)


def preview_of(spec) -> dict:
    """The preview body: the planned timeline, and the tasks of the evaluation guide (section 1.6) beside it."""
    tasks = [{"key": t.key, "task": t.task, "capability": t.capability} for t in spec.evaluation]
    return {**preview(plan_scenario(spec)), "evaluation": tasks}


class ScenarioPreviewApi(ApiView):
    @extend_schema(responses=PreviewOutput)
    def get(self, request, scenario_id: int):
        scenario = selectors.scenario_for_user(user=request.user, scenario_id=scenario_id)
        spec = services.document_check(scenario.spec).scenario
        return Response(preview_of(spec))


class ScenarioPreviewDraftApi(RawBodyMixin, ApiView):
    """The planned timeline of a document that is not saved, so an editor can show it while you type."""

    @extend_schema(
        request=DOCUMENT_BODY,
        responses={200: PreviewOutput, **errors(400, 413)},
        description="Body like validate: the document as YAML or JSON, a multipart `file`, or `{spec}`.",
    )
    def post(self, request):
        require_instructor(request.user)
        spec = services.document_check(document_from_request(request)).scenario
        return Response(preview_of(spec))


class ScenarioVersionsApi(ApiView):
    @extend_schema(responses=VersionOutput(many=True))
    def get(self, request, scenario_id: int):
        scenario = selectors.scenario_for_user(user=request.user, scenario_id=scenario_id)
        return Response(VersionOutput(selectors.versions_of(scenario=scenario), many=True).data)
