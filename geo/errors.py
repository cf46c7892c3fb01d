"""Errors every app may raise: the bottom layer, so geo owns them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ErrorItem:
    field: str | None  # "location", "rows[12].phone"; None = the whole request
    message: str  # Russian, for people: row, field, what was expected, what came
    code: str  # English snake_case, for programs and tests: "phone_invalid"


class DomainError(Exception):
    def __init__(self, *items: ErrorItem) -> None:
        super().__init__(", ".join(item.code for item in items))  # codes only: safe to log
        self.items = items
