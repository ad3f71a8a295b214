"""The scenario's other forms over REST (PROTOCOL 1.7): the JSON Schema editors read, and the .xlsx workbook
(its upload recognised by content type or file name, its download). `scenarios.api` calls these."""

from django.http import HttpResponse
from django.utils.cache import get_conditional_response
from django.utils.translation import gettext_noop
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny

from config.api_base import ApiView
from config.errors import Invalid
from config.schema import ErrorOutput
from scenarios.schema import schema_bytes
from scenarios.validation import MSG_TOO_LARGE
from scenarios.workbook import MAX_WORKBOOK_BYTES, XLSX_TYPE, is_macro_upload, workbook_from_document
from scenarios.workbook.layout import MSG_MACROS

MSG_MACRO_FILE = gettext_noop("The workbook was refused.")
SCHEMA_TYPE = "application/schema+json"
# Editors fetch the schema as they open a file: an hour fresh, then revalidated by its ETag.
SCHEMA_CACHE_CONTROL = "public, max-age=3600"


def workbook_upload(request) -> bytes | None:
    """The .xlsx workbook a request to import carries (its body or its multipart `file`), or None for a YAML or
    JSON document. A macro-enabled file is refused by its name or type before anything reads it."""
    if request.content_type.startswith("multipart/"):
        upload = request.FILES.get("file")
        if upload is None:
            return None
        name, content_type = upload.name or "", upload.content_type or ""
        size = upload.size
    else:
        name, content_type, upload = "", request.content_type, None
        size = len(request.data) if isinstance(request.data, bytes) else 0
    if is_macro_upload(name=name, content_type=content_type):
        raise Invalid(MSG_MACRO_FILE, errors=[{"path": "file", "cell": None, "message": MSG_MACROS}])
    if not (name.lower().endswith(".xlsx") or content_type == XLSX_TYPE):
        return None
    if size > MAX_WORKBOOK_BYTES:  # a bad workbook like the others (issue 17); bodies over 2 MiB are 413 before this
        raise Invalid(MSG_TOO_LARGE, errors=[{"path": "file", "cell": None, "message": MSG_TOO_LARGE}])
    return upload.read() if upload is not None else request.data


def workbook_response(scenario) -> HttpResponse:
    response = HttpResponse(workbook_from_document(scenario.spec), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="scenario-{scenario.pk}.xlsx"'
    return response


class WorkbookIssueOutput(serializers.Serializer):
    path = serializers.CharField(allow_blank=True, help_text="Where in the document, like `injects[3].at`")
    cell = serializers.CharField(
        allow_null=True, required=False, help_text="Where in the workbook, like `injects!C5`, if known (workbooks only)"
    )
    message = serializers.CharField()


class WorkbookInvalidOutput(ErrorOutput):
    errors = WorkbookIssueOutput(many=True, required=False)


IMPORT_ERRORS = {
    400: OpenApiResponse(
        WorkbookInvalidOutput,
        description="Invalid document: `errors` lists each mistake as `{path, message}`, with `cell` for a workbook"
        " (a workbook over 1 MiB too: path `file`).",
    ),
    413: OpenApiResponse(
        WorkbookInvalidOutput, description="The document is larger than 1 MiB, or the request body than 2 MiB."
    ),
}


class ScenarioSchemaApi(ApiView):
    """The JSON Schema of crisisdrill/v1: public, the same for everyone, cached by browsers and editors."""

    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema(
        responses={
            (200, SCHEMA_TYPE): OpenApiResponse(OpenApiTypes.OBJECT, description="A draft 2020-12 JSON Schema."),
            304: OpenApiResponse(description="Not modified since the ETag sent in If-None-Match."),
        },
    )
    def get(self, request):
        body, etag = schema_bytes()
        response = HttpResponse(body, content_type=SCHEMA_TYPE)
        response["ETag"] = etag
        response["Cache-Control"] = SCHEMA_CACHE_CONTROL
        return get_conditional_response(request, etag=etag, response=response)  # 304 when If-None-Match matches
