"""Results: a JSON file per run and the table in bench/README.md, regenerated from the latest full run."""

from __future__ import annotations

import json
import os
import platform
import subprocess
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path
from typing import Any

from django.db import connection

from bench.figures import Figure

BENCH_DIR = Path(__file__).resolve().parent
RESULTS_DIR = BENCH_DIR / "results"
README = BENCH_DIR / "README.md"
START, END = "<!-- results:start -->", "<!-- results:end -->"


def _git_sha() -> str:
    try:
        return subprocess.run(  # noqa: S603 -- a fixed git command line
            ["git", "rev-parse", "--short", "HEAD"],  # noqa: S607
            capture_output=True,
            text=True,
            check=True,
            cwd=BENCH_DIR,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def _machine() -> dict[str, Any]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT version(), postgis_full_version()")
        postgres, postgis = cursor.fetchone()
    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "postgres": postgres,
        "postgis": postgis,
        "django": version("Django"),
        "folium": version("folium"),
    }


def _seconds(value: float) -> str:
    return f"{value * 1000:.1f} ms" if value < 1 else f"{value:.2f} s"


def _row(figure: Figure) -> str:
    subject = figure.subject_stats
    baseline = figure.baseline_stats
    ratio = f"{figure.ratio:.2f}×" if figure.ratio is not None else "—"
    verdict = {True: "✓", False: "✗", None: "·"}[figure.passed]
    spread = (
        f"{_seconds(subject.min)} / {_seconds(subject.median)} / {_seconds(subject.max)}" if subject else "—"
    )
    floor = (
        f"{_seconds(baseline.min)} / {_seconds(baseline.median)} / {_seconds(baseline.max)}"
        if baseline
        else "—"
    )
    extra = ", ".join(f"{key} {value}" for key, value in figure.extra.items())
    notes = "; ".join(part for part in (extra, figure.note) if part)
    return (
        f"| {figure.scenario} | {figure.label} | {figure.subject} | {figure.baseline} | {ratio} | "
        f"{spread} | {floor} | {figure.target} | {verdict} | {notes} |"
    )


def table(figures: list[Figure], *, header: str) -> str:
    lines = [
        header,
        "",
        "| scenario | data | measured | against | ratio (medians) | ours min/median/max | baseline"
        " min/median/max | target | met | notes |",
        "|---|---|---|---|---|---|---|---|---|---|",
        *(_row(figure) for figure in figures),
    ]
    return "\n".join(lines)


def write_results(
    figures: list[Figure], *, quick: bool, seconds: float, sizes: dict[int, int], partial: bool = False
) -> str:
    """Writes the run's JSON (a full run's name carries the time, so no run replaces another) and,
    for a full run of every scenario, the table in bench/README.md; returns the table."""
    now = datetime.now(UTC)
    sha = _git_sha()
    machine = _machine()
    payload: dict[str, Any] = {
        "date": now.isoformat(timespec="seconds"),
        "commit": sha,
        "quick": quick,
        "partial": partial,
        "seconds": round(seconds, 1),
        "machine": machine,
        "datasets": {str(size): count for size, count in sizes.items()},
        "figures": [figure.as_dict() for figure in figures],
    }
    RESULTS_DIR.mkdir(exist_ok=True)
    name = "quick-latest.json" if quick else f"{now:%Y-%m-%d-%H%M}-{sha}{'-partial' if partial else ''}.json"
    (RESULTS_DIR / name).write_text(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
    kind = (
        "quick run (1/100 sizes: judges no target)" if quick else ("partial run" if partial else "full run")
    )
    text = table(figures, header=f"Latest {kind}: {now:%Y-%m-%d}, commit {sha}, {machine['cpus']} CPUs.")
    if not quick and not partial and README.exists():
        readme = README.read_text()
        if START in readme and END in readme:
            head, rest = readme.split(START, 1)
            _, tail = rest.split(END, 1)
            README.write_text(f"{head}{START}\n{text}\n{END}{tail}")
    return text
