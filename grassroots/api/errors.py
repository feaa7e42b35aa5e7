"""The one shape of every API error (settings.REST_FRAMEWORK["EXCEPTION_HANDLER"]).

Every error answer of every endpoint is

    {"detail": "<one sentence for a person>", "code": "<machine code>", "errors": {"<field>": ["…"], …}}

- `detail` is in the caller's language (Accept-Language / the site's language switch, Chinese by default);
  for invalid input it repeats the first field message, so a client that shows only `detail` still says
  what is wrong;
- `code` is DRF's code of the error: `invalid`, `parse_error`, `not_authenticated`, `authentication_failed`,
  `permission_denied`, `not_found`, `method_not_allowed`, `not_acceptable`, `unsupported_media_type`,
  `throttled` — or a more precise one given by the code that refused (e.g. `escalation`);
- `errors` maps each input field to its messages (`non_field_errors` for the request as a whole); `{}` when
  the error is not about input.

Django's own exceptions raised by a service are translated here, once for every viewset: a
`ValidationError` becomes a 400 on the fields it names, `PermissionDenied` a 403 with its message, and
`Http404` a 404 "未找到。" — never Django's "No <Model> matches the given query.", which would name the
model behind the URL; a workflow's `TransitionRefused` its 403, 409 or 400 (`api.transitions.refusal`).
"""

from __future__ import annotations

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.serializers import as_serializer_error
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from grassroots.api.transitions import refusal
from grassroots.workflow.engine import TransitionRefused


def _as_drf(exc: Exception) -> Exception:
    if isinstance(exc, TransitionRefused):
        # a service that takes a workflow step refused it (state, permission, condition): the API's answer
        # to a refusal, whichever endpoint called the service — never a 500
        return refusal(exc)
    if isinstance(exc, DjangoValidationError):
        detail = as_serializer_error(exc)
        if NON_FIELD_ERRORS in detail:
            detail[api_settings.NON_FIELD_ERRORS_KEY] = detail.pop(NON_FIELD_ERRORS)
        return exceptions.ValidationError(detail=detail)
    if isinstance(exc, Http404):
        return exceptions.NotFound()  # the generic "未找到。": never the model's name
    if isinstance(exc, DjangoPermissionDenied):
        message = str(exc.args[0]) if exc.args and exc.args[0] else None
        return exceptions.PermissionDenied(message)
    return exc


def _first_message(errors) -> str | None:
    if isinstance(errors, dict):
        for value in errors.values():
            if (found := _first_message(value)) is not None:
                return found
        return None
    if isinstance(errors, list):
        for value in errors:
            if (found := _first_message(value)) is not None:
                return found
        return None
    return str(errors) if errors is not None else None


def _code_of(exc: exceptions.APIException) -> str:
    if isinstance(exc, exceptions.ValidationError):
        return "invalid"
    codes = exc.get_codes()
    if isinstance(codes, str):
        return codes
    return exc.default_code


def error_body(exc: exceptions.APIException) -> dict:
    """The body of the answer to `exc` (see the module's docstring)."""
    if isinstance(exc, exceptions.ValidationError):
        errors = exc.detail
        if isinstance(errors, list):  # raised without a field: about the request as a whole
            errors = {api_settings.NON_FIELD_ERRORS_KEY: errors}
        first = _first_message(errors)
        return {"detail": first or str(_("提交的数据有误。")), "code": "invalid", "errors": errors}
    detail = exc.detail
    if isinstance(detail, (list, dict)):  # an APIException raised with a structure: keep it as errors
        return {
            "detail": _first_message(detail) or str(exc.default_detail),
            "code": _code_of(exc),
            "errors": detail,
        }
    return {"detail": str(detail), "code": _code_of(exc), "errors": {}}


def exception_handler(exc, context):
    """DRF's handler (headers, rollback) with Django's exceptions translated and the body in one shape."""
    exc = _as_drf(exc)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # not an API error: a real server error, answered by Django (500)
    response.data = error_body(exc)
    return response
