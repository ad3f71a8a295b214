"""The crisis kit over REST (PROTOCOL section 2). Thin: input, one service call, output."""

from django.http import HttpResponse
from django.utils.translation import gettext_noop
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.response import Response

from accounts.selectors import require_instructor
from config.api_base import ApiView, check_input
from config.errors import Invalid, TooLarge
from config.schema import errors
from kit import selectors, services
from kit.limits import MAX_KIT_BYTES, MSG_KIT_TOO_LARGE
from kit.serializers import ImportOutput, TemplateInput, TemplateOutput, TemplatePatchInput, TemplateSearchInput
from scenarios.api import MSG_BAD_TEXT_FORMAT, TEXT_EXPORT_TYPES, YAML_TYPES, RawBodyMixin, raw_body
from scenarios.validation import dump_document

MSG_NO_FILE = gettext_noop("Upload the kit file as the multipart field `file`.")
KIT_BODY = {
    "application/yaml": OpenApiTypes.STR,
    "application/json": OpenApiTypes.OBJECT,
    "multipart/form-data": inline_serializer("KitUpload", {"file": serializers.FileField()}),
}


def kit_from_request(request) -> object:
    """The kit file: a YAML or JSON body (by Content-Type), or a multipart `file`; at most 2 MiB."""
    if request.content_type.startswith("multipart/"):
        upload = request.FILES.get("file")
        if upload is None:
            raise Invalid(MSG_NO_FILE, errors=[{"path": "file", "message": MSG_NO_FILE}])
        if upload.size > MAX_KIT_BYTES:
            raise TooLarge(MSG_KIT_TOO_LARGE)
        return services.kit_load(text=upload.read(), max_bytes=MAX_KIT_BYTES)
    body = raw_body(request)
    if len(body) > MAX_KIT_BYTES:
        raise TooLarge(MSG_KIT_TOO_LARGE)
    fmt = {"application/json": "json", **dict.fromkeys(YAML_TYPES, "yaml")}.get(request.content_type, "auto")
    return services.kit_load(text=body, fmt=fmt, max_bytes=MAX_KIT_BYTES)


class TemplateListApi(ApiView):
    @extend_schema(parameters=[TemplateSearchInput], responses=TemplateOutput(many=True))
    def get(self, request):
        search = check_input(TemplateSearchInput, request.query_params.dict())
        templates = selectors.templates_for_user(
            user=request.user,
            kind=search["kind"],
            language=search["language"],
            platform=search["platform"],
            tag=search["tag"],
            query=search["q"],
        )
        return Response(TemplateOutput(templates, many=True).data)

    @extend_schema(request=TemplateInput, responses={201: TemplateOutput})
    def post(self, request):
        template = services.template_create(by=request.user, data=request.data)
        return Response(TemplateOutput(template).data, status=status.HTTP_201_CREATED)


class TemplateDetailApi(ApiView):
    @extend_schema(responses=TemplateOutput)
    def get(self, request, template_id: int):
        return Response(TemplateOutput(selectors.template_for_user(user=request.user, template_id=template_id)).data)

    @extend_schema(request=TemplateInput, responses=TemplateOutput)
    def put(self, request, template_id: int):
        return self._update(request, template_id, partial=False)

    @extend_schema(request=TemplatePatchInput, responses=TemplateOutput)
    def patch(self, request, template_id: int):
        return self._update(request, template_id, partial=True)

    def _update(self, request, template_id: int, *, partial: bool) -> Response:
        template = selectors.template_for_user(user=request.user, template_id=template_id)
        template = services.template_update(by=request.user, template=template, data=request.data, partial=partial)
        return Response(TemplateOutput(template).data)

    @extend_schema(responses={204: None})
    def delete(self, request, template_id: int):
        template = selectors.template_for_user(user=request.user, template_id=template_id)
        services.template_delete(by=request.user, template=template)
        return Response(status=status.HTTP_204_NO_CONTENT)


class TemplateDuplicateApi(ApiView):
    # 400: the organization already keeps 500 templates.
    @extend_schema(request=None, responses={201: TemplateOutput, **errors(400)})
    def post(self, request, template_id: int):
        template = selectors.template_for_user(user=request.user, template_id=template_id)
        copy = services.template_duplicate(by=request.user, template=template)
        return Response(TemplateOutput(copy).data, status=status.HTTP_201_CREATED)


class TemplateImportApi(RawBodyMixin, ApiView):
    @extend_schema(
        request=KIT_BODY,
        responses={200: ImportOutput, **errors(400, 413)},
        description="A kit file `{format: crisisdrill-kit/v1, templates: [...]}`: a template whose name the library "
        "has replaces it, the others are added; all or nothing, every error with its path.",
    )
    def post(self, request):
        require_instructor(request.user)  # before the body is read: a participant learns nothing from it
        created, updated = services.kit_import(by=request.user, document=kit_from_request(request))
        created, updated = TemplateOutput(created, many=True).data, TemplateOutput(updated, many=True).data
        return Response({"created": created, "updated": updated})


class TemplateExportApi(ApiView):
    @extend_schema(
        parameters=[OpenApiParameter("format", str, enum=list(TEXT_EXPORT_TYPES), default="yaml")],
        responses={(200, "application/yaml"): OpenApiTypes.OBJECT, (200, "application/json"): OpenApiTypes.OBJECT},
    )
    def get(self, request):
        fmt = request.query_params.get("format", "yaml")
        if fmt not in TEXT_EXPORT_TYPES:
            raise Invalid(MSG_BAD_TEXT_FORMAT, errors=[{"path": "format", "message": MSG_BAD_TEXT_FORMAT}])
        document = services.kit_export(templates=selectors.templates_for_user(user=request.user))
        response = HttpResponse(dump_document(document, fmt), content_type=TEXT_EXPORT_TYPES[fmt])
        response["Content-Disposition"] = f'attachment; filename="crisis-kit.{fmt}"'
        return response
