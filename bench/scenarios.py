"""The benchmark scenarios: each measures the project's path and its baselines in the same run.

A scenario returns Figures; a figure is a ratio of medians (subject / baseline) with both sets of
min/median/max beside it, plus any absolute limit the issue sets, checked and shown next to the ratio.
A path that does not exist yet is reported as "not measured" with the reason, never skipped silently."""

from __future__ import annotations

import csv
import io
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import folium
from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.gis.geos import Point, Polygon
from django.core.cache import cache
from django.db import connection, connections, transaction
from django.test import Client
from django.urls import Resolver404, resolve
from folium.plugins import MarkerCluster
from rest_framework import serializers
from rest_framework.renderers import JSONRenderer
from rest_framework_gis.serializers import GeoFeatureModelSerializer

from bench.timing import Stats, measure, percentile, rss_growth_mb
from geo.models import Municipality
from geo.selectors import municipality_locate, municipality_locate_many
from registry.models import Community, TeamMembership
from registry.publication import public_q

UFA_CENTRE = (55.958, 54.735)
VENV_BIN = Path(sys.executable).parent


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


def _route_exists(path: str) -> bool:
    try:
        resolve(path)
    except Resolver404:
        return False
    return True


def _get(client: Client, url: str) -> bytes:
    response = client.get(url)
    if response.status_code != 200:
        raise RuntimeError(f"GET {url} answered {response.status_code}")
    if getattr(response, "streaming", False):
        # Counted, not kept: a client that kept the body would be measured, not the server.
        return b"%d" % sum(len(chunk) for chunk in response.streaming_content)  # type: ignore[attr-defined,misc]
    return response.content


def _count_public_in(bbox: tuple[float, float, float, float]) -> int:
    return Community.objects.filter(public_q(), public_point__bboverlaps=Polygon.from_bbox(bbox)).count()


def _bbox_with(target: int) -> tuple[tuple[float, float, float, float], int]:
    """A box around central Ufa holding about `target` public communities (bisection on its size)."""
    low, high = 0.001, 8.0
    best = (UFA_CENTRE[0] - high, UFA_CENTRE[1] - high / 2, UFA_CENTRE[0] + high, UFA_CENTRE[1] + high / 2)
    found = _count_public_in(best)
    for _ in range(30):
        half = (low + high) / 2
        bbox = (
            UFA_CENTRE[0] - half,
            UFA_CENTRE[1] - half / 2,
            UFA_CENTRE[0] + half,
            UFA_CENTRE[1] + half / 2,
        )
        count = _count_public_in(bbox)
        best, found = bbox, count
        if abs(count - target) <= max(1, target // 50):
            break
        if count > target:
            high = half
        else:
            low = half
    return best, found


FLOOR_FEATURE = """json_build_object(
    'type', 'Feature', 'id', c.id, 'geometry', ST_AsGeoJSON(c.public_point, 6)::json,
    'properties', json_build_object(
        'id', c.id, 'slug', c.slug, 'name', c.name, 'sphere', s.code, 'form', c.form,
        'municipality', m.oktmo, 'municipality_name', m.name, 'members_count', c.members_count,
        'founded_year', c.founded_year, 'location_precision', c.public_precision))"""
FLOOR_FROM = """FROM registry_community c
JOIN registry_sphere s ON s.id = c.sphere_id
JOIN geo_municipality m ON m.id = c.municipality_id
WHERE c.status = 'verified' AND c.verified_until >= current_date"""


def _floor_bbox(bbox: tuple[float, float, float, float]) -> Callable[[], object]:
    sql = (
        "SELECT json_build_object('type', 'FeatureCollection', 'features',"
        f" coalesce(json_agg({FLOOR_FEATURE} ORDER BY c.id), '[]'::json))::text {FLOOR_FROM}"
        " AND c.public_point && ST_MakeEnvelope(%s, %s, %s, %s, 4326)"
    )

    def run() -> object:
        with connection.cursor() as cursor:
            cursor.execute(sql, list(bbox))
            return cursor.fetchone()[0]

    return run


class StockFeatureSerializer(GeoFeatureModelSerializer):
    """What a developer gets from djangorestframework-gis out of the box."""

    sphere: serializers.SlugRelatedField = serializers.SlugRelatedField(slug_field="code", read_only=True)
    municipality: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="oktmo", read_only=True
    )
    municipality_name = serializers.CharField(source="municipality.name", read_only=True)

    class Meta:
        model = Community
        geo_field = "public_point"
        fields = (
            "id",
            "slug",
            "name",
            "sphere",
            "form",
            "municipality",
            "municipality_name",
            "members_count",
            "founded_year",
            "location_precision",
        )


