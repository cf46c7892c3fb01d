"""Who may open the coordinator's pages: the «Координаторы программы» group (or a superuser), with
or without staff status; anyone else is told nothing exists there."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse

from registry.models import Programme
from registry.selectors.programme import programme_current
from registry.selectors.teams import user_is_coordinator

View = Callable[..., HttpResponse]


def coordinator_required(view: View) -> View:
    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not user_is_coordinator(user=request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def programme_or_404() -> Programme:
    programme = programme_current()
    if programme is None:
        raise Http404
    return programme
