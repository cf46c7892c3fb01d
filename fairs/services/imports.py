"""Fair writes: importing a typed-up sheet of sign-ups into the registry.

One file is staged in one transaction: every row is kept (valid or not), normalised, located,
matched against the registry and against earlier rows of the same file, and resolved — a
confident match links, a clearly new community is created as proposed, anything uncertain waits
for a person. The same file twice creates nothing; a changed file imports only its new rows."""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.contrib.gis.geos import Point
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fairs.intake.consent import consent_read
from fairs.intake.memory import mapping_remember, mapping_remembered
from fairs.intake.report import (
    COUNT_KEYS,
    ImportReport,
    RowCandidate,
    RowDecision,
    RowError,
    RowResult,
    SheetLayout,
)
from fairs.models import Fair, Signup, SignupImport
from fairs.normalise import MunicipalityReader, members_read, year_read
from fairs.reading import SheetRow, sheet_read
from fairs.selectors import CandidateFinder, RegistryCandidate
from geo.errors import DomainError, ErrorItem
from geo.models import LocationPrecision, Municipality
from geo.selectors import PlaceMatch, PointLookups, municipality_point, place_locate
from geo.text import fold
from registry.lemmas import inflect_locative
from registry.matching import (
    name_fold,
    name_numbers,
    name_similarity,
    name_stems,
    name_without_settlement,
    stems_could_reach,
)
from registry.models import Community, Consent, Leader, Leadership
from registry.selectors.teams import team_has_member
from registry.services.bulk import NewInstances, ids_reserve, rows_copy
from registry.services.communities import CommunityBatch
from registry.services.leaders import ConsentInput, leader_contacts_fill, leader_create
from registry.signals import RegistryChanges
from registry.spheres import SphereReader
from registry.validators import email_clean, name_clean, phone_clean

Progress = Callable[[Iterable[Any], int], Iterable[Any]]
STATUS_KEYS = COUNT_KEYS  # a row's status → its count in the report
SIGNUP_BATCH = 1000  # sign-ups written per COPY
SHEET_PURPOSE = "Связь с лидером сообщества по программе; согласие дано в анкете на ярмарке сообществ"
ONLINE_PURPOSE = "Связь с лидером сообщества по программе; согласие дано в онлайн-форме ярмарки сообществ"


# Column, its label in messages (translated only when a message is written), reader, sign-up attribute.
FIELD_READERS: tuple[tuple[str, Promise, Callable[[str], Any], str], ...] = (
    ("phone", gettext_lazy("Телефон"), phone_clean, "phone"),
    ("email", gettext_lazy("Эл. почта"), email_clean, "email"),
    ("members", gettext_lazy("Численность"), members_read, "members_count"),
    ("founded", gettext_lazy("Год создания"), year_read, "founded_year"),
)


class _DryRun(Exception):
    """Raised inside the transaction of a dry run so that nothing it wrote survives."""