def _stock_drf_gis(bbox: tuple[float, float, float, float]) -> Callable[[], object]:
    def run() -> object:
        communities = (
            Community.objects.filter(public_q(), public_point__bboverlaps=Polygon.from_bbox(bbox))
            .select_related("sphere", "municipality")
            .order_by("id")
        )
        return JSONRenderer().render(StockFeatureSerializer(communities, many=True).data)

    return run


def list_bbox(ctx: Context) -> list[Figure]:
    size = ctx.scaled(1_000_000)
    ctx.use(size)
    bbox, found = _bbox_with(ctx.scaled(1000))
    label = f"bbox of {found:,} in {size:,}"
    figures = []
    url = "/api/v1/communities/?in_bbox={:.6f},{:.6f},{:.6f},{:.6f}&limit=10000".format(*bbox)
    floor = measure(_floor_bbox(bbox), repeats=ctx.repeats)
    if _route_exists("/api/v1/communities/"):
        client = Client()
        endpoint = measure(lambda: _get(client, url), repeats=ctx.repeats)
        stock = measure(_stock_drf_gis(bbox), repeats=ctx.repeats)
        within = endpoint.median <= 1.5 * floor.median
        figures.append(
            Figure(
                "1 list",
                label,
                size,
                "GET /api/v1/communities/?in_bbox",
                "raw SQL (ST_AsGeoJSON + json_agg)",
                endpoint,
                floor,
                "≤ 1.5× SQL",
                within,
            )
        )
        figures.append(
            Figure("1 list", label, size, "stock DRF-GIS GeoFeatureModelSerializer", "GET /api/v1/communities/",
                   stock, endpoint, "≥ 10× slower than ours", stock.median >= 10 * endpoint.median)
        )  # fmt: skip
    else:
        figures.append(
            Figure("1 list", label, size, "GET /api/v1/communities/", "raw SQL", None, floor, "≤ 1.5× SQL",
                   None, note="endpoint not built yet")
        )  # fmt: skip
    figures.append(_pygeoapi_against_ours(ctx, bbox, label, size))
    return figures


PYGEOAPI_DIR = Path(__file__).with_name("pygeoapi")
PYGEOAPI_VENV = Path(settings.BASE_DIR) / "var" / "bench-pygeoapi"
PUBLIC_VIEW = """
CREATE OR REPLACE VIEW bench_public_communities AS
SELECT c.id, c.name, c.slug, s.code AS sphere, m.oktmo AS municipality, c.members_count, c.founded_year,
       c.public_point AS geom
FROM registry_community c JOIN registry_sphere s ON s.id = c.sphere_id JOIN geo_municipality m ON m.id = c.municipality_id
WHERE c.status = 'verified' AND (c.verified_until IS NULL OR c.verified_until >= current_date - {grace})
"""


def _pygeoapi_venv() -> Path:
    """pygeoapi in its own virtualenv (its pins are not ours), installed from its hashed lock."""
    python = PYGEOAPI_VENV / "bin" / "python"
    stamp = PYGEOAPI_VENV / ".installed"
    lock = PYGEOAPI_DIR / "requirements.lock"
    if not stamp.exists() or stamp.read_text() != lock.read_text():
        subprocess.run([sys.executable, "-m", "venv", str(PYGEOAPI_VENV)], check=True)  # noqa: S603
        subprocess.run(  # noqa: S603 -- pip of that virtualenv, our own lock file
            [str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check", "--require-hashes",
             "-r", str(lock)],
            check=True, timeout=900,
        )  # fmt: skip
        stamp.write_text(lock.read_text())
    return PYGEOAPI_VENV / "bin"


