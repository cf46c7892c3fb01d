"""Request checks that belong to no single view."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from config.views import MACHINE_PREFIXES


class RejectNulMiddleware:
    """A NUL character in a query parameter is a 400 naming the parameter: no text of ours holds
    one, and PostgreSQL refuses it in a string (it would otherwise surface as a 500)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        for name, values in request.GET.lists():
            if "\x00" in name or any("\x00" in value for value in values):
                return self._refuse(request, name.replace("\x00", ""))
        return self.get_response(request)

    @staticmethod
    def _refuse(request: HttpRequest, name: str) -> HttpResponse:
        message = _("Недопустимый символ NUL в параметре «{}»").format(name[:50])
        if request.path.startswith(MACHINE_PREFIXES):
            return JsonResponse(
                {"errors": [{"field": name, "message": message, "code": "nul_character"}]}, status=400
            )
        return HttpResponse(render_to_string("400.html", {"message": message}, request=request), status=400)
