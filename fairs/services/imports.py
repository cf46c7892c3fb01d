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
from django.utils.translation import gettext as _

from fairs.models import Fair, Signup, SignupImport
from fairs.normalise import MunicipalityReader, SphereReader, consent_read, members_read, year_read
from fairs.reading import sheet_read
from fairs.selectors import CandidateFinder, RegistryCandidate
from geo.errors import DomainError, ErrorItem
from geo.models import LocationPrecision, Municipality
from geo.selectors import PlaceMatch, municipality_point, place_locate
from geo.text import fold
from registry.matching import name_fold, name_similarity
from registry.models import Community, Consent, Leader, Leadership
from registry.selectors.teams import team_has_member
from registry.services.communities import community_create
from registry.services.leaders import ConsentInput, leader_create
from registry.signals import registry_changes_batched
from registry.validators import email_clean, name_clean, phone_clean

Progress = Callable[[Iterable[Any], int], Iterable[Any]]
STATUS_KEYS = {
    Signup.Status.NEW: "new",
    Signup.Status.MATCHED: "matched",
    Signup.Status.DUPLICATE_IN_FILE: "duplicates_in_file",
    Signup.Status.NEEDS_REVIEW: "needs_review",
    Signup.Status.INVALID: "invalid",
}
SHEET_PURPOSE = "Связь с лидером сообщества по программе; согласие дано в анкете на ярмарке сообществ"
ONLINE_PURPOSE = "Связь с лидером сообщества по программе; согласие дано в онлайн-форме ярмарки сообществ"


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