@contextmanager
def _pygeoapi_server() -> Iterator[str]:
    """pygeoapi (gunicorn, one worker as ours has per request) on the current bench database."""
    from string import Template

    bin_dir = _pygeoapi_venv()
    with connection.cursor() as cursor:
        cursor.execute(PUBLIC_VIEW.format(grace=int(settings.REGISTRY_VERIFICATION_GRACE_DAYS)))
    db = connection.settings_dict
    port = _free_port()
    with tempfile.TemporaryDirectory() as directory:
        config = Path(directory) / "pygeoapi.yml"
        openapi = Path(directory) / "openapi.yml"
        config.write_text(Template((PYGEOAPI_DIR / "config.template.yml").read_text()).substitute(
            port=port, host=db.get("HOST") or "localhost", dbport=db.get("PORT") or 5432, dbname=db["NAME"],
            user=db.get("USER") or "", password=db.get("PASSWORD") or "",
        ))  # fmt: skip
        env = {**os.environ, "PYGEOAPI_CONFIG": str(config), "PYGEOAPI_OPENAPI": str(openapi)}
        subprocess.run(  # noqa: S603
            [str(bin_dir / "pygeoapi"), "openapi", "generate", str(config), "--output-file", str(openapi)],
            env=env, check=True, capture_output=True, timeout=120,
        )  # fmt: skip
        process = subprocess.Popen(  # noqa: S603
            [str(bin_dir / "gunicorn"), "-w", "1", "-b", f"127.0.0.1:{port}", "--log-level", "warning",
             "pygeoapi.flask_app:APP"],
            env=env, cwd=directory,
        )  # fmt: skip
        with _serving(process, f"http://127.0.0.1:{port}", ready="/conformance?f=json") as url:
            yield url


@contextmanager
def _serving(process: subprocess.Popen[bytes], url: str, *, ready: str) -> Iterator[str]:
    """The server's base URL once `ready` answers; the process is stopped however the block ends."""
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(url + ready, timeout=5):  # noqa: S310 -- our own local server
                    break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError(f"bench: {url} did not start") from None
                time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def municipalities(ctx: Context) -> list[Figure]:
    """REST /api/v1/municipalities/ against OGC's items for the same features (the districts and
    okrugs with their full boundaries): both SQL-built now, REST was 5-13 s for 1,000 before."""
    ctx.use(ctx.scaled(100_000))  # the boundaries are the same in every bench database
    client = Client()
    rest = "/api/v1/municipalities/?level=1&page_size=1000"
    ogc = "/ogc/collections/municipalities/items?f=json&limit=1000"
    count = json.loads(_get(client, ogc))["numberReturned"]
    endpoint = measure(lambda: _get(client, rest), repeats=ctx.repeats)
    baseline = measure(lambda: _get(client, ogc), repeats=ctx.repeats)
    return [
        Figure("1b municipalities", f"{count} boundaries", count, "GET /api/v1/municipalities/?level=1",
               "GET /ogc/collections/municipalities/items", endpoint, baseline, "≤ 1.5× OGC",
               endpoint.median <= 1.5 * baseline.median)
    ]  # fmt: skip


def hostile_area(ctx: Context) -> list[Figure]:
    """Refusing a 100,000-vertex `area` on create (it was accepted after 6.9 s before the vertex
    limit), against the floor of reading the same body once (json.loads). Never scaled down: the
    size is the point. The tests check the refusal; its time is measured here, not asserted."""
    ctx.use(ctx.scaled(100_000))
    vertices = 100_000
    ring = [[round(56.40 + 0.04 * index / vertices, 7), 54.80] for index in range(vertices)]
    ring += [[56.44, 54.84], [56.40, 54.84], [56.40, 54.80]]
    body = json.dumps({
        "name": "Клуб «Стотысячник»", "sphere": "interest",
        "location": {"type": "Point", "coordinates": [56.43, 54.83]},
        "area": {"type": "MultiPolygon", "coordinates": [[ring]]},
    })  # fmt: skip
    client = Client()
    client.force_login(_team_member(Municipality.objects.get(oktmo="80628000")))  # Иглинский район

    def refuse() -> object:
        response = client.post("/api/v1/communities/", body, content_type="application/json")
        codes = [item["code"] for item in response.json().get("errors", [])]
        if response.status_code not in (400, 413) or "geometry_too_many_vertices" not in codes:
            raise RuntimeError(f"a 100,000-vertex area answered {response.status_code} {codes}")
        return response

    endpoint = measure(refuse, repeats=ctx.repeats)
    floor = measure(lambda: json.loads(body), repeats=ctx.repeats)
    return [
        Figure("1c hostile area", f"{vertices:,} vertices, {len(body) / 2**20:.1f} MB", vertices,
               "POST /api/v1/communities/ refused (400)", "json.loads of the same body", endpoint, floor,
               extra={"body_mb": round(len(body) / 2**20, 2)}, note="accepted after 6.9 s before the limit")
    ]  # fmt: skip


