"""A short, bounded load run with locust on 127.0.0.1: maps, the list, OGC items and tiles under
concurrent users answer without a single error (the bench's scenario 8 measures the same mix at scale)."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from api.throttling import AnonymousReadThrottle
from registry.models import Community
from tests.conftest import APPS_BUT_GEODATA
from tests.registry.factories import community, municipality

pytestmark = [
    pytest.mark.django_db(transaction=True, available_apps=APPS_BUT_GEODATA),
    pytest.mark.usefixtures("reference_data"),
]
LOCUSTFILE = Path(__file__).resolve().parents[2] / "bench" / "locustfile.py"


def test_a_short_load_run_has_no_errors(
    live_server: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Every simulated user shares one address here; the per-address limit is for the internet.
    monkeypatch.setattr(AnonymousReadThrottle, "rate", "1000000/min", raising=False)
    iglino = municipality("80628000")
    for index in range(40):
        community(
            name=f"ТОС «Нагрузка {index}»", municipality=iglino if index % 2 else municipality("80701000")
        )
    assert Community.objects.count() == 40
    paths = "\n".join(
        [
            "3 /",
            f"3 /m/{iglino.slug}/",
            "4 /api/v1/communities/?in_bbox={bbox}&limit=100",
            "2 /ogc/collections/communities/items?bbox={bbox}",
            "4 /tiles/communities/{tile}.mvt",
            "1 /api/v1/export/communities.geojson",
        ]
    )
    prefix = tmp_path / "run"
    locust = Path(sys.executable).with_name("locust")
    subprocess.run(  # noqa: S603 -- our own virtualenv's locust, fixed arguments, bounded in time
        [str(locust), "-f", str(LOCUSTFILE), "--headless", "-u", "10", "-r", "5", "-t", "8s",
         "--host", live_server.url, "--csv", str(prefix), "--only-summary", "--loglevel", "WARNING",
         "--exit-code-on-error", "0"],
        env={"BENCH_PATHS": paths, "BENCH_SEED": "7", "PATH": "/usr/bin:/bin"},
        check=True, timeout=90, capture_output=True,
    )  # fmt: skip

    with open(f"{prefix}_stats.csv", newline="") as handle:
        rows = {row["Name"]: row for row in csv.DictReader(handle)}
    total = rows["Aggregated"]
    failures = Path(f"{prefix}_failures.csv").read_text()
    assert int(total["Failure Count"]) == 0, failures
    assert int(total["Request Count"]) > 50
    assert len(rows) - 1 == 6  # every path of the mix was requested
