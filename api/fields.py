"""Query-parameter parsing shared by the API's filter serializers."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers


class StrictBooleanField(serializers.BooleanField):
    """1/0/true/false only: «simplified=maybe» is an error, not False."""

    default_error_messages = {"invalid": _("Ожидается 1, 0, true или false, получено «{input}»")}

    def to_internal_value(self, data: object) -> bool:
        text = str(data).strip().lower()
        if text in {"1", "true", "yes"}:
            return True
        if text in {"0", "false", "no", ""}:
            return False
        self.fail("invalid", input=str(data)[:50])
        raise AssertionError  # unreachable: fail() raises


OKTMO_8 = r"^[0-9]{8}$"
