"""Demo fairs: a few held fairs (and one planned) in programme municipalities that have demo
communities, marked is_demo, made and removed with the registry's demo set (registry.signals)."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.dispatch import receiver

from fairs.models import Fair
from geo.models import Municipality
from geo.selectors import municipality_point
from registry.models import Community
from registry.selectors.programme import programme_current
from registry.signals import demo_loaded, demo_unloading

HELD = 6
FIRST_DATE = date(2026, 4, 18)  # Saturdays of the programme's spring
VENUES = ("Районный дом культуры", "Центральная библиотека", "Молодёжный центр", "Сельский клуб")


@receiver(demo_loaded)
@transaction.atomic
def demo_fairs_load(sender: Any, seed: int, **kwargs: Any) -> list[Fair]:
    rng = random.Random(seed)  # noqa: S311 -- reproducible demo data, not a secret
    programme = programme_current()
    demo = Community.objects.filter(is_demo=True)
    municipality_ids = list(demo.order_by().values_list("municipality_id", flat=True).distinct())
    municipalities = list(Municipality.objects.filter(pk__in=municipality_ids).order_by("name", "pk"))
    fairs = []
    for number, municipality in enumerate(municipalities[: HELD + 1]):
        held = number < HELD
        fair = Fair.objects.create(
            programme=programme,
            municipality=municipality,
            title=f"Ярмарка сообществ: {municipality.name}",
            date=FIRST_DATE + timedelta(weeks=number) if held else FIRST_DATE + timedelta(days=400),
            venue_name=rng.choice(VENUES),
            venue_point=municipality_point(municipality=municipality),
            visitor_count=rng.randint(60, 260) if held else None,
            status=Fair.Status.HELD if held else Fair.Status.PLANNED,
            is_demo=True,
        )
        if held:
            fair.presented_communities.set(demo.filter(municipality=municipality).order_by("pk")[:8])
        fairs.append(fair)
    return fairs


@receiver(demo_unloading)
def demo_fairs_unload(sender: Any, **kwargs: Any) -> int:
    deleted, _ = Fair.objects.filter(is_demo=True).delete()
    return deleted
