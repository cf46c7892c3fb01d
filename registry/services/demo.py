"""The demo data set: plausible communities, leaders and cases in the programme's real settlements,
for trying the product out. Every row is is_demo=True, so it is shown with a «демо» badge and
demo_unload removes it without touching real records. A fixed seed makes it reproducible."""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.contrib.auth.models import User
from django.contrib.gis.geos import Point
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from slugify import slugify

from geo.models import LocationPrecision, Municipality, Settlement
from registry.matching import name_core
from registry.models import (
    Case,
    Community,
    Consent,
    Evidence,
    Leader,
    Leadership,
    Programme,
    Sphere,
    Verification,
)
from registry.services.demo_cases import demo_cases_create
from registry.services.demo_leaders import demo_leaders_create
from registry.services.demo_places import DemoPlacer
from registry.services.demo_texts import ACTIVITIES, HOBBIES, NAMES, STREETS
from registry.signals import demo_loaded, demo_unloading

DEMO_USERNAME = "demo-coordinator"
DEMO_REGION_ISO = "RU-BA"
DEFAULT_COUNT = 300
DEFAULT_SEED = 20240601

# (templates, quoted names): «{name}» is drawn from the names, {place} is the settlement («с. Иглино»).


@dataclass(frozen=True)
class DemoReport:
    communities: int
    leaders: int
    cases: int
    verifications: int
    skipped: bool = False


def demo_municipalities() -> list[Municipality]:
    """The current programme's municipalities, else every district and okrug of the home region."""
    programme = Programme.objects.filter(is_current=True).first()
    municipalities = (
        programme.municipalities.filter(level=Municipality.Level.TOP)
        if programme is not None
        else Municipality.objects.filter(level=Municipality.Level.TOP, region__iso_code=DEMO_REGION_ISO)
    )
    return list(municipalities.filter(boundary__isnull=False).order_by("oktmo", "id"))


def _place_label(settlement: Settlement) -> str:
    return f"{settlement.type}. {settlement.name}" if settlement.type else settlement.name


def _community_name(rng: random.Random, sphere_code: str, settlement: Settlement) -> str:
    templates, names = NAMES.get(sphere_code, NAMES["interest"])
    template = rng.choice(templates)
    name = rng.choice(names)
    return template.format(
        name=name,
        street=rng.choice(STREETS),
        hobby=rng.choice(HOBBIES),
        place=_place_label(settlement),
    )


def _unique_slug(name: str, taken: set[str]) -> str:
    base = slugify(name, max_length=150, word_boundary=True) or "soobshchestvo"
    slug, number = base, 2
    while slug in taken:
        slug = f"{base}-{number}"
        number += 1
    taken.add(slug)
    return slug


def _demo_user() -> User:
    user, created = User.objects.get_or_create(
        username=DEMO_USERNAME, defaults={"first_name": "Демо", "last_name": "Координатор"}
    )
    if created or user.has_usable_password():
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def _valid_until(verified_at: datetime | None) -> date | None:
    return None if verified_at is None else timezone.localdate(verified_at) + timedelta(days=365)


