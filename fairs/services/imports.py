"""Fair writes: importing a typed-up sheet of sign-ups into the registry.

One file is staged in one transaction: every row is kept (valid or not), normalised, located,
matched against the registry and against earlier rows of the same file, and resolved — a
confident match links, a clearly new community is created as proposed, anything uncertain waits
for a person. The same file twice creates nothing; a changed file imports only its new rows.

The stages, each in its own module, pass one PipelineRow (fairs/intake/row.py) along:
read the file and find its header (fairs/reading.py), map the columns (fairs/intake/columns.py),
normalise (fairs/intake/normalising.py), locate (locating.py), match within the file (in_file.py)
and against the registry (matching.py), decide (deciding.py), write (writing.py). This module runs
them: SignupPipeline for one row, signup_import for a sheet, signup_submit for the QR form."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied
from django.db import transaction

from fairs.intake.deciding import decide
from fairs.intake.in_file import SeenRow, SeenRows
from fairs.intake.locating import RowLocator
from fairs.intake.matching import RowMatcher
from fairs.intake.memory import mapping_remember, mapping_remembered
from fairs.intake.normalising import RowNormaliser
from fairs.intake.report import (
    COUNT_KEYS,
    ImportReport,
    RowCandidate,
    RowDecision,
    RowError,
    RowResult,
    SheetLayout,
)
from fairs.intake.row import PipelineRow
from fairs.intake.writing import RowWriter
from fairs.models import Fair, Signup, SignupImport
from fairs.reading import SheetRow, sheet_read
from fairs.selectors.candidates import CandidateFinder
from geo.errors import DomainError
from geo.point_lookups import PointLookups
from registry.models import Community, Consent
from registry.selectors.teams import team_has_member
from registry.services.bulk import NewInstances, ids_reserve, rows_copy
from registry.services.community_creation import CommunityBatch
from registry.signals import RegistryChanges

__all__ = [
    "ONLINE_PURPOSE",
    "SHEET_PURPOSE",
    "STATUS_KEYS",
    "PipelineRow",
    "SeenRows",
    "SignupPipeline",
    "signup_import",
    "signup_submit",
]

Progress = Callable[[Iterable[Any], int], Iterable[Any]]
STATUS_KEYS = COUNT_KEYS  # a row's status → its count in the report
SIGNUP_BATCH = 1000  # sign-ups written per COPY
SHEET_PURPOSE = "Связь с лидером сообщества по программе; согласие дано в анкете на ярмарке сообществ"
ONLINE_PURPOSE = "Связь с лидером сообщества по программе; согласие дано в онлайн-форме ярмарки сообществ"


class _DryRun(Exception):
    """Raised inside the transaction of a dry run so that nothing it wrote survives."""


def _row_hash(values: dict[str, str]) -> str:
    canonical = json.dumps(
        {key: " ".join(value.split()).lower() for key, value in sorted(values.items())}, ensure_ascii=False
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


class SignupPipeline:
    """The stages for the rows of one file (or one sign-up, or one reviewer's decision), with what
    they share: the job's point answers, its registry candidates, its new communities and, for a
    batched file, the map invalidations published once when the file is in."""

    def __init__(
        self,
        *,
        user: User | AnonymousUser,
        fair: Fair,
        consent_method: str = Consent.Method.PAPER_FAIR,
        consent_purpose: str = SHEET_PURPOSE,
        batched: bool = False,
    ) -> None:
        self.fair = fair
        self.points = PointLookups()
        self.changes = RegistryChanges() if batched else None
        self.candidates = CandidateFinder(points=self.points)
        self.communities = CommunityBatch(
            user=user, source=Community.Source.FAIR_SIGNUP, lookups=self.points, changes=self.changes
        )
        self.normaliser = RowNormaliser(municipality=fair.municipality)
        self.locator = RowLocator(municipality=fair.municipality)
        self.seen = SeenRows()  # valid rows of this file, for in-file duplicates
        self.matcher = RowMatcher(candidates=self.candidates)
        self.writer = RowWriter(
            user=user,
            fair=fair,
            consent_method=consent_method,
            consent_purpose=consent_purpose,
            communities=self.communities,
            candidates=self.candidates,
            batched=batched,
            changes=self.changes,
        )

    def read(self, row: PipelineRow) -> None:
        """Normalise and locate."""
        self.normaliser.read(row)
        self.locator.locate(row)
        self.normaliser.consent_note(row)

    def in_file_duplicate(self, row: PipelineRow) -> SeenRow | None:
        # the whole names, legal forms included: «Клуб ветеранов» is not «Совет ветеранов» of the village
        return self.seen.first_alike(row.signup, settings.FAIRS_MATCH_AUTO)

    def match(self, row: PipelineRow) -> None:
        """Match against the registry and decide."""
        confident, uncertain = self.matcher.match(row)
        decide(row, confident, uncertain, fair_municipality=self.fair.municipality)

    def create_community(self, row: PipelineRow) -> None:
        self.writer.create_community(row)

    def attach_leader(self, row: PipelineRow) -> None:
        self.writer.attach_leader(row)


def _result(row: PipelineRow, *, duplicate_of_row: int | None = None) -> RowResult:
    signup = row.signup
    return RowResult(
        row=row.number,
        signup=signup.pk,
        decision=RowDecision(
            status=str(signup.status),
            community=signup.community_id,
            duplicate_of_row=duplicate_of_row,
            candidates=tuple(RowCandidate(item.community.pk, item.score) for item in row.candidates),
            reasons=tuple(row.reasons),
            review_reasons=tuple(row.review_codes) if signup.status == Signup.Status.NEEDS_REVIEW else (),
        ),
        errors=tuple(RowError(item.field, item.message) for item in row.errors),
        warnings=tuple(row.warnings),
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
        duplicate_of: SeenRow | None = None
        if row.errors:
            signup.status = Signup.Status.INVALID
        else:
            duplicate_of = importer.in_file_duplicate(row)
            if duplicate_of is not None:
                signup.status = Signup.Status.DUPLICATE_IN_FILE
                signup.community = duplicate_of.community
                signup.duplicate_of_id = duplicate_of.signup_id
            else:
                importer.match(row)
        signup.errors = [
            {"field": item.field, "message": item.message, "code": item.code} for item in row.errors
        ]
        signup.warnings = row.warnings
        signup.candidates = [{"community": item.community.pk, "score": item.score} for item in row.candidates]
        if signup.status == Signup.Status.NEW:
            importer.create_community(row)
        if signup.status in {Signup.Status.NEW, Signup.Status.MATCHED, Signup.Status.DUPLICATE_IN_FILE}:
            importer.attach_leader(row)
        if not row.errors and duplicate_of is None:  # matched and written: later rows may repeat it
            importer.seen.add(row)
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
