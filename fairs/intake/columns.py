"""Find the header and map every column of a sheet to a field, or to «не импортировать».

The header is the best-scoring row (or pair of rows: a group heading over sub-headings) among the
first HEADER_SEARCH_ROWS; a column is mapped by an explicit mapping first (the person's, or the one
the team confirmed for sheets of this shape), then by its header's words, then by what its cells
look like. A column with data that looks like a field but maps to nothing is a problem the caller
decides on: the web page asks, the API and the CLI refuse naming it."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from fairs.intake.content import FIELD_KINDS, column_kind
from fairs.intake.fields import FIELD_LABELS, IGNORED, SKIP, SPLITTABLE, header_meaning
from geo.errors import DomainError, ErrorItem

HEADER_SEARCH_ROWS = 15
SAMPLE_ROWS = 200  # cells per column read to tell its kind
SAMPLES_SHOWN = 3
_DATA_KINDS = frozenset({"phone", "email", "count", "year", "place", "person", "date"})


@dataclass
class Column:
    position: int
    header: str  # as written (two-row headers joined: «Руководитель Телефон»)
    fields: tuple[str, ...] = ()  # () = not imported; two or more = a combined cell to split
    how: str = ""  # explicit | header | fuzzy | content | "" (nothing)
    kind: str | None = None  # what most of its cells look like (fairs.intake.content)
    samples: list[str] = field(default_factory=list)
    has_data: bool = False

    @property
    def label(self) -> str:
        return self.header or _("столбец {}").format(column_letter(self.position))

    @property
    def field_names(self) -> str:
        return " + ".join(str(FIELD_LABELS.get(name, name)) for name in self.fields) or _("не импортировать")


def column_letter(position: int) -> str:
    letters = ""
    position += 1
    while position:
        position, remainder = divmod(position - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


@dataclass(frozen=True)
class Header:
    row: int  # as a person sees it (1 = the first row); a two-row header's upper row
    rows: int  # 1 or 2
    headers: list[str]


def _score(headers: list[str]) -> float:
    fields = {name for header in headers for name in header_meaning(header).fields}
    filled = sum(1 for header in headers if header)
    if filled < 2:  # a title row («Ярмарка сообществ … района»), or a sheet of names alone
        return 0.1 if "name" in fields else 0.0
    return len(fields - {IGNORED}) + 0.5 * (IGNORED in fields) + 2.0 * ("name" in fields)


def _joined(top: list[str], sub: list[str]) -> list[str]:
    """Group headings over sub-headings: a merged cell is read in its first column only, so a
    heading stands over the blank cells to its right."""
    width = max(len(top), len(sub))
    joined, heading = [], ""
    for position in range(width):
        upper = top[position].strip() if position < len(top) else ""
        lower = sub[position].strip() if position < len(sub) else ""
        if upper:
            heading = upper if lower else ""  # a heading with nothing below spans both rows itself
        joined.append(f"{upper or heading} {lower}".strip() if lower else upper)
    return joined


def _looks_like_data(cells: list[str]) -> bool:
    from fairs.intake.content import cell_kind

    return any(cell_kind(cell) in _DATA_KINDS for cell in cells)


def header_find(table: list[list[str]]) -> Header | None:
    best: tuple[float, int, int] | None = None  # (score, -row, -rows)
    found: Header | None = None
    for index, cells in enumerate(table[:HEADER_SEARCH_ROWS]):
        cells = [cell.strip() for cell in cells]
        if _looks_like_data(cells):  # «Клуб «Ладья»; д. Шакша» names a field, but it is a row
            continue
        options = [(cells, 1)]
        following = table[index + 1] if index + 1 < len(table) else None
        if (
            following is not None
            and sum(1 for cell in cells if cell) >= 2
            and not _looks_like_data(following)
        ):
            options.append((_joined(cells, following), 2))
        for headers, rows in options:
            score = _score(headers)
            key = (score, -index, -rows)
            if score > 0 and (best is None or key > best):
                best, found = key, Header(index + 1, rows, headers)
    return found


def mapping_key(headers: list[str]) -> str:
    """The shape of a sheet: its headers, folded and in order (a remembered mapping's key)."""
    folded = [" ".join(header.lower().replace("ё", "е").split()) for header in headers]
    return hashlib.sha256(json.dumps(folded, ensure_ascii=False).encode()).hexdigest()


def _explicit_fields(value: str, header: str) -> tuple[str, ...]:
    names = tuple(part.strip() for part in value.split("+") if part.strip())
    if not names or names in {(SKIP,), ("-",), (IGNORED,)}:
        return ()
    unknown = [name for name in names if name not in FIELD_LABELS]
    if unknown or (len(names) > 1 and not set(names) <= SPLITTABLE):
        raise DomainError(
            ErrorItem(
                "mapping",
                _("Сопоставление столбца «{}»: неизвестное поле «{}». Допустимы: {}, {}").format(
                    header, value, ", ".join(FIELD_LABELS), SKIP
                ),
                "mapping_field_unknown",
            )
        )
    return names


def columns_map(
    *, headers: list[str], data: list[list[str]], explicit: dict[str, str] | None = None
) -> list[Column]:
    """Each column's fields; the explicit mapping (header as written → field code, «skip», or
    «name+place» for a combined column) wins over everything else."""
    explicit = explicit or {}
    by_header = {" ".join(header.lower().split()): position for position, header in enumerate(headers)}
    chosen: dict[int, tuple[str, ...]] = {}
    for written, value in explicit.items():
        key = " ".join(str(written).lower().split())
        position = by_header.get(key)
        if position is None and key.isalpha() and key.isascii() and len(key) <= 2:
            position = next(
                (index for index in range(len(headers)) if column_letter(index).lower() == key), None
            )
        if position is None:
            raise DomainError(
                ErrorItem(
                    "mapping",
                    _("Сопоставление называет столбец «{}», которого нет в файле. Столбцы: {}").format(
                        written, ", ".join(f"«{header}»" for header in headers if header)
                    ),
                    "mapping_column_unknown",
                )
            )
        chosen[position] = _explicit_fields(str(value), str(written))
    columns: list[Column] = []
    sample = data[:SAMPLE_ROWS]
    for position, header in enumerate(headers):
        values = [row[position].strip() for row in sample if position < len(row) and row[position].strip()]
        column = Column(position, header, kind=column_kind(values), samples=values[:SAMPLES_SHOWN])
        column.has_data = any(position < len(row) and row[position].strip() for row in data)
        if position in chosen:
            column.fields, column.how = chosen[position], "explicit"
        else:
            meaning = header_meaning(header)
            if meaning.fields and meaning.fields != (IGNORED,):
                column.fields, column.how = meaning.fields, meaning.how
            elif meaning.fields == (IGNORED,):
                column.how = "header"
        columns.append(column)
    _one_column_a_field(columns)
    _map_by_content(columns)
    return columns


def _one_column_a_field(columns: list[Column]) -> None:
    taken: dict[str, Column] = {}
    for column in columns:
        for name in column.fields:
            if name in taken:
                if column.how == "explicit" and taken[name].how == "explicit":
                    raise DomainError(
                        ErrorItem(
                            "mapping",
                            _("Два столбца сопоставлены одному полю «{}»: «{}» и «{}»").format(
                                FIELD_LABELS[name], taken[name].label, column.label
                            ),
                            "mapping_field_twice",
                        )
                    )
                # the first column keeps the field; a second one is kept in the raw values
                column.fields, column.how = (), "duplicate"
                break
        for name in column.fields:
            taken[name] = column


def _map_by_content(columns: list[Column]) -> None:
    taken = {name for column in columns for name in column.fields}
    for column in columns:
        if column.fields or column.how in {"explicit", "header", "duplicate"} or not column.has_data:
            continue
        name = FIELD_KINDS.get(column.kind or "")
        if name is not None and name not in taken:
            column.fields, column.how = (name,), "content"
            taken.add(name)


def unmapped_problems(columns: list[Column]) -> list[ErrorItem]:
    """Columns whose cells look like a field (phones, e-mails, names, places, counts) and that map to
    nothing: importing without a decision would drop them silently."""
    return [
        ErrorItem(
            f"columns[{column_letter(column.position)}]",
            _(
                "Столбец {} «{}» похож на «{}» (например: {}), но не сопоставлен ни одному полю: "
                "укажите сопоставление (или «{}», чтобы не импортировать)"
            ).format(
                column_letter(column.position),
                column.label,
                FIELD_LABELS[FIELD_KINDS[column.kind or ""]],
                ", ".join(f"«{value[:30]}»" for value in column.samples) or "—",
                SKIP,
            ),
            "column_unmapped",
        )
        for column in columns
        if not column.fields
        and column.how not in {"explicit", "header", "duplicate"}
        and column.has_data
        and column.kind in FIELD_KINDS
    ]
