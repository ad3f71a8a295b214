"""The domain errors every service raises, and their one translation to REST responses.

The websocket consumer translates the same errors to `error` frames (drills.consumers). Messages are said
in the request's language (config.texts); codes, paths and the other keys never change.
"""

from __future__ import annotations

from django.http import Http404, JsonResponse
from django.utils.translation import gettext_noop
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from config.texts import translated, translated_issues

MSG_NOT_FOUND = gettext_noop("Not found.")
MSG_INVALID_INPUT = gettext_noop("Invalid input.")
MSG_SERVER_ERROR = gettext_noop("Server error.")
MSG_UNAVAILABLE = gettext_noop("The server is busy: nothing was done. Try again.")


class DomainError(Exception):
    code = "invalid"
    status = 400

    def __init__(self, message: str, *, errors: list[dict] | None = None, extra: dict | None = None):
        super().__init__(message)
        self.message = message
        self.errors = errors or []
        self.extra = extra or {}

    def body(self) -> dict:
        """The REST body, in the active language."""
        body = {"detail": translated(self.message), "code": self.code, **self.extra}
        if self.errors:
            body["errors"] = translated_issues(self.errors)
        return body

    def headers(self) -> dict:
        """HTTP headers the REST answer carries beside the body."""
        return {}


class Invalid(DomainError):
    """Bad input; `errors` lists `{path, message}` for each mistake."""


class NotFound(DomainError):
    code = "not_found"
    status = 404

    def __init__(self, message: str = MSG_NOT_FOUND, **kwargs):
        super().__init__(message, **kwargs)


class Forbidden(DomainError):
    code = "forbidden"
    status = 403


class Conflict(DomainError):
    code = "conflict"
    status = 409


class RateLimited(DomainError):
    code = "rate_limited"
    status = 429

    def __init__(self, message: str, *, retry_after_s: int = 60, **kwargs):
        super().__init__(message, **kwargs)
        self.retry_after_s = retry_after_s

    def headers(self) -> dict:
        return {"Retry-After": str(self.retry_after_s)}


class TooLarge(DomainError):
    code = "too_large"
    status = 413


class ServerError(DomainError):
    """Anything else a websocket action raised: logged, said as an error frame; the socket stays open. Its code
    is `unavailable`, one of the contract's codes (PROTOCOL.md section 3): the action's transaction rolled back,
    so nothing was written."""

    code = "unavailable"
    status = 500

    def __init__(self, message: str = MSG_SERVER_ERROR, **kwargs):
        super().__init__(message, **kwargs)


class Unavailable(DomainError):
    """A transient server fault (the database is busy): nothing was written, the client may retry."""

    code = "unavailable"
    status = 503

    def __init__(self, message: str = MSG_UNAVAILABLE, **kwargs):
        super().__init__(message, **kwargs)


def flatten_errors(detail, path: str = "") -> list[dict]:
    """DRF's nested error structure as a flat list of {path, message}, paths like `seats[0].user`."""
    if isinstance(detail, dict):
        out = []
        for key, value in detail.items():
            out += flatten_errors(value, _child_path(path, key))
        return out
    if isinstance(detail, list):
        if all(not isinstance(item, (dict, list)) for item in detail):
            return [{"path": path, "message": str(item)} for item in detail]
        out = []
        for index, item in enumerate(detail):
            out += flatten_errors(item, f"{path}[{index}]")
        return out
    return [{"path": path, "message": str(detail)}]


def _child_path(path: str, key) -> str:
    if key == "non_field_errors":
        return path
    if isinstance(key, int):  # DRF keys list items by index
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else str(key)


def api_exception_handler(exc, context):
    if isinstance(exc, DomainError):
        return Response(exc.body(), status=exc.status, headers=exc.headers())
    if isinstance(exc, exceptions.ValidationError):
        # DRF's own messages come translated already; ours (MSG_UNKNOWN_FIELD ...) are translated here.
        errors = translated_issues(flatten_errors(exc.detail))
        detail = errors[0]["message"] if len(errors) == 1 else translated(MSG_INVALID_INPUT)
        return Response({"detail": detail, "errors": errors}, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, Http404):
        return Response({"detail": translated(MSG_NOT_FOUND)}, status=status.HTTP_404_NOT_FOUND)
    return exception_handler(exc, context)


@csrf_exempt  # a POST to a path that does not exist is a 404, not CsrfViewMiddleware's 403 page
def json_not_found(request, exception=None):
    return JsonResponse({"detail": translated(MSG_NOT_FOUND)}, status=404)


def json_server_error(request):
    return JsonResponse({"detail": translated(MSG_SERVER_ERROR)}, status=500)
