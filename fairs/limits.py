"""Limits of the on-site sign-up form (the poster's QR code): per fair and per device, not per address.

At a fair everyone shares the venue's Wi-Fi or a carrier's NAT, so one address sends hundreds of
honest sign-ups in an hour; an address limit would turn people away. Abuse is held instead by
- a per-device limit: the device is a random id kept in a cookie and carried, signed, in the form;
- a per-fair limit: a flood against one fair stops at a ceiling no real fair reaches;
- the honeypot field and the form's timing (sent faster than a person can type: kept nothing).
As in registry.limits, only accepted submissions count: a typo or a refusal costs nothing."""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.http import HttpRequest
from django_ratelimit.core import get_usage

GROUP = "fair-signup"
SIGNING_SALT = "fairs.signup.started"
DEVICE_COOKIE = "karta_fair_device"
TOKEN_MAX_AGE_S = 24 * 3600  # a form left open a whole day is asked to be sent again


@dataclass(frozen=True)
class FormStart:
    """When the form was shown, and to which device."""

    device: str
    started_at: float

    def token(self) -> str:
        return signing.dumps({"d": self.device, "t": self.started_at}, salt=SIGNING_SALT)

    def is_too_fast(self, *, now: float | None = None) -> bool:
        """Sent sooner than a person can fill it in: a script."""
        return (now or time.time()) - self.started_at < settings.FAIR_SIGNUP_MIN_SECONDS


def form_start_new(*, request: HttpRequest) -> FormStart:
    """A fresh start for the device in the cookie (a new device id if there is none)."""
    device = request.get_signed_cookie(DEVICE_COOKIE, default="", salt=SIGNING_SALT) or secrets.token_urlsafe(
        16
    )
    return FormStart(device=device, started_at=time.time())


def form_start_read(token: str) -> FormStart | None:
    """The start carried by a submitted form; None when missing, forged or a day old."""
    try:
        payload = signing.loads(token, salt=SIGNING_SALT, max_age=TOKEN_MAX_AGE_S)
        return FormStart(device=str(payload["d"]), started_at=float(payload["t"]))
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None


def _usages(request: HttpRequest, *, fair_id: int, start: FormStart, increment: bool) -> list[dict | None]:
    return [
        get_usage(
            request,
            group=f"{GROUP}:{scope}",
            key=lambda group, request, value=value: value,
            rate=rate,
            method="POST",
            increment=increment,
        )
        for scope, value, rate in (
            ("device", start.device, settings.FAIR_SIGNUP_DEVICE_RATE),
            ("fair", str(fair_id), settings.FAIR_SIGNUP_FAIR_RATE),
        )
    ]


def signup_is_limited(request: HttpRequest, *, fair_id: int, start: FormStart) -> bool:
    """Has this device, or this fair, used up its sign-ups for now? (Counts nothing.)"""
    return any(
        usage is not None and usage["count"] >= usage["limit"]
        for usage in _usages(request, fair_id=fair_id, start=start, increment=False)
    )


def signup_count(request: HttpRequest, *, fair_id: int, start: FormStart) -> None:
    """One accepted sign-up from this device to this fair."""
    _usages(request, fair_id=fair_id, start=start, increment=True)
