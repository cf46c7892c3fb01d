"""Per-address limits of the public forms (proposal, privacy request; fair sign-ups may use it too).

Only accepted submissions count: a form that fails validation or is refused costs nothing, so a
library or a fair sharing one address is not locked out by its visitors' typos. The address is
REMOTE_ADDR as config.client_address settled it (the real client behind our proxies)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django_ratelimit.core import get_usage, is_ratelimited


def public_form_is_limited(request: HttpRequest, *, group: str) -> bool:
    """Has this address used up its submissions? (Counts nothing.)"""
    if not getattr(settings, "RATELIMIT_ENABLE", True):
        return False
    usage = get_usage(
        request, group=group, key="ip", rate=settings.PUBLIC_FORM_RATE, method="POST", increment=False
    )
    return usage is not None and usage["count"] >= usage["limit"]


def public_form_count(request: HttpRequest, *, group: str) -> None:
    """One accepted submission from this address."""
    is_ratelimited(
        request, group=group, key="ip", rate=settings.PUBLIC_FORM_RATE, method="POST", increment=True
    )