@transaction.atomic
def demo_load(*, count: int = DEFAULT_COUNT, seed: int = DEFAULT_SEED) -> DemoReport:
    """Create the demo set once; a second call finds it and does nothing."""
    existing = Community.objects.filter(is_demo=True).count()
    if existing:
        return DemoReport(
            communities=existing,
            leaders=Leader.objects.filter(is_demo=True).count(),
            cases=Case.objects.filter(is_demo=True).count(),
            verifications=Verification.objects.filter(community__is_demo=True).count(),
            skipped=True,
        )
    rng = random.Random(seed)  # noqa: S311 -- reproducible demo data, not a secret
    municipalities = demo_municipalities()
    if not municipalities or count <= 0:
        return DemoReport(0, 0, 0, 0)
    user = _demo_user()
    now = timezone.now()
    today = timezone.localdate(now)
    spheres = list(Sphere.objects.filter(is_active=True, code__in=NAMES).order_by("position", "id"))
    settlements: dict[int, list[Settlement]] = defaultdict(list)
    for place in Settlement.objects.filter(municipality__in=municipalities).order_by("oktmo"):
        settlements[place.municipality_id].append(place)
    placer = DemoPlacer(municipalities)

    # Every municipality gets its share; the remainder goes to random ones.
    order = [municipalities[index % len(municipalities)] for index in range(count)]
    rng.shuffle(order)
    taken = set(Community.objects.values_list("slug", flat=True))
    used_names: set[tuple[int, str]] = set()
    communities: list[Community] = []
    verified_at: list[datetime | None] = []
    for index, municipality in enumerate(order):
        places = settlements.get(municipality.pk) or []
        with_point = [place for place in places if place.point is not None]
        settlement = (
            rng.choice(with_point if with_point and rng.random() < 0.4 else places) if places else None
        )
        sphere = rng.choice(spheres)
        label = settlement or Settlement(name=municipality.admin_center or municipality.name)
        name = _community_name(rng, sphere.code, label)
        for _ in range(5):  # two same-named groups in one district would look like a duplicate
            if (municipality.pk, name) not in used_names:
                break
            name = _community_name(rng, sphere.code, label)
        used_names.add((municipality.pk, name))
        if (
            settlement is not None
            and settlement.point is not None
            and placer.fits(settlement.point, municipality.pk)
        ):
            location, precision = settlement.point, LocationPrecision.SETTLEMENT
        else:
            location, precision = placer.random_point(rng, municipality.pk), LocationPrecision.MUNICIPALITY
        # Every tenth meets at a private home: its exact place is kept but never published (the
        # public sees its village, else its district). No draw from rng: the rest stays as it was.
        is_hidden = index % 10 == 3
        if is_hidden and precision == LocationPrecision.SETTLEMENT:
            home = Point(location.x + 0.0031, location.y + 0.0017, srid=4326)
            if placer.fits(home, municipality.pk):
                location, precision = home, LocationPrecision.EXACT
        roll = rng.random()
        status = (
            Community.Status.VERIFIED
            if roll < 0.80
            else Community.Status.PROPOSED
            if roll < 0.95
            else Community.Status.ARCHIVED
        )
        when = None
        if status == Community.Status.ARCHIVED:  # verified once, long ago
            when = now - timedelta(days=rng.randint(1, 300) + 400)
        elif status == Community.Status.VERIFIED:
            # A tenth lapsed a few weeks ago (still public within the grace period: the re-verify
            # list), a tenth lapses within two months, the rest are current.
            share = rng.random()
            days = (
                rng.randint(370, 410)
                if share < 0.1
                else rng.randint(306, 360)
                if share < 0.2
                else rng.randint(1, 300)
            )
            when = now - timedelta(days=days)
        verified_at.append(when)
        communities.append(
            Community(
                name=name,
                name_normalized=name_core(name),
                slug=_unique_slug(name, taken),
                description=f"Демонстрационная запись: вымышленное сообщество ({sphere.name.lower()}).",
                sphere=sphere,
                form=Community.Form.REGISTERED if sphere.code == "ngo" else Community.Form.INFORMAL,
                location=location,
                location_precision=precision,
                hide_exact_location=is_hidden,
                municipality=municipality,
                settlement=settlement,
                members_count=rng.randint(5, 120),
                founded_year=rng.randint(1995, today.year),
                activities=ACTIVITIES.get(sphere.code, ""),
                contact=f"demo-{index + 1:03d}@example.org",
                is_contact_public=rng.random() < 0.3,
                status=status,
                # an archived community has no running verification (community_archive clears it)
                verified_until=_valid_until(when) if status == Community.Status.VERIFIED else None,
                archive_reason="Демонстрационная запись: сообщество перестало собираться"
                if status == Community.Status.ARCHIVED
                else "",
                source=Community.Source.TEAM,
                created_by=user,
                is_demo=True,
            )
        )
    Community.objects.bulk_create(communities)
    # One history row each, dated when it was verified: the dashboard's monthly chart and reports
    # «as of» a past date read the registry's history, and would see the demo appear all today.
    for community, when in zip(communities, verified_at, strict=True):
        community._history_date = when or now  # type: ignore[attr-defined]
    Community.history.bulk_history_create(communities, default_user=user)

    verifications = [
        Verification(
            community=community,
            verified_by=user,
            verified_at=when,
            valid_until=timezone.localdate(when) + timedelta(days=365),
            comment="Демонстрационное подтверждение.",
        )
        for community, when in zip(communities, verified_at, strict=True)
        if when is not None
    ]
    Verification.objects.bulk_create(verifications)
    Evidence.objects.bulk_create(
        Evidence(
            verification=verification,
            kind=rng.choice(Evidence.Kind.values),
            text="Демо: проведено собрание, есть список участников и фотографии встреч.",
        )
        for verification in verifications
    )

    leaders, leaderships, consents = demo_leaders_create(
        rng=rng, communities=communities, user=user, now=now, target=max(1, count // 2)
    )
    cases = demo_cases_create(rng=rng, communities=communities, user=user, now=now)
    demo_loaded.send(sender=DemoReport, seed=seed)
    return DemoReport(
        communities=len(communities),
        leaders=len(leaders),
        cases=len(cases),
        verifications=len(verifications),
    )


@transaction.atomic
def demo_unload() -> DemoReport:
    """Delete the demo rows, and the history they left, and nothing else."""
    demo_unloading.send(sender=DemoReport)
    community_ids = list(Community.objects.filter(is_demo=True).values_list("pk", flat=True))
    leader_ids = list(Leader.objects.filter(is_demo=True).values_list("pk", flat=True))
    demo_cases = Case.objects.filter(Q(is_demo=True) | Q(community_id__in=community_ids))
    case_ids = list(demo_cases.values_list("pk", flat=True))
    verifications = Verification.objects.filter(community_id__in=community_ids)
    verification_count = verifications.count()

    Evidence.objects.filter(verification__in=verifications).delete()
    verifications.delete()
    demo_cases.delete()
    Consent.objects.filter(leader_id__in=leader_ids).delete()
    Leadership.objects.filter(Q(leader_id__in=leader_ids) | Q(community_id__in=community_ids)).delete()
    Leader.objects.filter(pk__in=leader_ids).delete()
    Community.objects.filter(pk__in=community_ids).delete()

    # The history tables would otherwise keep every demo name and phone.
    Community.history.filter(id__in=community_ids).delete()
    Leader.history.filter(id__in=leader_ids).delete()
    Case.history.filter(id__in=case_ids).delete()
    Verification.history.filter(community_id__in=community_ids).delete()
    Leadership.history.filter(Q(leader_id__in=leader_ids) | Q(community_id__in=community_ids)).delete()
    Consent.history.filter(leader_id__in=leader_ids).delete()

    User.objects.filter(username=DEMO_USERNAME).exclude(
        pk__in=Verification.objects.values("verified_by")
    ).delete()
    return DemoReport(
        communities=len(community_ids),
        leaders=len(leader_ids),
        cases=len(case_ids),
        verifications=verification_count,
    )