def _http_get(url: str) -> int:
    with urllib.request.urlopen(url, timeout=120) as response:  # noqa: S310 -- 127.0.0.1 only
        return len(response.read())


def _pygeoapi_against_ours(
    ctx: Context, bbox: tuple[float, float, float, float], label: str, size: int
) -> Figure:
    """Both over HTTP from their own gunicorn on 127.0.0.1: the same bbox, every feature in one page."""
    box = "{:.6f},{:.6f},{:.6f},{:.6f}".format(*bbox)
    with _server(connection.settings_dict["NAME"]) as ours, _pygeoapi_server() as theirs:
        ours_url = f"{ours}/api/v1/communities/?in_bbox={box}&limit=10000"
        theirs_url = f"{theirs}/collections/communities/items?bbox={box}&limit=10000&f=json"
        _http_get(ours_url), _http_get(theirs_url)  # warm both
        endpoint = measure(lambda: _http_get(ours_url), repeats=ctx.repeats)
        pygeoapi = measure(lambda: _http_get(theirs_url), repeats=ctx.repeats)
    return Figure("1 list", label, size, "pygeoapi 0.21 (PostgreSQL provider, over HTTP)",
                  "GET /api/v1/communities/ (over HTTP, gunicorn)", pygeoapi, endpoint,
                  "≥ 5× slower than ours", pygeoapi.median >= 5 * endpoint.median)  # fmt: skip


class _Sink(io.RawIOBase):
    """A writable file that keeps only a byte count (COPY's output goes nowhere)."""

    def __init__(self) -> None:
        self.count = 0

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        self.count += len(data)
        return len(data)


def download(ctx: Context) -> list[Figure]:
    size = ctx.scaled(100_000)
    ctx.use(size)
    label = f"all public of {size:,}"

    from django.contrib.auth.models import AnonymousUser

    from geo.layers import feature_sql
    from registry.selectors.features import CommunityFilters, feature_query

    # The same query the endpoint streams, run by COPY: the physical floor of the download.
    sql, params = feature_sql(feature_query(user=AnonymousUser(), filters=CommunityFilters()))

    def copy() -> object:
        with connection.cursor() as cursor:
            sink = _Sink()
            statement = cursor.cursor.mogrify(sql, params).decode()
            cursor.cursor.copy_expert(f"COPY ({statement}) TO STDOUT", sink)
            return sink.count

    floor = measure(copy, repeats=ctx.repeats)
    url = "/api/v1/communities/?limit=all"
    if not _route_exists("/api/v1/communities/"):
        return [Figure("2 download", label, size, "GET /api/v1/communities/ (all)", "COPY … TO STDOUT", None, floor,
                       "≤ 1.5× COPY; memory < 50 MB", None, note="endpoint not built yet")]  # fmt: skip
    client = Client()
    endpoint = measure(lambda: _get(client, url), repeats=ctx.repeats)
    growth = rss_growth_mb(lambda: _get(client, url))
    passed = endpoint.median <= 1.5 * floor.median and growth < 50
    return [
        Figure("2 download", label, size, f"GET {url}", "COPY … TO STDOUT", endpoint, floor,
               "≤ 1.5× COPY; memory < 50 MB", passed, extra={"rss_growth_mb": round(growth, 1)})
    ]  # fmt: skip


def exports(ctx: Context) -> list[Figure]:
    """Each export format of every public community, through the endpoint, against ogr2ogr run
    directly on the same query (what a planner with database access would do)."""
    size = ctx.scaled(100_000)
    ctx.use(size)
    label = f"all public of {size:,}"
    if not _route_exists("/api/v1/export/communities.gpkg"):
        return [Figure("3 exports", label, size, "GET /api/v1/export/…", "ogr2ogr", None, None, "≤ 1.2× ogr2ogr",
                       None, note="endpoint not built yet")]  # fmt: skip

    from django.contrib.auth.models import AnonymousUser

    from api.exports import FORMATS, _pg_source, export_command
    from registry.selectors.features import CommunityFilters, feature_query

    query = feature_query(user=AnonymousUser(), filters=CommunityFilters())
    figures = []
    client = Client()
    _source, environment = _pg_source()
    for name, fmt in FORMATS.items():
        work = Path(tempfile.mkdtemp(prefix="karta-bench-"))
        command = export_command(query, fmt, target=work / f"direct.{fmt.suffix}", sql_file=work / "q.sql")

        def direct(command: list[str] = command, work: Path = work) -> object:
            for old in work.glob("direct.*"):
                old.unlink()
            return subprocess.run(command, check=True, capture_output=True, env=environment)  # noqa: S603

        def served(url: str = f"/api/v1/export/communities.{name}") -> bytes:
            return _get(client, url)

        baseline = measure(direct, repeats=ctx.repeats)
        url = f"/api/v1/export/communities.{name}"
        endpoint = measure(served, repeats=ctx.repeats)
        growth = rss_growth_mb(served)
        passed = endpoint.median <= 1.2 * baseline.median and growth < 50
        figures.append(
            Figure("3 exports", f"{name}, {label}", size, f"GET {url}", "ogr2ogr, same query", endpoint, baseline,
                   "≤ 1.2× ogr2ogr; memory flat", passed, extra={"rss_growth_mb": round(growth, 1)})
        )  # fmt: skip
        for leftover in work.iterdir():
            leftover.unlink()
        work.rmdir()
    return figures


