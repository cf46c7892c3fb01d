"""The demo set's success stories: one case per sphere that has a story, on a verified community."""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import datetime

from django.contrib.auth.models import User

from registry.models import Case, Community
from registry.services.demo_texts import CASE_STORIES


def demo_cases_create(
    *, rng: random.Random, communities: Sequence[Community], user: User, now: datetime
) -> list[Case]:
    """One published case story per sphere that has one, told of a verified demo community."""
    published = [community for community in communities if community.status == Community.Status.VERIFIED]
    cases: list[Case] = []
    for sphere_code, (title, story, rules) in CASE_STORIES.items():
        candidates = [
            community for community in published if community.sphere and community.sphere.code == sphere_code
        ]
        if not candidates:
            continue
        cases.append(
            Case(
                community=rng.choice(candidates),
                title=title,
                story=story,
                golden_rules=list(rules),
                is_published=True,
                published_by=user,
                published_at=now,
                is_demo=True,
            )
        )
    Case.objects.bulk_create(cases)
    return cases
