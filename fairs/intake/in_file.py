"""The match stage within the file: whether a valid row repeats an earlier row of the same file."""

from __future__ import annotations

from collections import defaultdict
from typing import NamedTuple

from fairs.intake.row import PipelineRow
from fairs.models import Signup
from registry.matching import name_numbers, name_similarity, name_stems, stems_could_reach
from registry.models import Community


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


class SeenRow(NamedTuple):
    """What a later row needs of an earlier one it repeats. The whole row (its sign-up, cells and
    lists) is not kept: a large file's rows alive to its end made each full garbage collection walk
    them all again."""

    number: int
    signup_id: int | None
    community: Community | None


class SeenRows:
    """The valid rows of a file so far, in blocks by place, phone and e-mail and by the numbers in
    their names.

    A row can only duplicate an earlier one in the same place or with the same contact, and with the
    same numbers in its name (name_similarity keeps «ТОС №5» from «ТОС №6»): it is compared with the
    distinct names of those blocks alone, prefiltered by rapidfuzz. Comparing every earlier row made
    50 million comparisons for 10,000 rows, comparing every row of its place still millions."""

    def __init__(self) -> None:
        self.rows: list[SeenRow] = []
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
        """A row decided and written: later rows may repeat it."""
        position = len(self.rows)
        self.rows.append(SeenRow(row.number, row.signup.pk, row.signup.community))
        stems = name_stems(row.signup.name_core)
        for key in self._keys(row.signup):
            self.blocks[key].add(stems, row.signup.name, position)

    def first_alike(self, signup: Signup, least: float) -> SeenRow | None:
        """The earliest row sharing the place or a contact whose name scores `least` or more."""
        stems = name_stems(signup.name_core)
        found = [
            position
            for key in self._keys(signup)
            if key in self.blocks
            and (position := self.blocks[key].first_alike(stems, signup.name, least)) is not None
        ]
        return self.rows[min(found)] if found else None
