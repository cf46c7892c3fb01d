"""Site-wide error views: Russian pages for people, our JSON error shape for API clients.

A database that has gone away is a 503 with Retry-After, not a 500: the connection is re-opened on
the next request (CONN_HEALTH_CHECKS), so the site recovers by itself when PostgreSQL is back."""

from __future__ import annotations

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

logger = logging.getLogger("karta.errors")
MACHINE_PREFIXES = ("/api/", "/ogc/", "/tiles/")
RETRY_AFTER_S = 30


def _wants_json(request: HttpRequest) -> bool:
    return request.path.startswith(MACHINE_PREFIXES)


def _error(request: HttpRequest, *, status: int, template: str, code: str, message: str) -> HttpResponse:
    if _wants_json(request):
        return JsonResponse({"errors": [{"field": None, "message": message, "code": code}]}, status=status)
    # Rendered without a request context: these pages must not touch the database or the session.
    return HttpResponse(render_to_string(template), status=status)


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: a database outage becomes 503; anything else a plain 500 without details."""
    exception = sys.exc_info()[1]
    if isinstance(exception, OperationalError | InterfaceError):
        # The exception's class only: its text may carry connection details, never personal data here.
        logger.error("database unavailable: %s on %s", type(exception).__name__, request.path)
        response = _error(
            request,
            status=503,
            template="503.html",
            code="database_unavailable",
            message=_("Сервис временно недоступен: база данных не отвечает. Попробуйте через минуту."),
        )
        response["Retry-After"] = str(RETRY_AFTER_S)
        return response
    return _error(
        request,
        status=500,
        template="500.html",
        code="server_error",
        message=_("Внутренняя ошибка сервера. Мы уже знаем о ней."),
    )


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _wants_json(request):
        return JsonResponse(
            {"errors": [{"field": None, "message": _("Не найдено"), "code": "not_found"}]}, status=404
        )
    return HttpResponse(render_to_string("404.html", request=request), status=404)
