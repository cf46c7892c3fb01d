"""One error shape for the whole API: {"errors": [{"field", "message", "code"}]}."""

from __future__ import annotations

import math
from dataclasses import asdict
from typing import Any

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from geo.errors import DomainError, ErrorItem


def _flatten(detail: Any, field: str | None) -> list[ErrorItem]:
    """DRF nests errors as dicts and lists of ErrorDetail; name each by its dotted/indexed path."""
    if isinstance(detail, dict):
        items: list[ErrorItem] = []
        for key, value in detail.items():
            name = None if key in {"non_field_errors", "detail"} else str(key)
            path = name if field is None else (f"{field}.{name}" if name else field)
            items += _flatten(value, path)
        return items
    if isinstance(detail, list):
        items = []
        for index, value in enumerate(detail):
            nested = isinstance(value, (dict, list))
            items += _flatten(value, f"{field}[{index}]" if nested and field else field)
        return items
    return [ErrorItem(field, str(detail), str(getattr(detail, "code", "invalid")))]


def errors_response(
    items: list[ErrorItem], status_code: int, headers: dict[str, str] | None = None
) -> Response:
    return Response({"errors": [asdict(item) for item in items]}, status=status_code, headers=headers)


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DomainError):
        return errors_response(list(exc.items), status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            items = [
                ErrorItem(name, str(message), error.code or "invalid")
                for name, errors in exc.error_dict.items()
                for error in errors
                for message in error
            ]
        else:
            items = [
                ErrorItem(None, str(message), error.code or "invalid")
                for error in exc.error_list
                for message in error
            ]
        return errors_response(items, status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, RequestDataTooBig):
        return errors_response(
            [ErrorItem(None, _("Слишком большой запрос"), "request_too_large")],
            status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
        )
    if isinstance(exc, exceptions.Throttled):
        wait = max(1, math.ceil(getattr(exc, "wait", None) or 1))
        return errors_response(
            [ErrorItem(None, _("Слишком много запросов: повторите через {} с").format(wait), "throttled")],
            status.HTTP_429_TOO_MANY_REQUESTS,
            {"Retry-After": str(wait)},
        )
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(_("Не найдено"))
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None or not isinstance(exc, exceptions.APIException):
        return response
    headers = {
        name: value
        for name, value in response.headers.items()
        if name in {"Retry-After", "WWW-Authenticate", "Allow"}
    }
    return errors_response(_flatten(exc.detail, None), response.status_code, headers)