@dataclass
class PipelineRow:
    number: int
    values: dict[str, str]
    raw: dict[str, str]
    signup: Signup
    errors: list[ErrorItem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    candidates: list[RegistryCandidate] = field(default_factory=list)
    asks: list[str] = field(default_factory=list)  # why a person must decide on a valid row
    reasons: list[str] = field(default_factory=list)  # how the row was decided, for the report
    match_name: str = ""  # the name compared with others: its village («Совет старейшин Улу-Теляка») aside
    review_codes: list[str] = field(default_factory=list)  # why it waits for a person, for programs


def _row_hash(values: dict[str, str]) -> str:
    canonical = json.dumps(
        {key: " ".join(value.split()).lower() for key, value in sorted(values.items())}, ensure_ascii=False
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def _field_error(errors: list[ErrorItem], number: int, label: str | Promise, error: DomainError) -> None:
    for item in error.items:
        errors.append(
            ErrorItem(
                item.field, _("Строка {}, столбец «{}»: {}").format(number, label, item.message), item.code
            )
        )


class _Block:
    """The distinct names of earlier rows sharing one place or contact, with the first row of each."""

    def __init__(self) -> None:
        self.stems: list[str] = []
        self.names: list[dict[str, int]] = []  # per stems: full name → its first row's position
        self._position: dict[str, int] = {}

    def add(self, stems: str, name: str, position: int) -> None:
        if stems not in self._position:
            self._position[stems] = len(self.stems)
            self.stems.append(stems)
            self.names.append({})
        self.names[self._position[stems]].setdefault(name, position)

    def first_alike(self, stems: str, name: str, least: float) -> int | None:
        """The earliest position whose name scores `least` or more against this one."""
        earliest: int | None = None
        for index in stems_could_reach(stems, self.stems, least):
            for other, position in self.names[index].items():
                if (earliest is None or position < earliest) and name_similarity(name, other) >= least:
                    earliest = position
        return earliest


class SeenRows:
    """The valid rows of a file so far, in blocks by place, phone and e-mail and by the numbers in
    their names.

    A row can only duplicate an earlier one in the same place or with the same contact, and with the
    same numbers in its name (name_similarity keeps «ТОС №5» from «ТОС №6»): it is compared with the
    distinct names of those blocks alone, prefiltered by rapidfuzz. Comparing every earlier row made
    50 million comparisons for 10,000 rows, comparing every row of its place still millions."""

    def __init__(self) -> None:
        self.rows: list[PipelineRow] = []
        self.blocks: dict[tuple[str, object, tuple[str, ...]], _Block] = defaultdict(_Block)

    @staticmethod
    def _keys(signup: Signup) -> list[tuple[str, object, tuple[str, ...]]]:
        # Two rows share a place when they name one settlement, or neither names one and they share
        # the municipality: the same rule as in_file_duplicate's same_place.
        numbers = name_numbers(signup.name_core)
        keys: list[tuple[str, object, tuple[str, ...]]] = [
            ("settlement", signup.settlement_id, numbers)
            if signup.settlement_id
            else ("municipality", signup.municipality_id, numbers)
        ]
        if signup.phone:
            keys.append(("phone", signup.phone, numbers))
        if signup.email:
            keys.append(("email", signup.email, numbers))
        return keys

    def add(self, row: PipelineRow) -> None:
        position = len(self.rows)
        self.rows.append(row)
        stems = name_stems(row.signup.name_core)
        for key in self._keys(row.signup):
            self.blocks[key].add(stems, row.signup.name, position)

    def first_alike(self, signup: Signup, least: float) -> PipelineRow | None:
        """The earliest row sharing the place or a contact whose name scores `least` or more."""
        stems = name_stems(signup.name_core)
        found = [
            position
            for key in self._keys(signup)
            if key in self.blocks
            and (position := self.blocks[key].first_alike(stems, signup.name, least)) is not None
        ]
        return self.rows[min(found)] if found else None


class SignupPipeline:
    def __init__(
        self,
        *,
        user: User | AnonymousUser,
        fair: Fair,
        consent_method: str = Consent.Method.PAPER_FAIR,
        consent_purpose: str = SHEET_PURPOSE,
        batched: bool = False,
    ) -> None:
        self.user = user
        self.fair = fair
        self.consent_method = consent_method
        self.consent_purpose = consent_purpose
        self.spheres = SphereReader()
        self.municipalities = MunicipalityReader(region_iso=fair.municipality.region.iso_code)
        self.seen = SeenRows()  # valid rows of this file, for in-file duplicates
        # The job's explicit memory and batch: point answers shared by its reads and writes, and the
        # map invalidations its writes cause, published once by signup_import when the file is in.
        self.points = PointLookups()
        self.changes = RegistryChanges() if batched else None
        self.candidates = CandidateFinder(points=self.points)
        # A whole sheet's new communities are written in batches (the caller flushes before the
        # transaction ends); one sign-up's, or a reviewer's decision, at once.
        self.batched = batched
        self.communities = CommunityBatch(
            user=user, source=Community.Source.FAIR_SIGNUP, lookups=self.points, changes=self.changes
        )
        # A sheet names the same few villages again and again: each is looked up once per file.
        self._places: dict[tuple[str, int | None], PlaceMatch] = {}
        self._centres: dict[int, Point | None] = {}

    def _place(self, text: str, municipality: Municipality | None) -> PlaceMatch:
        key = (text, municipality.pk if municipality is not None else None)
        if key not in self._places:
            self._places[key] = place_locate(text, municipality=municipality)
        return self._places[key]

    def _centre(self, municipality: Municipality) -> Point | None:
        if municipality.pk not in self._centres:
            self._centres[municipality.pk] = municipality_point(municipality=municipality)
        return self._centres[municipality.pk]

    # Reading ----------------------------------------------------------------------------------
    def read(self, row: PipelineRow) -> None:
        values, signup, number = row.values, row.signup, row.number
        try:
            signup.name = name_clean(values.get("name", ""), max_length=300)
        except DomainError as error:
            _field_error(row.errors, number, _("Название"), error)
        signup.name_core = name_fold(signup.name)[0] if signup.name else ""
        for key, label, reader, attribute in FIELD_READERS:
            try:
                setattr(signup, attribute, reader(values.get(key, "")))
            except DomainError as error:
                _field_error(row.errors, number, label, error)
        signup.leader_name = " ".join(values.get("leader", "").split())[:300]
        activity = values.get("activity", "")
        signup.comment = "\n".join(part for part in (values.get("comment", ""), activity) if part)
        consent = consent_read(values.get("consent", ""))
        signup.has_contact_consent = bool(consent)
        if consent is None:
            row.asks.append(
                _(
                    "Строка {}, столбец «Согласие»: «{}» — не понятно, дано ли согласие; решит проверяющий"
                ).format(number, values.get("consent", "")[:40])
            )
        signup.sphere_text = values.get("sphere", "")[:200]
        signup.sphere = self.spheres.read(signup.sphere_text)
        if signup.sphere is None and activity:  # «Чем занимается сообщество?» may name the sphere
            signup.sphere = self.spheres.read(activity)
            if signup.sphere is not None and not signup.sphere_text:
                signup.sphere_text = activity[:200]
        if signup.sphere is None:
            row.warnings.append(
                _("Сфера «{}» не распознана: её выберет проверяющий при подтверждении сообщества").format(
                    signup.sphere_text[:60]
                )
                if signup.sphere_text
                else _("Сфера не указана: её выберет проверяющий при подтверждении сообщества")
            )
        municipality = self.fair.municipality
        if values.get("municipality"):
            try:
                municipality = self.municipalities.read(values["municipality"]) or municipality
            except DomainError as error:
                _field_error(row.errors, number, _("Муниципалитет"), error)
        signup.municipality = municipality
        self._locate(row, municipality, has_municipality_column=bool(values.get("municipality")))
        if signup.name and signup.settlement is not None:
            row.match_name = name_without_settlement(signup.name, signup.settlement.name)
            signup.name_core = name_fold(row.match_name)[0]
        if (signup.phone or signup.email) and not signup.has_contact_consent:
            row.warnings.append(_("Нет согласия на хранение контактов: телефон и почта не попадут в реестр"))

    def _locate(self, row: PipelineRow, municipality: Municipality, *, has_municipality_column: bool) -> None:
        signup, place = row.signup, row.values.get("place", "")
        signup.place_text = place[:500]
        if not place:
            signup.location = self._centre(municipality)
            signup.location_precision = LocationPrecision.MUNICIPALITY
            row.warnings.append(
                _("Место не указано: сообщество отмечено по центру муниципалитета «{}»").format(
                    municipality.name
                )
            )
            return
        match = self._place(place, municipality)
        if (
            match.status == "not_found"
            and not has_municipality_column
            and municipality == self.fair.municipality
        ):
            republic_wide = self._place(place, None)  # the fair's district may not be the community's
            if republic_wide.status != "not_found":
                match = republic_wide
        if match.status == "found" and match.point is not None:
            signup.settlement = match.settlement
            signup.location = match.point
            signup.location_precision = str(match.precision)
            if match.municipality is not None and match.municipality.level == Municipality.Level.TOP:
                signup.municipality = match.municipality
        elif match.status == "ambiguous":
            names = "; ".join(
                f"{item} ({item.rural_municipality or item.municipality})" for item in match.candidates[:10]
            )
            row.warnings.append(_("Место «{}» неоднозначно: {}").format(place[:80], names))
            signup.location = self._centre(municipality)
            signup.location_precision = LocationPrecision.MUNICIPALITY
            row.signup.status = Signup.Status.NEEDS_REVIEW
            row.review_codes.append("place_ambiguous")
        elif has_municipality_column:
            signup.location = self._centre(municipality)
            signup.location_precision = LocationPrecision.MUNICIPALITY
            row.warnings.append(
                _("Место «{}» не найдено: сообщество отмечено по центру муниципалитета").format(place[:80])
            )
        else:
            hint = "; ".join(match.suggestions) or "—"
            row.errors.append(
                ErrorItem(
                    "settlement",
                    _(
                        "Строка {}, столбец «Населённый пункт»: место «{}» не найдено в справочнике. Похожие: {}"
                    ).format(row.number, place[:80], hint),
                    "place_not_found",
                )
            )

    # Matching ---------------------------------------------------------------------------------
    def in_file_duplicate(self, row: PipelineRow) -> PipelineRow | None:
        # the whole names, legal forms included: «Клуб ветеранов» is not «Совет ветеранов» of the village
        return self.seen.first_alike(row.signup, settings.FAIRS_MATCH_AUTO)

    def match(self, row: PipelineRow) -> None:
        signup = row.signup
        assert signup.municipality is not None  # noqa: S101 -- set by read() for every valid row
        candidates = self.candidates.find(
            name=row.match_name or signup.name,
            name_core=signup.name_core,
            municipality=signup.municipality,
            settlement=signup.settlement,
            location=signup.location,
            phone=signup.phone,
            email=signup.email,
            # a row that names no place may be a community of another municipality: look everywhere,
            # and let a person decide (a candidate of another municipality is never merged by itself)
            anywhere=not signup.place_text,
        )
        confident: list[RegistryCandidate] = []
        uncertain: list[RegistryCandidate] = []
        precise = signup.location_precision in {LocationPrecision.EXACT, LocationPrecision.SETTLEMENT}
        for candidate in candidates:
            community = candidate.community
            same_settlement = (
                signup.settlement_id is not None and community.settlement_id == signup.settlement_id
            )
            near = (  # a distance says something only when both places are a village's point or better
                candidate.distance_m is not None
                and candidate.distance_m <= settings.REGISTRY_DUPLICATE_RADIUS_M
                and community.location_precision != LocationPrecision.MUNICIPALITY
            )
            other_settlement = (
                signup.settlement_id is not None
                and community.settlement_id is not None
                and community.settlement_id != signup.settlement_id
            )
            located_elsewhere = other_settlement or (
                precise
                and community.location_precision != LocationPrecision.MUNICIPALITY
                and not same_settlement
                and not near
            )
            same_unlocated = (  # the same name, both placed only by their municipality, no village apart
                candidate.score >= 0.99
                and not precise
                and not other_settlement
                and community.location_precision == LocationPrecision.MUNICIPALITY
                and community.municipality_id == signup.municipality_id
            )
            confirmed_by_contact = candidate.contact_match and candidate.score >= settings.FAIRS_MATCH_REVIEW
            same_place = candidate.score >= settings.FAIRS_MATCH_AUTO and (
                same_settlement or (near and precise)
            )
            if confirmed_by_contact or same_place or same_unlocated:
                confident.append(candidate)
            elif located_elsewhere and not candidate.contact_match:
                continue  # same name, another village: another community
            elif candidate.score >= settings.FAIRS_MATCH_REVIEW or candidate.contact_match:
                uncertain.append(candidate)
        row.candidates = confident + uncertain
        if row.asks:
            signup.status = Signup.Status.NEEDS_REVIEW
            row.review_codes.append("consent_unclear")
            row.warnings.extend(row.asks)
        if signup.status == Signup.Status.NEEDS_REVIEW:  # an ambiguous place: a person decides anyway
            return
        best = _clearly_best(confident, uncertain)
        if best is not None:
            signup.status = Signup.Status.MATCHED
            signup.community = best.community
            row.reasons.append(
                _("Совпадает с «{}» ({:.2f}){}").format(
                    best.community.name,
                    best.score,
                    _(", тот же телефон или почта") if best.contact_match else _(", то же место"),
                )
            )
        elif confident or uncertain:
            signup.status = Signup.Status.NEEDS_REVIEW
            row.review_codes.append("match_uncertain")
            ranked = sorted(confident + uncertain, key=lambda item: -item.score)
            row.reasons.append(
                _("Похоже на: {} — решит проверяющий").format(
                    "; ".join(f"«{item.community.name}» ({item.score:.2f})" for item in ranked[:3])
                )
            )
        elif signup.municipality_id != self.fair.municipality_id:
            # never created outside the fair's district without a person deciding
            signup.status = Signup.Status.NEEDS_REVIEW
            row.review_codes.append("place_other_district")
            row.warnings.append(
                _(
                    "{} найдено в {}, а ярмарка — в {}: выберите верный населённый пункт или создайте там"
                ).format(
                    signup.place_text or _("Место"),
                    inflect_locative(signup.municipality.name),
                    inflect_locative(self.fair.municipality.name),
                )
            )
        else:
            signup.status = Signup.Status.NEW

    # Writing ----------------------------------------------------------------------------------
    def create_community(self, row: PipelineRow) -> None:
        signup = row.signup
        if signup.location is None:  # status NEW implies a place; keep the row for review
            signup.status = Signup.Status.NEEDS_REVIEW
            return
        signup.community = self.communities.create(
            name=signup.name,
            sphere=signup.sphere,
            location=signup.location,
            source_object=signup,
            settlement=signup.settlement,
            location_precision=signup.location_precision,
            members_count=signup.members_count,
            founded_year=signup.founded_year,
        )
        if not self.batched:
            self.communities.flush()
        self.candidates.add(signup.community)

    def attach_leader(self, row: PipelineRow) -> None:
        signup = row.signup
        if not signup.leader_name or signup.community is None:
            return
        phone = signup.phone if signup.has_contact_consent else ""
        email = signup.email if signup.has_contact_consent else ""
        leader = None
        if phone or email:
            leader = (
                Leader.objects.filter(erased_at__isnull=True, municipality=signup.community.municipality)
                .filter(**({"phone": phone} if phone else {"email": email}))
                .first()
            )
        if leader is None:
            leader = Leader.objects.filter(
                erased_at__isnull=True,
                name_normalized=fold(signup.leader_name),
                leaderships__community=signup.community,
            ).first()
        scopes = ([Consent.Scope.STORE_CONTACTS] if (phone or email) else []) + (
            [Consent.Scope.PUBLISH_NAME] if signup.has_publish_consent else []
        )
        consents = [
            ConsentInput(
                scope=scope,
                purpose=self.consent_purpose,
                method=self.consent_method,
                source=self.fair.title[:200],
            )
            for scope in scopes
        ]
        if leader is not None and (phone or email):
            # a known leader gains the row's contacts with its consent; one already there stays
            differing = leader_contacts_fill(
                user=self.user, leader=leader, phone=phone, email=email, consents=consents, check_team=False
            )
            labels = {"phone": _("телефон"), "email": _("эл. почта")}
            for field_name in differing:
                row.warnings.append(
                    _(
                        "У лидера в реестре другой {}: он сохранён, новый из строки остался в заявке — проверьте"
                    ).format(labels[field_name])
                )
        if leader is None:
            try:
                leader = leader_create(
                    user=self.user,
                    municipality=signup.community.municipality,
                    full_name=signup.leader_name,
                    phone=phone,
                    email=email,
                    consents=consents,
                    check_team=False,
                )
            except DomainError as error:
                row.warnings.append("; ".join(item.message for item in error.items))
                return
        Leadership.objects.get_or_create(
            leader=leader, community=signup.community, defaults={"role": Leadership.Role.COORDINATOR}
        )
        signup.leader = leader


MATCH_MARGIN = 0.1  # how far the best candidate must lead the next one to be merged alone


def _clearly_best(
    confident: list[RegistryCandidate], uncertain: list[RegistryCandidate]
) -> RegistryCandidate | None:
    """The one candidate that is clearly this community: confident (same place or a shared contact),
    and well ahead of every other one; an unrelated namesake at 0.80 does not make a 1.00 doubtful,
    a second candidate sharing the row's phone or e-mail does."""
    if not confident:
        return None
    ranked = sorted(confident, key=lambda item: (-item.contact_match, -item.score))
    best, others = ranked[0], ranked[1:] + uncertain
    if any(other.contact_match for other in others if other is not best):
        return None
    if any(best.score - other.score < MATCH_MARGIN for other in others):
        return None
    return best


def _result(row: PipelineRow, *, duplicate_of_row: int | None = None) -> RowResult:
    signup = row.signup
    return RowResult(
        row=row.number,
        signup=signup.pk,
        decision=RowDecision(
            status=str(signup.status),
            community=signup.community_id,
            duplicate_of_row=duplicate_of_row,
            candidates=[RowCandidate(item.community.pk, item.score) for item in row.candidates],
            reasons=row.reasons,
            review_reasons=row.review_codes if signup.status == Signup.Status.NEEDS_REVIEW else [],
        ),
        errors=[RowError(item.field, item.message) for item in row.errors],
        warnings=row.warnings,
    )


def signup_import(
    *,
    user: User,
    fair: Fair,
    data: bytes,
    file_name: str,
    dry_run: bool = False,
    progress: Progress | None = None,
    mapping: dict[str, str] | None = None,
) -> ImportReport:
    """Import one sheet; returns the report (`as_json()` is its form documented in the README).

    `mapping` (header as written → field code, «skip», or «name+place») overrides the automatic
    mapping column by column; a column with field-looking data that maps to nothing refuses the file."""
    if not team_has_member(municipality=fair.municipality, user=user):
        raise PermissionDenied
    sha256 = hashlib.sha256(data).hexdigest()
    earlier = SignupImport.objects.filter(fair=fair, sha256=sha256).first()
    if earlier is not None:
        report = ImportReport.from_json(earlier.report)
        report.already_imported, report.import_id = True, earlier.pk
        return report
    sheet = sheet_read(
        data=data, file_name=file_name, mapping=mapping, remembered=mapping_remembered(fair=fair)
    )
    if sheet.unmapped:
        raise DomainError(*sheet.unmapped)
    try:
        with transaction.atomic():
            source, report, changes = _stage(
                user=user,
                fair=fair,
                sheet_rows=sheet.rows,
                file_name=file_name,
                sha256=sha256,
                progress=progress,
            )
            report.sheet = SheetLayout.of(sheet, with_samples=dry_run)
            if dry_run:
                raise _DryRun(report)
            SignupImport.objects.filter(pk=source.pk).update(report=report.as_json())
            changes.publish()  # the maps change once, for the whole file
            if mapping:  # a person's confirmed mapping: the next sheet of this shape maps itself
                mapping_remember(fair=fair, user=user, headers=sheet.headers, columns=sheet.columns)
    except _DryRun as rolled_back:
        report = rolled_back.args[0]
        report.import_id = None
        report.dry_run = True
    return report


def _stage(
    *,
    user: User,
    fair: Fair,
    sheet_rows: list[SheetRow],
    file_name: str,
    sha256: str,
    progress: Progress | None,
) -> tuple[SignupImport, ImportReport, RegistryChanges]:
    source = SignupImport.objects.create(
        fair=fair, file_name=file_name[:255], sha256=sha256, uploaded_by=user
    )
    importer = SignupPipeline(user=user, fair=fair, batched=True)
    known = {
        signup.row_hash: signup
        for signup in Signup.objects.filter(fair=fair)
        .exclude(source_import=source)
        .select_related("source_import")
    }
    hashes = [_row_hash(sheet_row.values) for sheet_row in sheet_rows]
    # Sign-ups are written in batches, not a statement a row; their ids are taken up front so that a
    # community can name its sign-up as its source and a duplicate its earlier row before either is
    # written (the foreign keys are checked at commit).
    ids = iter(ids_reserve(Signup, sum(row_hash not in known for row_hash in hashes)))
    new_signup = NewInstances(
        Signup, fair_id=fair.pk, source_import_id=source.pk, status=Signup.Status.INVALID
    )
    pending: list[Signup] = []
    report = ImportReport(file=file_name, sha256=sha256, import_id=source.pk, rows=len(sheet_rows))
    rows_iter: Iterable[tuple[SheetRow, str]] = zip(
        progress(sheet_rows, len(sheet_rows)) if progress else sheet_rows, hashes, strict=True
    )
    for sheet_row, row_hash in rows_iter:
        number, values, raw = sheet_row.number, sheet_row.values, sheet_row.raw
        previous = known.get(row_hash)
        if previous is not None:  # this row came in with an earlier file of this fair: nothing new
            report.results.append(RowResult.imported_earlier(previous, number=number))
            report.counts.imported_before += 1
            continue
        signup: Signup = new_signup(id=next(ids), row_number=number, row_hash=row_hash, raw=raw)
        row = PipelineRow(number, values, raw, signup)
        row.errors.extend(sheet_row.problems)
        importer.read(row)
        duplicate_of: PipelineRow | None = None
        if row.errors:
            signup.status = Signup.Status.INVALID
        else:
            duplicate_of = importer.in_file_duplicate(row)
            if duplicate_of is not None:
                signup.status = Signup.Status.DUPLICATE_IN_FILE
                signup.community = duplicate_of.signup.community
                signup.duplicate_of = duplicate_of.signup
            else:
                importer.match(row)
                importer.seen.add(row)
        signup.errors = [
            {"field": item.field, "message": item.message, "code": item.code} for item in row.errors
        ]
        signup.warnings = row.warnings
        signup.candidates = [{"community": item.community.pk, "score": item.score} for item in row.candidates]
        if signup.status == Signup.Status.NEW:
            importer.create_community(row)
        if signup.status in {Signup.Status.NEW, Signup.Status.MATCHED, Signup.Status.DUPLICATE_IN_FILE}:
            importer.attach_leader(row)
        pending.append(signup)
        if len(pending) >= SIGNUP_BATCH:
            rows_copy(Signup, pending)
            pending.clear()
        report.counts.add(signup.status)
        report.results.append(_result(row, duplicate_of_row=duplicate_of.number if duplicate_of else None))
    importer.communities.flush()
    rows_copy(Signup, pending)
    assert importer.changes is not None  # noqa: S101 -- a batched pipeline has its batch
    return source, report, importer.changes


@transaction.atomic
def signup_submit(
    *, fair: Fair, values: dict[str, str], contact_consent: bool, publish_consent: bool
) -> Signup:
    """A sign-up sent on site (the QR form): one row through the same pipeline as the sheets."""
    importer = SignupPipeline(
        user=AnonymousUser(),
        fair=fair,
        consent_method=Consent.Method.ONLINE_FORM,
        consent_purpose=ONLINE_PURPOSE,
    )
    signup = Signup(fair=fair, row_hash=_row_hash(values), raw=values, status=Signup.Status.INVALID)
    row = PipelineRow(0, values, values, signup)
    importer.read(row)
    signup.has_contact_consent = contact_consent
    signup.has_publish_consent = publish_consent
    if row.errors:
        raise DomainError(*row.errors)
    importer.match(row)
    signup.warnings = row.warnings
    signup.candidates = [{"community": item.community.pk, "score": item.score} for item in row.candidates]
    signup.save()
    if signup.status == Signup.Status.NEW:
        importer.create_community(row)
        signup.save(update_fields=["community", "status"])
    if signup.status in {Signup.Status.NEW, Signup.Status.MATCHED}:
        importer.attach_leader(row)
        signup.save(update_fields=["leader", "warnings"])
    return signup
