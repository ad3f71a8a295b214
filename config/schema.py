"""The OpenAPI document's shared pieces: the error bodies of config.errors, declared once for every view.

`ApiSchema` adds the errors any operation can answer from its shape alone (400 and 413 for a body, 400 for
query parameters, 401 and 403 when signed in, 404 for an id in the path); a view declares the others it can
answer (409, 429, a 400 without a body) with `errors(...)`:

    @extend_schema(request=DraftInput, responses={201: ResponseOutput, **errors(409, 429)})
"""

import re

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import is_serializer
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers
from rest_framework.permissions import AllowAny


class IssueOutput(serializers.Serializer):
    path = serializers.CharField(
        allow_blank=True, help_text="Where the mistake is, like `seats[0].user`; empty for the whole body"
    )
    message = serializers.CharField()
    # A scenario document sent as text (PROTOCOL 1.7): where the mistake is in that text.
    line = serializers.IntegerField(required=False, allow_null=True, help_text="documents as text: 1-based line")
    column = serializers.IntegerField(required=False, allow_null=True, help_text="documents as text: 1-based column")


class ErrorOutput(serializers.Serializer):
    """Every 4xx body (config.errors): a sentence in the request's language, and a stable `code` on domain errors."""

    detail = serializers.CharField()
    code = serializers.CharField(required=False, help_text="`invalid`, `not_found`, `forbidden`, `conflict`, ...")


class InvalidOutput(ErrorOutput):
    errors = IssueOutput(many=True, required=False, help_text="Every mistake at once; absent for an unreadable body")


ERROR_RESPONSES = {
    400: OpenApiResponse(InvalidOutput, description="Invalid input: `errors` lists each mistake as `{path, message}`."),
    401: OpenApiResponse(ErrorOutput, description="Not signed in, or the token is unknown or expired."),
    403: OpenApiResponse(
        ErrorOutput, description="Signed in without the right to do this (role, seat, step or organization)."
    ),
    404: OpenApiResponse(ErrorOutput, description="No such object in your organization."),
    409: OpenApiResponse(ErrorOutput, description="Not possible in the object's current state (`status` tells it)."),
    413: OpenApiResponse(ErrorOutput, description="The body is larger than allowed."),
    429: OpenApiResponse(ErrorOutput, description="Too many attempts or actions in a short time; try again later."),
}
WRITE_METHODS = ("POST", "PUT", "PATCH")


def errors(*statuses: int) -> dict:
    """The error responses for `statuses`, to merge into an `extend_schema(responses={...})`."""
    return {status: ERROR_RESPONSES[status] for status in statuses}


def refuse_unknown_keys(result, generator, request, public):
    """Postprocessing hook: a JSON body's top-level keys are exactly its fields (config.api_base.check_input
    answers 400 for any other key), so each request component says `additionalProperties: false`."""
    components = result.get("components", {}).get("schemas", {})
    for operation in (op for item in result.get("paths", {}).values() for op in item.values()):
        schema = operation.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema", {})
        name = schema.get("$ref", "").removeprefix("#/components/schemas/")
        if name in components and components[name].get("type") == "object":
            components[name]["additionalProperties"] = False
    return result


class ApiSchema(AutoSchema):
    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for status in self.implied_errors():
            if str(status) not in responses:
                responses[str(status)] = self._get_response_for_code(ERROR_RESPONSES[status], str(status))
        return dict(sorted(responses.items()))

    def _get_response_headers_for_code(self, status_code, direction="response"):
        headers = super()._get_response_headers_for_code(status_code, direction)
        if status_code == "429":
            headers["Retry-After"] = {"schema": {"type": "integer"}, "description": "Seconds until a retry may pass"}
        return headers

    def get_operation_id(self) -> str:
        # The view's name and the method: spectacular's path-based ids collide for a list and its detail.
        name = re.sub(r"(?<!^)(?=[A-Z])", "_", type(self.view).__name__.removesuffix("Api")).lower()
        return f"{name}_{self.method.lower()}"

    def implied_errors(self) -> list[int]:
        statuses = []
        if self.method in WRITE_METHODS and self.get_request_serializer() is not None:
            statuses += [400, 413]
        elif self._reads_query():
            statuses.append(400)
        if self._signed_in():
            statuses += [401, 403]
        if "{" in self.path:
            statuses.append(404)
        return statuses

    def _reads_query(self) -> bool:
        # A serializer among the parameters stands for its fields as query parameters.
        parameters = self.get_override_parameters()
        return any(is_serializer(p) or getattr(p, "location", None) == "query" for p in parameters)

    def _signed_in(self) -> bool:
        permissions = self.view.get_permissions()
        return bool(self.view.get_authenticators()) and not all(isinstance(p, AllowAny) for p in permissions)
