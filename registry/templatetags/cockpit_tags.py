"""Small lookups the coordinator's pages need in templates."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django import template

register = template.Library()


@register.filter
def get_item(mapping: Mapping[Any, Any] | Any, key: Any) -> Any:
    """mapping[key] for a dict, else the attribute: None when missing."""
    if isinstance(mapping, Mapping):
        return mapping.get(key)
    return getattr(mapping, str(key), None)


@register.filter
def index(sequence: Sequence[Any], position: int) -> Any:
    return sequence[position] if 0 <= position < len(sequence) else None
