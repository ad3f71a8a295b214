"""The scenario library over REST (PROTOCOL.md section 2). Thin: input, one service call, output."""

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from accounts.models import Role
from accounts.selectors import membership_of, require_instructor
from config.api_base import ApiView, check_input
from config.errors import Invalid
from scenarios import selectors, services
from scenarios.serializers import (
    ScenarioInput,
    ScenarioListOutput,
    ScenarioOutput,
    ScenarioSummaryOutput,
    ValidationOutput,
    VersionOutput,
)
from scenarios.textgen import plan_scenario, preview
from scenarios.validation import MAX_DOCUMENT_BYTES, dump_document, validate

MSG_TOO_LARGE = "The document is larger than 1 MiB."
MSG_NO_FILE = "Upload the document as the multipart field `file`."
MSG_BAD_FORMAT = "format must be yaml or json."
YAML_TYPES = ("application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml", "text/plain")
EXPORT_TYPES = {"yaml": "application/yaml; charset=utf-8", "json": "application/json; charset=utf-8"}


class TooLarge(Invalid):
    status = 413


def document_from_spec_field(spec) -> dict:
    """`spec` is the document itself, or its YAML/JSON text."""
    if isinstance(spec, str):
        if len(spec.encode()) > MAX_DOCUMENT_BYTES:
            raise TooLarge(MSG_TOO_LARGE)
        return services.document_load(text=spec)
    return spec


def document_from_request(request) -> dict:
    """The body of import/validate: YAML or JSON by Content-Type, a multipart `file`, or `{spec}`."""
    if request.content_type.startswith("multipart/"):
        upload = request.FILES.get("file")
        if upload is None:
            raise Invalid(MSG_NO_FILE, errors=[{"path": "file", "message": MSG_NO_FILE}])
        if upload.size > MAX_DOCUMENT_BYTES:
            raise TooLarge(MSG_TOO_LARGE)
        return services.document_load(text=upload.read())
    body = request.body
    if len(body) > MAX_DOCUMENT_BYTES:
        raise TooLarge(MSG_TOO_LARGE)
    fmt = "json" if request.content_type == "application/json" else "yaml"
    if request.content_type not in YAML_TYPES and fmt == "yaml":
        fmt = "auto"
    document = services.document_load(text=body, fmt=fmt)
    if set(document) == {"spec"}:
        return document_from_spec_field(document["spec"])
    return document


class RawBodyMixin:
    # The body is read as text here (YAML or JSON); DRF must not consume the stream first.
    parser_classes = [MultiPartParser, FormParser, JSONParser]


class ScenarioListApi(ApiView):
    @extend_schema(responses=ScenarioListOutput(many=True))
    def get(self, request):
        scenarios = selectors.scenarios_for_user(
            user=request.user,
            query=request.query_params.get("q", ""),
            language=request.query_params.get("language", ""),
        )
        if membership_of(request.user).role == Role.INSTRUCTOR:
            return Response(ScenarioListOutput(scenarios, many=True).data)
        return Response(ScenarioSummaryOutput(scenarios, many=True).data)

    @extend_schema(request=ScenarioInput, responses={201: ScenarioOutput})
    def post(self, request):
        require_instructor(request.user)
        data = check_input(ScenarioInput, request.data)
        scenario = services.scenario_create(by=request.user, document=document_from_spec_field(data["spec"]))
        scenario = selectors.scenario_for_user(user=request.user, scenario_id=scenario.pk)
        return Response(ScenarioOutput(scenario).data, status=status.HTTP_201_CREATED)


class ScenarioDetailApi(ApiView):
    @extend_schema(responses=ScenarioOutput)
    def get(self, request, scenario_id: int):
        return Response(ScenarioOutput(selectors.scenario_for_user(user=request.user, scenario_id=scenario_id)).data)

    @extend_schema(request=ScenarioInput, responses=ScenarioOutput)
    def put(self, request, scenario_id: int):
        scenario = selectors.scenario_for_user(user=request.user, scenario_id=scenario_id)
        data = check_input(ScenarioInput, request.data)
        services.scenario_update(by=request.user, scenario=scenario, document=document_from_spec_field(data["spec"]))
        return Response(ScenarioOutput(selectors.scenario_for_user(user=request.user, scenario_id=scenario_id)).data)

    patch = put

    @extend_schema(responses={204: None})
    def delete(self, request, scenario_id: int):
        scenario = selectors.scenario_for_user(user=request.user, scenario_id=scenario_id)
        services.scenario_delete(by=request.user, scenario=scenario)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ScenarioImportApi(RawBodyMixin, ApiView):
    @extend_schema(
        request={"application/yaml": OpenApiTypes.STR, "multipart/form-data": OpenApiTypes.BINARY},
        responses={201: ScenarioOutput},
    )
    def post(self, request):
        require_instructor(request.user)
        scenario = services.scenario_create(by=request.user, document=document_from_request(request))
        scenario = selectors.scenario_for_user(user=request.user, scenario_id=scenario.pk)
        return Response(ScenarioOutput(scenario).data, status=status.HTTP_201_CREATED)


class ScenarioValidateApi(RawBodyMixin, ApiView):
    @extend_schema(request={"application/yaml": OpenApiTypes.STR}, responses=ValidationOutput)
    def post(self, request):
        require_instructor(request.user)
        try:
            document = document_from_request(request)
        except TooLarge:
            raise
        except Invalid as exc:
            return Response({"valid": False, "errors": exc.errors, "warnings": []})
        if not isinstance(document, dict):
            return Response({"valid": False, "errors": [{"path": "", "message": "expected a mapping"}], "warnings": []})
        result = validate(document)
        return Response(
            {
                "valid": not result.errors,
                "errors": [issue.as_dict() for issue in result.errors],
                "warnings": [issue.as_dict() for issue in result.warnings],
            }
        )


class ScenarioExportApi(ApiView):
    @extend_schema(parameters=[OpenApiParameter("format", str, enum=["yaml", "json"])], responses=OpenApiTypes.STR)
    def get(self, request, scenario_id: int):
        scenario = selectors.scenario_for_user(user=request.user, scenario_id=scenario_id)
        fmt = request.query_params.get("format", "yaml")
        if fmt not in EXPORT_TYPES:
            raise Invalid(MSG_BAD_FORMAT, errors=[{"path": "format", "message": MSG_BAD_FORMAT}])
        response = HttpResponse(dump_document(scenario.spec, fmt), content_type=EXPORT_TYPES[fmt])
        response["Content-Disposition"] = f'attachment; filename="scenario-{scenario.pk}.{fmt}"'
        return response


class ScenarioPublishApi(ApiView):
    @extend_schema(request=None, responses={201: VersionOutput, 200: VersionOutput})
    def post(self, request, scenario_id: int):
        scenario = selectors.scenario_for_user(user=request.user, scenario_id=scenario_id)
        version, created = services.scenario_publish(by=request.user, scenario=scenario)
        return Response(VersionOutput(version).data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


class ScenarioPreviewApi(ApiView):
    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request, scenario_id: int):
        scenario = selectors.scenario_for_user(user=request.user, scenario_id=scenario_id)
        spec = services.document_check(scenario.spec).scenario
        return Response(preview(plan_scenario(spec)))


class ScenarioVersionsApi(ApiView):
    @extend_schema(responses=VersionOutput(many=True))
    def get(self, request, scenario_id: int):
        scenario = selectors.scenario_for_user(user=request.user, scenario_id=scenario_id)
        return Response(VersionOutput(selectors.versions_of(scenario=scenario), many=True).data)
