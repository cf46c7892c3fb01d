"""The demo data set: plausible communities, leaders and cases in the programme's real settlements,
for trying the product out. Every row is is_demo=True, so it is shown with a «демо» badge and
demo_unload removes it without touching real records. A fixed seed makes it reproducible."""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.contrib.auth.models import User
from django.contrib.gis.geos import Point, Polygon
from django.contrib.gis.geos.prepared import PreparedGeometry
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from slugify import slugify

from geo.models import LocationPrecision, Municipality, Settlement
from geo.text import fold
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
from registry.services.demo_texts import (
    ACTIVITIES,
    CASE_STORIES,
    FATHERS,
    FEMALE_FIRST,
    HOBBIES,
    MALE_FIRST,
    NAMES,
    STREETS,
    SURNAMES,
)
from registry.signals import demo_loaded, demo_unloading

DEMO_USERNAME = "demo-coordinator"
DEMO_REGION_ISO = "RU-BA"
DEFAULT_COUNT = 300
DEFAULT_SEED = 20240601
DEMO_PURPOSE = "Демонстрационные данные: вымышленный человек"
MAX_POINT_TRIES = 500

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


class _Placer:
    """Points that municipality_locate puts back in their municipality: inside its boundary and
    inside no other district's (neighbouring boundaries may overlap by a sliver)."""

    def __init__(self, municipalities: Sequence[Municipality]) -> None:
        shapes = {m.pk: m.boundary for m in municipalities if m.boundary is not None}
        self.extents = {pk: shape.extent for pk, shape in shapes.items()}
        self.prepared = {pk: shape.prepared for pk, shape in shapes.items()}
        x0 = min(extent[0] for extent in self.extents.values())
        y0 = min(extent[1] for extent in self.extents.values())
        x1 = max(extent[2] for extent in self.extents.values())
        y1 = max(extent[3] for extent in self.extents.values())
        everyone = Municipality.objects.filter(
            level=Municipality.Level.TOP,
            boundary__bboverlaps=Polygon.from_bbox((x0, y0, x1, y1)),
        ).only("id", "boundary")
        self.neighbours: dict[int, list[PreparedGeometry]] = defaultdict(list)
        for other in everyone:
            if other.boundary is None:
                continue
            box = other.boundary.envelope
            for pk in self.prepared:
                if other.pk != pk and box.intersects(Polygon.from_bbox(self.extents[pk])):
                    self.neighbours[pk].append(other.boundary.prepared)

    def fits(self, point: Point, municipality_id: int) -> bool:
        return self.prepared[municipality_id].intersects(point) and not any(
            other.intersects(point) for other in self.neighbours[municipality_id]
        )

    def random_point(self, rng: random.Random, municipality_id: int) -> Point:
        x0, y0, x1, y1 = self.extents[municipality_id]
        for _ in range(MAX_POINT_TRIES):
            point = Point(round(rng.uniform(x0, x1), 6), round(rng.uniform(y0, y1), 6), srid=4326)
            if self.fits(point, municipality_id):
                return point
        raise RuntimeError(f"no point found inside municipality {municipality_id}")


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


def _person(rng: random.Random) -> str:
    surname, father = rng.choice(SURNAMES), rng.choice(FATHERS)
    if rng.random() < 0.5:
        return f"{surname} {rng.choice(MALE_FIRST)} {father}ович".replace("йович", "евич")
    patronymic = f"{father}овна".replace("йовна", "евна")
    return f"{surname}а {rng.choice(FEMALE_FIRST)} {patronymic}"


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
    placer = _Placer(municipalities)

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

    leaders, leaderships, consents = _demo_leaders(
        rng, communities, user=user, now=now, target=max(1, count // 2)
    )
    cases = _demo_cases(rng, communities, user=user, now=now)
    demo_loaded.send(sender=DemoReport, seed=seed)
    return DemoReport(
        communities=len(communities),
        leaders=len(leaders),
        cases=len(cases),
        verifications=len(verifications),
    )


def _demo_leaders(
    rng: random.Random, communities: Sequence[Community], *, user: User, now: datetime, target: int
) -> tuple[list[Leader], list[Leadership], list[Consent]]:
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


def _demo_cases(
    rng: random.Random, communities: Sequence[Community], *, user: User, now: datetime
) -> list[Case]:
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
