"""The import report as a typed object, and its one JSON form (documented in the README).

`signup_import` builds an `ImportReport` and returns it; the API's response body, the stored
`SignupImport.report` and `import_signups --report` are all `as_json()` of it, so the shape of the
JSON lives here and nowhere else. A stored report is read back with `from_json` (the same file
again returns the earlier report)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from django.utils.translation import gettext as _

from fairs.intake.columns import Column, column_letter
from fairs.models import Signup
from fairs.reading import Sheet

# Row statuses (Signup.Status values) → the report's count keys, in the documented order.
COUNT_KEYS: dict[str, str] = {
    "new": "new",
    "matched": "matched",
    "duplicate_in_file": "duplicates_in_file",
    "needs_review": "needs_review",
    "invalid": "invalid",
}


@dataclass(frozen=True)
class RowError:
    field: str | None  # None: the row as a whole
    message: str

    def as_json(self) -> dict[str, Any]:
        return {"field": self.field, "message": self.message}


class RowCandidate(NamedTuple):
    # a named tuple of two numbers: the garbage collector stops tracking it (a report holds thousands)
    community: int
    score: float

    def as_json(self) -> dict[str, Any]:
        return {"community": self.community, "score": self.score}


@dataclass
class RowDecision:
    """What became of a row and why: its status, the community it links to, the candidates weighed
    (best first), how it was decided (in Russian) and, for a row in review, the codes of why."""

    status: str
    community: int | None = None
    duplicate_of_row: int | None = None
    # Sequences, tuples as an import builds them: the garbage collector walks every list a large
    # report keeps alive at each full collection, and stops tracking a tuple of strings or numbers.
    candidates: Sequence[RowCandidate] = ()
    reasons: Sequence[str] = ()
    review_reasons: Sequence[str] = ()


@dataclass
class RowResult:
    row: int  # the row's number as a person sees it in the sheet
    signup: int | None
    decision: RowDecision
    errors: Sequence[RowError] = ()
    warnings: Sequence[str] = ()
    imported_before: bool = False  # came in with an earlier file of the fair

    def as_json(self) -> dict[str, Any]:
        decision = self.decision
        return {
            "row": self.row,
            "signup": self.signup,
            "status": decision.status,
            "community": decision.community,
            "duplicate_of_row": decision.duplicate_of_row,
            "candidates": [item.as_json() for item in decision.candidates],
            "errors": [item.as_json() for item in self.errors],
            "warnings": list(self.warnings),
            "reasons": list(decision.reasons),
            "review_reasons": list(decision.review_reasons),
            **({"imported_before": True} if self.imported_before else {}),
        }

    @classmethod
    def imported_earlier(cls, previous: Signup, *, number: int) -> RowResult:
        """A row that came in with an earlier file of the fair, as that file left it."""
        source = previous.source_import.file_name if previous.source_import else "—"
        return cls(
            row=number,
            signup=previous.pk,
            decision=RowDecision(
                status=previous.status,
                community=previous.community_id,
                candidates=[RowCandidate(item["community"], item["score"]) for item in previous.candidates],
            ),
            errors=[RowError(item["field"], item["message"]) for item in previous.errors],
            warnings=[_("Строка уже импортирована ранее (файл «{}»)").format(source)],
            imported_before=True,
        )

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> RowResult:
        return cls(
            row=data["row"],
            signup=data.get("signup"),
            decision=RowDecision(
                status=data["status"],
                community=data.get("community"),
                duplicate_of_row=data.get("duplicate_of_row"),
                candidates=[
                    RowCandidate(item["community"], item["score"]) for item in data.get("candidates", [])
                ],
                reasons=list(data.get("reasons", [])),
                review_reasons=list(data.get("review_reasons", [])),
            ),
            errors=[RowError(item["field"], item["message"]) for item in data.get("errors", [])],
            warnings=list(data.get("warnings", [])),
            imported_before=bool(data.get("imported_before", False)),
        )


@dataclass
class OutcomeCounts:
    """This file's new rows by outcome, and the rows an earlier file of the fair brought already."""

    new: int = 0
    matched: int = 0
    duplicates_in_file: int = 0
    needs_review: int = 0
    invalid: int = 0
    imported_before: int = 0

    def add(self, status: str) -> None:
        key = COUNT_KEYS[status]
        setattr(self, key, getattr(self, key) + 1)

    def as_json(self) -> dict[str, int]:
        return {key: getattr(self, key) for key in (*COUNT_KEYS.values(), "imported_before")}