def _naive_folium(points: list[tuple[float, float, str]]) -> Callable[[], str]:
    def run() -> str:
        figure = folium.Map(location=[points[0][1], points[0][0]], zoom_start=9, tiles=None)
        cluster = MarkerCluster().add_to(figure)
        for lon, lat, name in points:
            folium.Marker([lat, lon], popup=name, tooltip=name).add_to(cluster)
        return figure.get_root().render()

    return run


BULK_COMMUNITIES = """
INSERT INTO registry_community (
    name, name_normalized, slug, description, form, inn, ogrn, location, location_precision,
    hide_exact_location, address, members_count, founded_year, activities, links, contact,
    is_contact_public, internal_notes, status, rejection_reason, verified_until, source,
    created_at, updated_at, is_demo, municipality_id, sphere_id)
SELECT 'Клуб «Карта ' || g.n || '»', 'карта ' || g.n, 'bench-map-' || g.n, '', 'informal', '', '',
       d.geom, 'exact', false, '', 10, 2020, '', '{}', '', false, '', 'verified', '',
       current_date + 100, 'team', now(), now(), true, %(municipality)s,
       (SELECT id FROM registry_sphere ORDER BY id OFFSET (g.n %% 14) LIMIT 1)
FROM ST_Dump(ST_GeneratePoints(
        (SELECT boundary_simplified FROM geo_municipality WHERE id = %(municipality)s), %(count)s, 7)) d
JOIN generate_series(1, %(count)s) g(n) ON g.n = d.path[1]
"""


def municipality_map(ctx: Context) -> list[Figure]:
    ctx.use(ctx.scaled(1000))
    municipality = Municipality.objects.get(oktmo="80628000")  # Иглинский район
    url = f"/m/{municipality.slug}/"
    figures = []
    for full in (1000, 16_000):
        count = ctx.scaled(full)
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("DELETE FROM registry_community WHERE municipality_id = %s", [municipality.pk])
                cursor.execute(BULK_COMMUNITIES, {"municipality": municipality.pk, "count": count})
                cursor.execute(
                    "SELECT ST_X(public_point), ST_Y(public_point), name FROM registry_community"
                    " WHERE municipality_id = %s",
                    [municipality.pk],
                )
                points = cursor.fetchall()
            client = Client()

            def cold(client: Client = client) -> bytes:
                cache.clear()  # the map cache would otherwise answer every repeat after the first
                return _get(client, url)

            page = measure(cold, repeats=ctx.repeats)
            html_mb = len(cold()) / 2**20
            naive = measure(_naive_folium(points), repeats=1 if full > 1000 else ctx.repeats, warmup=0)
            naive_mb = (
                len(_naive_folium(points[: min(len(points), 2000)])())
                / 2**20
                * len(points)
                / min(len(points), 2000)
            )
            transaction.set_rollback(True)
        limits = full < 16_000 or (page.median <= 0.3 and html_mb <= 2)
        figures.append(
            Figure("5 map", f"{count:,} communities in one municipality", count, f"GET {url} (cold cache)",
                   "naive folium MarkerCluster", page, naive,
                   "≤ 0.3 s and ≤ 2 MB at 16,000" if full == 16_000 else "", limits if full == 16_000 else None,
                   extra={"html_mb": round(html_mb, 2), "naive_html_mb_est": round(naive_mb, 2)})
        )  # fmt: skip
    return figures


