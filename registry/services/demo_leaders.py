"""The demo set's people: invented leaders of the demo communities, with their roles and consents."""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime

from django.contrib.auth.models import User

from geo.text import fold
from registry.models import Community, Consent, Leader, Leadership
from registry.services.demo_texts import FATHERS, FEMALE_FIRST, MALE_FIRST, SURNAMES

DEMO_PURPOSE = "Демонстрационные данные: вымышленный человек"


def _person(rng: random.Random) -> str:
    surname, father = rng.choice(SURNAMES), rng.choice(FATHERS)
    if rng.random() < 0.5:
        return f"{surname} {rng.choice(MALE_FIRST)} {father}ович".replace("йович", "евич")
    patronymic = f"{father}овна".replace("йовна", "евна")
    return f"{surname}а {rng.choice(FEMALE_FIRST)} {patronymic}"


def demo_leaders_create(
    *, rng: random.Random, communities: Sequence[Community], user: User, now: datetime, target: int
) -> tuple[list[Leader], list[Leadership], list[Consent]]:
    """Invented leaders for the demo communities, their roles and the consents they gave."""
    hosts = [community for community in communities if community.status != Community.Status.ARCHIVED]
    if not hosts:
        return [], [], []
    first = rng.sample(hosts, k=min(target, len(hosts)))
    leaders: list[Leader] = []
    links: list[tuple[int, Community, str]] = []
    for number in range(1, target + 1):
        community = first[number - 1] if number <= len(first) else rng.choice(hosts)
        full_name = _person(rng)
        has_contacts = rng.random() < 0.7
        leaders.append(
            Leader(
                full_name=full_name,
                name_normalized=fold(full_name),
                roles=sorted(rng.sample(Leader.CitizenRole.values, k=rng.randint(1, 2))),
                phone="",  # no demo phones: every valid Russian mobile number may belong to someone
                email=f"demo-leader-{number:03d}@example.org" if has_contacts else "",
                municipality=community.municipality,
                created_by=user,
                is_demo=True,
            )
        )
        links.append(
            (
                number - 1,
                community,
                Leadership.Role.FOUNDER if rng.random() < 0.4 else Leadership.Role.COORDINATOR,
            )
        )
    Leader.objects.bulk_create(leaders)

    same_place: dict[int, list[Community]] = defaultdict(list)
    for community in hosts:
        same_place[community.municipality_id].append(community)
    leaderships = [
        Leadership(leader=leaders[index], community=community, role=role) for index, community, role in links
    ]
    for index, community, _role in links:
        others = [other for other in same_place[community.municipality_id] if other.pk != community.pk]
        if others and rng.random() < 0.2:  # some people lead two groups in their district
            leaderships.append(
                Leadership(leader=leaders[index], community=rng.choice(others), role=Leadership.Role.MEMBER)
            )
    Leadership.objects.bulk_create(leaderships, ignore_conflicts=True)

    consents: list[Consent] = []
    for leader in leaders:
        scopes = []
        if leader.phone or leader.email:
            scopes.append(Consent.Scope.STORE_CONTACTS)
        if rng.random() < 0.85:
            scopes.append(Consent.Scope.PUBLISH_NAME)
            if leader.email and rng.random() < 0.4:
                scopes.append(Consent.Scope.PUBLISH_CONTACTS)
        consents += [
            Consent(
                leader=leader,
                scope=scope,
                purpose=DEMO_PURPOSE,
                method=Consent.Method.TEAM_MEMBER,
                collected_by=user,
                collected_at=now,
                source="demo",
            )
            for scope in scopes
        ]
    Consent.objects.bulk_create(consents)
    return leaders, leaderships, consents