@dataclass(frozen=True)
class ReportColumn:
    column: str  # its letter
    header: str
    fields: tuple[str, ...]  # () = not imported
    how: str  # explicit | header | fuzzy | content | duplicate | ""
    kind: str | None  # what its cells look like
    samples: list[str] | None = None  # a preview's only: samples are personal data

    @classmethod
    def of(cls, column: Column, *, with_samples: bool) -> ReportColumn:
        return cls(
            column=column_letter(column.position),
            header=column.header,
            fields=column.fields,
            how=column.how,
            kind=column.kind,
            samples=list(column.samples) if with_samples else None,
        )

    def as_json(self) -> dict[str, Any]:
        return {
            "column": self.column,
            "header": self.header,
            "fields": list(self.fields),
            "how": self.how,
            "kind": self.kind,
            **({"samples": self.samples} if self.samples is not None else {}),
        }


@dataclass
class SheetLayout:
    """How the sheet was read: its header row, its columns and the whole-file notes (in Russian)."""

    header_row: int | None = None
    blank_rows: int = 0
    columns: list[ReportColumn] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @classmethod
    def of(cls, sheet: Sheet, *, with_samples: bool) -> SheetLayout:
        """The whole file's notes: how its header was found, and the columns kept only in the raw rows."""
        unknown = [
            column.label
            for column in sheet.columns
            if not column.fields and column.how == "" and column.has_data
        ]
        duplicated = [
            column.label for column in sheet.columns if column.how == "duplicate" and column.has_data
        ]
        warnings = list(sheet.warnings)
        if unknown:
            warnings.append(
                _("Не импортированы, сохранены в исходных строках: {}").format(
                    ", ".join(f"«{name}»" for name in unknown)
                )
            )
        if duplicated:
            warnings.append(
                _("Второй столбец для того же поля, сохранён в исходных строках: {}").format(
                    ", ".join(f"«{name}»" for name in duplicated)
                )
            )
        return cls(
            header_row=sheet.header_row,
            blank_rows=sheet.blank_rows,
            columns=[ReportColumn.of(column, with_samples=with_samples) for column in sheet.columns],
            warnings=warnings,
        )


@dataclass
class ImportReport:
    file: str
    sha256: str
    import_id: int | None  # `import` in JSON; None in a dry run
    rows: int  # data rows read, blank rows aside
    counts: OutcomeCounts = field(default_factory=OutcomeCounts)
    results: list[RowResult] = field(default_factory=list)
    sheet: SheetLayout = field(default_factory=SheetLayout)
    already_imported: bool = False
    dry_run: bool = False

    def as_json(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "sha256": self.sha256,
            "already_imported": self.already_imported,
            "import": self.import_id,
            "rows": self.rows,
            **self.counts.as_json(),
            "results": [result.as_json() for result in self.results],
            "warnings": list(self.sheet.warnings),
            "blank_rows": self.sheet.blank_rows,
            "header_row": self.sheet.header_row,
            "columns": [column.as_json() for column in self.sheet.columns],
            **({"dry_run": True} if self.dry_run else {}),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ImportReport:
        """A stored report; one written before a key existed reads it as empty."""
        return cls(
            file=data.get("file", ""),
            sha256=data.get("sha256", ""),
            import_id=data.get("import"),
            rows=data.get("rows", 0),
            counts=OutcomeCounts(
                **{key: data.get(key, 0) for key in (*COUNT_KEYS.values(), "imported_before")}
            ),
            results=[RowResult.from_json(item) for item in data.get("results", [])],
            sheet=SheetLayout(
                header_row=data.get("header_row"),
                blank_rows=data.get("blank_rows", 0),
                columns=[
                    ReportColumn(
                        column=item["column"],
                        header=item.get("header", ""),
                        fields=tuple(item.get("fields", ())),
                        how=item.get("how", ""),
                        kind=item.get("kind"),
                        samples=item.get("samples"),
                    )
                    for item in data.get("columns", [])
                ],
                warnings=list(data.get("warnings", [])),
            ),
            already_imported=bool(data.get("already_imported", False)),
            dry_run=bool(data.get("dry_run", False)),
        )