def region_map(ctx: Context) -> list[Figure]:
    size = ctx.scaled(1_000_000)
    ctx.use(size)
    client = Client()

    def cold() -> bytes:
        cache.clear()
        return _get(client, "/")

    def floor() -> object:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT json_agg(json_build_object('oktmo', oktmo, 'shape', ST_AsGeoJSON(boundary_simplified, 4)::json))"
                " FROM geo_municipality WHERE level = 1"
            )
            return cursor.fetchone()[0]

    page = measure(cold, repeats=ctx.repeats)
    baseline = measure(floor, repeats=ctx.repeats)
    return [
        Figure("5 map", f"region choropleth over {size:,}", size, "GET / (cold cache)",
               "reading the boundaries as GeoJSON in SQL", page, baseline, "≤ 0.5 s", page.median <= 0.5,
               extra={"html_mb": round(len(cold()) / 2**20, 2)})
    ]  # fmt: skip


def _team_member(municipality: Municipality) -> User:
    user, _ = User.objects.get_or_create(username="bench-organiser")
    TeamMembership.objects.get_or_create(user=user, municipality=municipality)
    return user


def _sheet(rows: int, municipality: Municipality, seed: int) -> bytes:
    """A typed-up sheet: half the rows name communities already in the registry, half are new."""
    rng = random.Random(seed)
    known = list(
        Community.objects.filter(municipality=municipality)
        .values_list("name", flat=True)
        .order_by("id")[:5000]
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT type || '. ' || name FROM geo_settlement WHERE municipality_id = %s", [municipality.pk]
        )
        places = [row[0] for row in cursor.fetchall()] or [municipality.name]
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(["Название сообщества", "Сфера", "Населённый пункт", "Численность", "Год создания"])
    for n in range(rows):
        name = rng.choice(known) if known and n % 2 == 0 else f"Клуб «Новая встреча {n}»"
        writer.writerow(
            [name, "по интересам", rng.choice(places), rng.randint(3, 90), rng.randint(1995, 2026)]
        )
    return out.getvalue().encode()


# The bench sheet's columns, mapped as a team would confirm them (the import's explicit-mapping path).
BENCH_MAPPING = {
    "Название сообщества": "name",
    "Сфера": "sphere",
    "Населённый пункт": "place",
    "Численность": "members",
    "Год создания": "founded",
}