def _row_hash(values: dict[str, str]) -> str:
    canonical = json.dumps(
        {key: " ".join(value.split()).lower() for key, value in sorted(values.items())}, ensure_ascii=False
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def _field_error(errors: list[ErrorItem], number: int, label: str, error: DomainError) -> None:
    for item in error.items:
        errors.append(
            ErrorItem(
                item.field, _("Строка {}, столбец «{}»: {}").format(number, label, item.message), item.code
            )
        )


class SeenRows:
    """The valid rows of a file so far, indexed by place, phone and e-mail.

    A row can only duplicate an earlier one in the same place or with the same contact, so it is
    compared with those alone, not with every earlier row (10,000 rows made 50 million comparisons)."""

    def __init__(self) -> None:
        self.rows: list[PipelineRow] = []
        self.index: dict[tuple[str, object], list[int]] = defaultdict(list)

    @staticmethod
    def _keys(signup: Signup) -> list[tuple[str, object]]:
        # Two rows share a place when they name one settlement, or neither names one and they share
        # the municipality: the same rule as in_file_duplicate's same_place.
        keys: list[tuple[str, object]] = [
            ("settlement", signup.settlement_id)
            if signup.settlement_id
            else ("municipality", signup.municipality_id)
        ]
        if signup.phone:
            keys.append(("phone", signup.phone))
        if signup.email:
            keys.append(("email", signup.email))
        return keys

    def add(self, row: PipelineRow) -> None:
        position = len(self.rows)
        self.rows.append(row)
        for key in self._keys(row.signup):
            self.index[key].append(position)

    def sharing_place_or_contact(self, signup: Signup) -> list[PipelineRow]:
        """Earlier rows in file order (the first duplicate found is the earliest)."""
        positions: set[int] = set()
        for key in self._keys(signup):
            positions.update(self.index.get(key, ()))
        return [self.rows[position] for position in sorted(positions)]


class SignupPipeline:
    def __init__(
        self,
        *,
        user: User | AnonymousUser,
        fair: Fair,
        consent_method: str = Consent.Method.PAPER_FAIR,
        consent_purpose: str = SHEET_PURPOSE,
    ) -> None:
        self.user = user
        self.fair = fair
        self.consent_method = consent_method
        self.consent_purpose = consent_purpose
        self.spheres = SphereReader()
        self.municipalities = MunicipalityReader(region_iso=fair.municipality.region.iso_code)
        self.seen = SeenRows()  # valid rows of this file, for in-file duplicates
        self.candidates = CandidateFinder()
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
        for key, label, reader, attribute in (
            ("phone", _("Телефон"), phone_clean, "phone"),
            ("email", _("Эл. почта"), email_clean, "email"),
            ("members", _("Численность"), members_read, "members_count"),
            ("founded", _("Год создания"), year_read, "founded_year"),
        ):
            try:
                setattr(signup, attribute, reader(values.get(key, "")))
            except DomainError as error:
                _field_error(row.errors, number, label, error)
        signup.leader_name = " ".join(values.get("leader", "").split())[:300]
        signup.comment = values.get("comment", "")
        signup.has_contact_consent = consent_read(values.get("consent", ""))
        signup.sphere_text = values.get("sphere", "")[:200]
        signup.sphere = self.spheres.read(signup.sphere_text)
        if signup.sphere_text and signup.sphere is None:
            row.warnings.append(
                _("Сфера «{}» не распознана: её выберет проверяющий").format(signup.sphere_text[:60])
            )
        municipality = self.fair.municipality
        if values.get("municipality"):
            try:
                municipality = self.municipalities.read(values["municipality"]) or municipality
            except DomainError as error:
                _field_error(row.errors, number, _("Муниципалитет"), error)
        signup.municipality = municipality
        self._locate(row, municipality, has_municipality_column=bool(values.get("municipality")))
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
        signup = row.signup
        for earlier in self.seen.sharing_place_or_contact(signup):
            other = earlier.signup
            same_place = (
                signup.settlement_id == other.settlement_id
                if signup.settlement_id or other.settlement_id
                else signup.municipality_id == other.municipality_id
            )
            same_contact = bool(signup.phone and signup.phone == other.phone) or bool(
                signup.email and signup.email == other.email
            )
            # the whole names, legal forms included: «Клуб ветеранов» is not «Совет ветеранов» of the village
            similar = name_similarity(signup.name, other.name) >= settings.FAIRS_MATCH_AUTO
            if similar and (same_place or same_contact):
                return earlier
        return None

    def match(self, row: PipelineRow) -> None:
        signup = row.signup
        assert signup.municipality is not None  # noqa: S101 -- set by read() for every valid row
        candidates = self.candidates.find(
            name=signup.name,
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
        if signup.status == Signup.Status.NEEDS_REVIEW:  # an ambiguous place: a person decides anyway
            return
        if len(confident) == 1 and not uncertain:
            signup.status = Signup.Status.MATCHED
            signup.community = confident[0].community
        elif confident or uncertain:
            signup.status = Signup.Status.NEEDS_REVIEW
        elif signup.sphere is None:
            signup.status = Signup.Status.NEEDS_REVIEW
            row.warnings.append(_("Новое сообщество без сферы: сфера выбирается при проверке"))
        else:
            signup.status = Signup.Status.NEW

    # Writing ----------------------------------------------------------------------------------
    def create_community(self, row: PipelineRow) -> None:
        signup = row.signup
        if (
            signup.sphere is None or signup.location is None
        ):  # status NEW implies both; keep the row for review
            signup.status = Signup.Status.NEEDS_REVIEW
            return
        signup.community = community_create(
            user=self.user,
            name=signup.name,
            sphere=signup.sphere,
            location=signup.location,
            source=Community.Source.FAIR_SIGNUP,
            source_object=signup,
            settlement=signup.settlement,
            location_precision=signup.location_precision,
            members_count=signup.members_count,
            founded_year=signup.founded_year,
        )
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
        if leader is None:
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


def _result(
    row: PipelineRow, *, duplicate_of_row: int | None = None, note: str | None = None
) -> dict[str, Any]:
    signup = row.signup
    return {
        "row": row.number,
        "status": signup.status,
        "community": signup.community_id,
        "duplicate_of_row": duplicate_of_row,
        "candidates": [{"community": item.community.pk, "score": item.score} for item in row.candidates],
        "errors": [{"field": item.field, "message": item.message} for item in row.errors],
        "warnings": row.warnings + ([note] if note else []),
    }


def signup_import(
    *,
    user: User,
    fair: Fair,
    data: bytes,
    file_name: str,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """Import one sheet; returns the report (see the fairs issue for its exact shape)."""
    if not team_has_member(municipality=fair.municipality, user=user):
        raise PermissionDenied
    sha256 = hashlib.sha256(data).hexdigest()
    earlier = SignupImport.objects.filter(fair=fair, sha256=sha256).first()
    if earlier is not None:
        return {**earlier.report, "already_imported": True, "import": earlier.pk}
    sheet = sheet_read(data=data, file_name=file_name)
    try:
        with transaction.atomic(), registry_changes_batched():
            report = _stage(
                user=user,
                fair=fair,
                sheet_rows=sheet.rows,
                file_name=file_name,
                sha256=sha256,
                progress=progress,
            )
            report["warnings"] = (
                [
                    _("Неизвестные столбцы сохранены в исходных строках: {}").format(
                        ", ".join(sheet.unknown_headers)
                    )
                ]
                if sheet.unknown_headers
                else []
            )
            report["blank_rows"] = sheet.blank_rows
            if dry_run:
                raise _DryRun(report)
            SignupImport.objects.filter(pk=report["import"]).update(report=report)
    except _DryRun as rolled_back:
        report = rolled_back.args[0]
        report["import"] = None
        report["dry_run"] = True
    return report


def _stage(
    *,
    user: User,
    fair: Fair,
    sheet_rows: list[tuple[int, dict[str, str], dict[str, str]]],
    file_name: str,
    sha256: str,
    progress: Progress | None,
) -> dict[str, Any]:
    source = SignupImport.objects.create(
        fair=fair, file_name=file_name[:255], sha256=sha256, uploaded_by=user
    )
    importer = SignupPipeline(user=user, fair=fair)
    known = {
        signup.row_hash: signup for signup in Signup.objects.filter(fair=fair).exclude(source_import=source)
    }
    results: list[dict[str, Any]] = []
    counts = dict.fromkeys(STATUS_KEYS.values(), 0)
    rows_iter: Iterable[tuple[int, dict[str, str], dict[str, str]]] = (
        progress(sheet_rows, len(sheet_rows)) if progress else sheet_rows
    )
    for number, values, raw in rows_iter:
        row_hash = _row_hash(values)
        previous = known.get(row_hash)
        if previous is not None:  # this row came in with an earlier file of this fair
            results.append(
                {
                    "row": number, "status": previous.status, "community": previous.community_id, "duplicate_of_row": None,
                    "candidates": previous.candidates, "errors": previous.errors,
                    "warnings": [_("Строка уже импортирована ранее (файл «{}»)").format(previous.source_import.file_name if previous.source_import else "—")],
                }
            )  # fmt: skip
            counts[STATUS_KEYS[Signup.Status(previous.status)]] += 1 if previous.status in STATUS_KEYS else 0
            continue
        signup = Signup(
            fair=fair,
            source_import=source,
            row_number=number,
            row_hash=row_hash,
            raw=raw,
            status=Signup.Status.INVALID,
        )
        row = PipelineRow(number, values, raw, signup)
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
        signup.save()
        if signup.status == Signup.Status.NEW:
            importer.create_community(row)
            signup.save(update_fields=["community", "status"])
        if signup.status in {Signup.Status.NEW, Signup.Status.MATCHED, Signup.Status.DUPLICATE_IN_FILE}:
            importer.attach_leader(row)
            signup.save(update_fields=["leader"])
        counts[STATUS_KEYS[Signup.Status(signup.status)]] += 1
        results.append(_result(row, duplicate_of_row=duplicate_of.number if duplicate_of else None))
    return {
        "file": file_name,
        "sha256": sha256,
        "already_imported": False,
        "import": source.pk,
        "rows": len(sheet_rows),
        **counts,
        "results": results,
    }


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
        signup.save(update_fields=["leader"])
    return signup
