"""Real OGC API – Features clients against a live server: OWSLib and GDAL's OAPIF driver (syncs
at GDAL 3.6's limit=10 within the GIS throttle), and a QGIS-like session."""

from __future__ import annotations

import re
import subprocess
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from django.contrib.gis.gdal import DataSource
from django.contrib.gis.geos import Point, Polygon
from django.core.signals import request_started
from owslib.ogcapi.features import Features

from api.models import RateBucket
from fairs.models import Fair
from geo.models import Municipality, Settlement
from registry.models import Community
from tests.conftest import APPS_BUT_GEODATA
from tests.registry.factories import community, municipality

pytestmark = [
    pytest.mark.django_db(transaction=True, available_apps=APPS_BUT_GEODATA),
    pytest.mark.usefixtures("reference_data"),
]
IGLINO = Point(56.43, 54.83, srid=4326)
MUNICIPALITIES_LEVEL_ONE = 342  # the districts and okrugs of the shipped boundaries


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
        "settlements",
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


def test_owslib_reads_every_collection_with_datetime_a_3d_bbox_and_a_property_filter(
    live_server: Any, rows: list[Community], iglino_fair: Fair
) -> None:
    """Each collection through OWSLib with the three Core/Part 3 parameters at once: a datetime
    (an instant or an interval; municipalities and settlements have no time and ignore it), a
    six-number bbox around Иглинский район and a property filter named in its queryables."""
    service = Features(f"{live_server.url}/ogc/")
    boundary = municipality("80628000").boundary
    assert boundary is not None
    x0, y0, x1, y1 = boundary.extent
    box = Polygon.from_bbox((x0, y0, x1, y1))
    expected = {
        "communities": (("municipality", "80628000"), "2000-01-01T00:00:00Z/..", 1),
        "municipalities": (
            ("level", "1"), "2026-05-15",
            Municipality.objects.filter(level=1, boundary__bboverlaps=box).count(),
        ),
        "settlements": (
            ("municipality", "80628000"), "2026-05-15/..",
            Settlement.objects.filter(municipality__oktmo="80628000", point__bboverlaps=box).count(),
        ),
        "fairs": (("municipality", "80628000"), "2026-05-15", 1),
    }  # fmt: skip
    collections = [item["id"] for item in service.collections()["collections"]]
    assert collections == list(expected)

    for name, ((field, value), moment, count) in expected.items():
        assert field in service.collection_queryables(name)["properties"], name
        page = service.collection_items(
            name, bbox=[x0, y0, -100, x1, y1, 100], datetime_=moment, limit=1000, **{field: value}
        )
        assert page["numberMatched"] == page["numberReturned"] == count > 0, name
    assert [f["properties"]["name"] for f in service.collection_items(
        "communities", bbox=[x0, y0, 0, x1, y1, 0], datetime_="2000-01-01T00:00:00Z/..", municipality="80628000"
    )["features"]] == ["Клуб «Ладья»"]  # fmt: skip
    # the datetime really selects: outside the time of the community and the fair, nothing
    assert service.collection_items("communities", datetime_="../2000-01-01")["numberMatched"] == 0
    assert service.collection_items("fairs", datetime_="2026-06-01/..")["numberMatched"] == 0
    okrugs = service.collection_items("municipalities", kind="urban_okrug", limit=1000)
    assert {f["properties"]["kind"] for f in okrugs["features"]} == {"urban_okrug"}


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


def test_two_gdal_syncs_and_a_qgis_session_pass_from_one_address(
    live_server: Any, rows: list[Community], tmp_path: Path
) -> None:
    """GDAL 3.6 pages with limit=10 whatever the server says: two full copies of every collection
    and then a QGIS-like session, all from 127.0.0.1, meet no 429; they spend the GIS budget, not
    the REST API's."""
    served: list[str] = []

    def count(sender: Any, environ: dict[str, Any], **kwargs: Any) -> None:
        served.append(environ.get("PATH_INFO", ""))

    request_started.connect(count)
    try:
        for run in (1, 2):
            target = tmp_path / f"sync{run}.gpkg"
            result = subprocess.run(  # noqa: S603
                ["ogr2ogr", "-f", "GPKG", str(target), f"OAPIF:{live_server.url}/ogc/"],  # noqa: S607
                capture_output=True, text=True, timeout=300, check=False,
            )  # fmt: skip
            assert result.returncode == 0, result.stderr[-2000:]
            assert "429" not in result.stderr
            assert _gpkg_count(target, "communities") == len(rows)
        statuses = [
            _status(f"{live_server.url}/ogc{path}")
            for path in (
                "", "/?f=json", "/api?f=json", "/conformance?f=json", "/collections?f=json",
                *(f"/collections/{name}?f=json" for name in ("communities", "municipalities", "settlements", "fairs")),
                *(
                    f"/collections/{name}/items?f=json&limit=1000&bbox={x},54.0,{x + 1},55.5"
                    for name in ("communities", "municipalities", "settlements")
                    for x in (54, 55, 56, 57, 58)
                ),
            )
        ]  # fmt: skip
    finally:
        request_started.disconnect(count)
    assert set(statuses) == {200}
    feature_pages = [path for path in served if path.endswith("/items")]
    assert len(feature_pages) > 2 * (MUNICIPALITIES_LEVEL_ONE // 10)  # limit=10 paging really happened
    assert not RateBucket.objects.filter(
        key__startswith="throttle_anonymous_read_"
    ).exists()  # REST untouched


def _gpkg_count(target: Path, layer: str) -> int:
    source = DataSource(str(target))
    return next(len(source[index]) for index in range(source.layer_count) if source[index].name == layer)


def _status(url: str) -> int:
    request = urllib.request.Request(url, headers={"Accept": "application/json"})  # noqa: S310 - the live test server
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
            response.read()
            return int(response.status)
    except urllib.error.HTTPError as error:
        return error.code
