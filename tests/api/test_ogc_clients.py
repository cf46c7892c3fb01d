"""Two real OGC API – Features clients against a live server: OWSLib and GDAL's OAPIF driver."""

from __future__ import annotations

import re
import subprocess
from typing import Any

import pytest
from django.contrib.gis.geos import Point
from owslib.ogcapi.features import Features

from registry.models import Community
from tests.conftest import APPS_BUT_GEODATA
from tests.registry.factories import community, municipality

pytestmark = [
    pytest.mark.django_db(transaction=True, available_apps=APPS_BUT_GEODATA),
    pytest.mark.usefixtures("reference_data"),
]
IGLINO = Point(56.43, 54.83, srid=4326)


@pytest.fixture
def rows() -> list[Community]:
    iglino = municipality("80628000")
    made = [community(name=f"ТОС «Улица {index}»") for index in range(23)]
    made.append(community(name="Клуб «Ладья»", municipality=iglino, location=IGLINO))
    community(name="Клуб «Черновик»", municipality=iglino, location=IGLINO, status=Community.Status.PROPOSED)
    return made


def test_owslib_lists_collections_and_pages_items_with_bbox(live_server: Any, rows: list[Community]) -> None:
    service = Features(f"{live_server.url}/ogc/")

    assert [c["id"] for c in service.collections()["collections"]] == [
        "communities",
        "municipalities",
        "fairs",
    ]
    assert service.collection("communities")["itemType"] == "feature"
    assert (
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core" in service.conformance()["conformsTo"]
    )
    near_iglino = service.collection_items("communities", bbox=[56.3, 54.7, 56.6, 54.9])
    assert [f["properties"]["name"] for f in near_iglino["features"]] == ["Клуб «Ладья»"]
    pages = [service.collection_items("communities", limit=10, offset=offset) for offset in (0, 10, 20)]
    assert [page["numberReturned"] for page in pages] == [10, 10, 4]
    assert {page["numberMatched"] for page in pages} == {24}
    assert sorted(f["id"] for page in pages for f in page["features"]) == sorted(row.pk for row in rows)


def _ogrinfo_count(url: str, layer: str) -> int:
    result = subprocess.run(  # noqa: S603
        ["ogrinfo", "-so", "-ro", f"OAPIF:{url}", layer],  # noqa: S607
        capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    found = re.search(r"^Feature Count: (\d+)$", result.stdout, re.MULTILINE)
    assert found, result.stdout + result.stderr
    return int(found.group(1))


def test_gdal_oapif_counts_what_the_database_publishes(live_server: Any, rows: list[Community]) -> None:
    assert _ogrinfo_count(f"{live_server.url}/ogc/", "communities") == len(rows)

    result = subprocess.run(  # noqa: S603 - every feature through GDAL's paging, not just the count
        ["ogrinfo", "-ro", "-al", "-q", "-oo", "PAGE_SIZE=7", f"OAPIF:{live_server.url}/ogc/", "communities"],  # noqa: S607
        capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    assert result.stdout.count("OGRFeature(communities)") == len(rows)
    assert "Клуб «Ладья»" in result.stdout
    assert "Черновик" not in result.stdout
