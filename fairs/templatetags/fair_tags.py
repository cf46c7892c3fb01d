"""Fairs on the registry's public pages. The registry may not import fairs (import-linter's layers);
its templates load these tags instead."""

from __future__ import annotations

from typing import Any

from django import template

from fairs.selectors.fairs import fair_public_in, fair_public_of
from geo.models import Municipality
from registry.models import Community

register = template.Library()


@register.inclusion_tag("fairs/public/fair_list.html")
def municipality_fairs(municipality: Municipality) -> dict[str, Any]:
    return {"fairs": list(fair_public_in(municipality=municipality)[:20]), "show_signup": True}


@register.inclusion_tag("fairs/public/fair_list.html")
def community_fairs(community: Community) -> dict[str, Any]:
    return {"fairs": list(fair_public_of(community=community)[:20]), "show_signup": False}