def fair_import(ctx: Context) -> list[Figure]:
    from fairs.services.fairs import fair_get_or_create
    from fairs.services.imports import signup_import

    size = ctx.scaled(100_000)
    ctx.use(size)
    rows = ctx.scaled(10_000)
    municipality = Municipality.objects.get(oktmo="80701000")  # Уфа: the most communities
    user = _team_member(municipality)
    data = _sheet(rows, municipality, ctx.seed)
    label = f"{rows:,} rows against {size:,}"

    def project() -> object:
        with transaction.atomic():
            fair = fair_get_or_create(user=user, municipality=municipality, date=date(2026, 6, 1))
            report = signup_import(
                user=user, fair=fair, data=data, file_name="bench.csv", mapping=BENCH_MAPPING
            )
            transaction.set_rollback(True)
        return report

    names = [row.split(";")[0] for row in data.decode().splitlines()[1:]]

    def floor() -> object:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("CREATE TEMP TABLE bench_rows (n int, raw text) ON COMMIT DROP")
            cursor.cursor.copy_expert(
                "COPY bench_rows FROM STDIN",
                io.StringIO("".join(f"{i}\t{line}\n" for i, line in enumerate(names))),
            )
            for name in names:
                cursor.execute(
                    "SELECT id FROM registry_community WHERE municipality_id = %s AND name_normalized %% %s"
                    " ORDER BY similarity(name_normalized, %s) DESC LIMIT 5",
                    [municipality.pk, name.lower(), name.lower()],
                )
                cursor.fetchall()
            transaction.set_rollback(True)
        return None

    subject = measure(project, repeats=max(1, ctx.repeats // 2))
    baseline = measure(floor, repeats=max(1, ctx.repeats // 2))
    # memory: how far one more import raises the resident set (the timed runs warmed the caches)
    growth = rss_growth_mb(project)
    passed = subject.median <= 10.0 and subject.median <= 3 * baseline.median and growth < 50
    return [
        Figure("6 fair import", label, size, "signup_import (read, normalise, locate, match, stage)",
               "bulk insert + one trigram query per row", subject, baseline,
               "≤ 10 s and ≤ 3× floor; memory flat (< 50 MB)", passed, extra={"rss_growth_mb": round(growth, 1)})
    ]  # fmt: skip


def locate(ctx: Context) -> list[Figure]:
    ctx.use(ctx.scaled(1000))
    rng = random.Random(ctx.seed)
    count = ctx.scaled(10_000)
    points = [Point(rng.uniform(53.2, 59.9), rng.uniform(51.6, 56.5), srid=4326) for _ in range(count)]
    lons = [point.x for point in points]
    lats = [point.y for point in points]

    def floor() -> object:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT u.ord, m.id FROM unnest(%s::float8[], %s::float8[]) WITH ORDINALITY AS u(lon, lat, ord)"
                " JOIN geo_municipality m ON m.level = 1"
                " AND ST_Contains(m.boundary, ST_SetSRID(ST_MakePoint(u.lon, u.lat), 4326))",
                [lons, lats],
            )
            return cursor.fetchall()

    subject = measure(lambda: municipality_locate_many(points=points), repeats=ctx.repeats)
    baseline = measure(floor, repeats=ctx.repeats)
    sample = points[: max(1, count // 10)]
    one_by_one = measure(lambda: [municipality_locate(point=point) for point in sample], repeats=1, warmup=0)
    return [
        Figure("7 locate", f"{count:,} points", count, "municipality_locate_many", "one ST_Contains join",
               subject, baseline, "≤ 2×", subject.median <= 2 * baseline.median,
               extra={"one_by_one_s_est": round(one_by_one.median * count / len(sample), 3)})
    ]  # fmt: skip


def _tiles_around(zoom: int, count: int, rng: random.Random) -> list[tuple[int, int, int]]:
    """Tiles over Bashkortostan (54–59.5°E, 51.5–56.5°N) at one zoom."""
    import math

    def tile(lon: float, lat: float) -> tuple[int, int, int]:
        n = 2**zoom
        x = int((lon + 180) / 360 * n)
        y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
        return zoom, x, y

    return [tile(rng.uniform(54.0, 59.5), rng.uniform(51.5, 56.5)) for _ in range(count)]


def tiles(ctx: Context) -> list[Figure]:
    from registry.selectors.tiles import community_tile

    size = ctx.scaled(1_000_000)
    ctx.use(size)
    rng = random.Random(ctx.seed)
    client = Client()
    figures = []
    samples = 10 if ctx.quick else 60
    for zoom in (6, 8, 10, 12, 14):
        wanted = _tiles_around(zoom, samples, rng)
        served: list[float] = []
        floor: list[float] = []
        for number, (z, x, y) in enumerate(wanted):

            def serve(z: int = z, x: int = x, y: int = y) -> None:
                _get(client, f"/tiles/communities/{z}/{x}/{y}.mvt")

            def query(z: int = z, x: int = x, y: int = y) -> None:
                community_tile(z=z, x=x, y=y)

            # each tile is read twice: who reads it first finds its pages colder, so take turns
            pairs = [(serve, served), (query, floor)]
            for call, times in pairs if number % 2 == 0 else pairs[::-1]:
                started = time.perf_counter()
                call()
                times.append(time.perf_counter() - started)
        p95 = percentile(served, 0.95)
        subject = Stats(percentile(served, 0.5), p95, max(served), len(served))
        baseline = Stats(percentile(floor, 0.5), percentile(floor, 0.95), max(floor), len(floor))
        figures.append(
            Figure("4 tiles", f"z{zoom}, {samples} tiles over {size:,}", size, "GET /tiles/communities/…",
                   "the tile's SQL alone (ST_AsMVT)", subject, baseline,
                   "p95 ≤ 50 ms" if zoom >= 10 else "", (p95 <= 0.05) if zoom >= 10 else None,
                   note="min/median/max columns read p50 / p95 / max here")
        )  # fmt: skip
    return figures


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def _server(database: str) -> Iterator[str]:
    """gunicorn serving the bench database on 127.0.0.1; stopped however the block ends."""
    port = _free_port()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.bench", "KARTA_BENCH_DB": database}
    process = subprocess.Popen(  # noqa: S603 -- our own virtualenv's gunicorn, fixed arguments
        [str(VENV_BIN / "gunicorn"), "config.wsgi", "-w", "2", "--threads", "4", "-b", f"127.0.0.1:{port}",
         "--log-level", "warning"],
        env=env, cwd=settings.BASE_DIR,
    )  # fmt: skip
    with _serving(process, f"http://127.0.0.1:{port}", ready="/healthz") as url:
        yield url


def _locust(url: str, paths: list[str], *, users: int, seconds: int, seed: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as directory:
        prefix = Path(directory) / "run"
        env = {**os.environ, "BENCH_PATHS": "\n".join(paths), "BENCH_SEED": str(seed)}
        subprocess.run(  # noqa: S603 -- our own virtualenv's locust, fixed arguments
            [str(VENV_BIN / "locust"), "-f", str(Path(__file__).with_name("locustfile.py")), "--headless",
             "-u", str(users), "-r", str(max(1, users // 5)), "-t", f"{seconds}s", "--host", url,
             "--csv", str(prefix), "--only-summary", "--loglevel", "WARNING", "--exit-code-on-error", "0"],
            env=env, check=True, timeout=seconds + 60, capture_output=True,
        )  # fmt: skip
        with open(f"{prefix}_stats.csv", newline="") as handle:
            total = next(row for row in csv.DictReader(handle) if row["Name"] == "Aggregated")
        with open(f"{prefix}_failures.csv", newline="") as handle:
            failures = sorted(csv.DictReader(handle), key=lambda row: -int(row["Occurrences"]))
    if failures:  # what went wrong, for the table: the commonest error and where
        print(
            f"bench: load errors, commonest: {failures[0]['Occurrences']}× {failures[0]['Name']}: {failures[0]['Error'][:200]}"
        )
    return {
        "requests": float(total["Request Count"]),
        "failures": float(total["Failure Count"]),
        "rps": float(total["Requests/s"]),
        "p95_ms": float(total["95%"]),
    }


def load(ctx: Context) -> list[Figure]:
    from bench.datasets import base_name

    size = ctx.scaled(100_000)
    ctx.use(size)
    slugs = list(
        Municipality.objects.filter(oktmo__in=["80628000", "80701000", "80745000"]).values_list(
            "slug", flat=True
        )
    )
    paths = ["3 /", *(f"2 /m/{slug}/" for slug in slugs)]
    if _route_exists("/api/v1/communities/"):
        paths.append("4 /api/v1/communities/?in_bbox={bbox}")
    if _route_exists("/tiles/communities/10/0/0.mvt"):  # exists since the tiles landed
        paths.append("4 /tiles/communities/{tile}.mvt")
    users, seconds = (5, 5) if ctx.quick else (50, 60)
    connections.close_all()
    with _server(f"{base_name()}_{size}") as url:
        mix = _locust(url, paths, users=users, seconds=seconds, seed=ctx.seed)
        floor = _locust(url, ["1 /healthz"], users=users, seconds=max(3, seconds // 3), seed=ctx.seed)
    ratio = floor["rps"] / mix["rps"] if mix["rps"] else None
    # A news-day crowd (issue #19): at least half the rate of the cheapest request, p95 ≤ 300 ms, no error.
    passed = mix["failures"] == 0 and mix["p95_ms"] <= 300 and mix["rps"] >= 0.5 * floor["rps"]
    return [
        Figure("8 load", f"{users} users, {seconds} s, {size:,} communities", size,
               "locust mix: " + ", ".join(path.split(" ", 1)[1] for path in paths), "GET /healthz under the same load",
               target="≥ 0.5× healthz rps (ratio ≤ 2), p95 ≤ 300 ms, 0 errors", passed=passed, fixed_ratio=ratio,
               extra={"rps": round(mix["rps"], 1), "p95_ms": mix["p95_ms"], "errors": int(mix["failures"]),
                      "requests": int(mix["requests"]), "healthz_rps": round(floor["rps"], 1)},
               note="ratio: healthz requests/s over the mix's")
    ]  # fmt: skip


from bench.lighthouse import lighthouse  # noqa: E402 -- it reuses this module's server

SCENARIOS: dict[str, Callable[[Context], list[Figure]]] = {
    "list": list_bbox,
    "municipalities": municipalities,
    "hostile_area": hostile_area,
    "download": download,
    "exports": exports,
    "tiles": tiles,
    "map": municipality_map,
    "region": region_map,
    "import": fair_import,
    "locate": locate,
    "load": load,
    "lighthouse": lighthouse,
}


def results_json(figures: list[Figure]) -> str:
    return json.dumps([figure.as_dict() for figure in figures], ensure_ascii=False, indent=2)
