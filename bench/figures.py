"""What a scenario returns and what it is given: Figure and Context.

A figure is a ratio of medians (subject / baseline) with both sets of min/median/max beside it, plus
any absolute limit the issue sets, checked and shown next to the ratio."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bench.timing import Stats


@dataclass
class Figure:
    scenario: str
    label: str
    size: int
    subject: str
    baseline: str
    subject_stats: Stats | None = None
    baseline_stats: Stats | None = None
    target: str = ""
    passed: bool | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    note: str = ""
    fixed_ratio: float | None = None  # for figures that are not timings (requests per second)

    @property
    def ratio(self) -> float | None:
        if self.fixed_ratio is not None:
            return self.fixed_ratio
        if self.subject_stats is None or self.baseline_stats is None or not self.baseline_stats.median:
            return None
        return self.subject_stats.median / self.baseline_stats.median

    def as_dict(self) -> dict[str, Any]:
        return {
            "scenario": self.scenario,
            "label": self.label,
            "size": self.size,
            "subject": self.subject,
            "baseline": self.baseline,
            "subject_s": self.subject_stats.as_dict() if self.subject_stats else None,
            "baseline_s": self.baseline_stats.as_dict() if self.baseline_stats else None,
            "ratio": self.ratio,
            "target": self.target,
            "passed": self.passed,
            "extra": self.extra,
            "note": self.note,
        }


@dataclass(frozen=True)
class Context:
    quick: bool
    repeats: int
    seed: int
    use: Callable[[int], int]  # switch to the dataset of a size; returns its community count

    def scaled(self, full: int) -> int:
        return max(1, full // 100) if self.quick else full
