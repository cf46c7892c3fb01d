"""Synthetic registries for the benchmark, one database per size, generated inside PostgreSQL.

A template database holds the schema, the real geodata and the programme; each size is a copy of it
(CREATE DATABASE … TEMPLATE) plus N generated communities. Points come from ST_GeneratePoints inside
the real municipal boundaries, with more communities where the gazetteer has more settlements; names,
spheres and statuses come from a seeded random generator and reach the table by COPY. A database whose
fingerprint (generator version, migrations, geodata, size, seed) matches is reused as it is."""

from __future__ import annotations

import hashlib
import io
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import psycopg2
from django.conf import settings
from django.core.management import call_command
from django.db import connection, connections
from django.utils import timezone

from geo.services import geodata_digest
from registry.matching import name_core
from registry.services.demo_texts import HOBBIES, NAMES, STREETS

GENERATOR_VERSION = "3"  # 3: leaders with consents, fairs with presented communities
BASE_DIR = Path(settings.BASE_DIR)
STATUS_WEIGHTS = {"verified": 90, "proposed": 6, "archived": 2, "rejected": 2}
COPY_CHUNK = 50_000


@dataclass(frozen=True)
class Dataset:
    size: int
    database: str
    communities: int
    generated: bool  # False when a cached database was reused


def _admin_connection() -> Any:
    params = connections["default"].get_connection_params()
    params["database"] = "postgres"
    params.pop("dbname", None)
    conn = psycopg2.connect(**params)
    conn.autocommit = True
    return conn


def _database_exists(name: str) -> bool:
    with _admin_connection() as conn, conn.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        return cursor.fetchone() is not None


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _drop_and_create(name: str, *, template: str | None = None) -> None:
    connections.close_all()
    conn = _admin_connection()
    try:
        with conn.cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {_quote(name)} WITH (FORCE)")
            suffix = f" TEMPLATE {_quote(template)}" if template else ""
            cursor.execute(f"CREATE DATABASE {_quote(name)}{suffix}")
    finally:
        conn.close()


def use_database(name: str) -> None:
    """Point Django's default connection at another database of the same server."""
    connections.close_all()
    connections["default"].settings_dict["NAME"] = name


def _fingerprint(*parts: object) -> str:
    migrations = sorted(str(path.relative_to(BASE_DIR)) for path in BASE_DIR.glob("*/migrations/0*.py"))
    text = "|".join([GENERATOR_VERSION, geodata_digest(), *migrations, *map(str, parts)])
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _stored_fingerprint(name: str) -> str | None:
    if not _database_exists(name):
        return None
    use_database(name)
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('bench_meta') IS NOT NULL")
        if not cursor.fetchone()[0]:
            return None
        cursor.execute("SELECT value FROM bench_meta WHERE key = 'fingerprint'")
        row = cursor.fetchone()
    return row[0] if row else None


def _store_fingerprint(value: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE IF NOT EXISTS bench_meta (key text PRIMARY KEY, value text NOT NULL)")
        cursor.execute(
            "INSERT INTO bench_meta VALUES ('fingerprint', %s) ON CONFLICT (key) DO UPDATE SET value = %s",
            [value, value],
        )


# Captured once: use_database() rewrites the connection's settings, which are the same dict.
_BASE_NAME = str(settings.DATABASES["default"]["NAME"])


def base_name() -> str:
    return _BASE_NAME


def template_ensure(log: Any = print) -> str:
    """The template database: schema, real geodata, programme. Rebuilt when any of them changed."""
    name = f"{base_name()}_tpl"
    fingerprint = _fingerprint("template")
    if _stored_fingerprint(name) == fingerprint:
        return name
    log(f"bench: building the template database {name} (migrations, real geodata, programme)")
    _drop_and_create(name)
    use_database(name)
    quiet = io.StringIO()
    with connection.cursor() as cursor:
        cursor.execute("CREATE EXTENSION IF NOT EXISTS postgis")
        cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    call_command("migrate", verbosity=0, interactive=False, stdout=quiet)
    call_command("createcachetable", verbosity=0, stdout=quiet)
    call_command("load_geodata", verbosity=0, stdout=quiet)
    call_command("seed_programme", verbosity=0, stdout=quiet)
    _store_fingerprint(fingerprint)
    connections.close_all()
    return name


def _names(rng: random.Random, sphere_codes: list[str]) -> Iterator[tuple[str, str]]:
    """(sphere code, community name) pairs, endlessly."""
    while True:
        code = rng.choice(sphere_codes)
        templates, names = NAMES.get(code, NAMES["interest"])
        name = rng.choice(templates).format(
            name=rng.choice(names),
            street=rng.choice(STREETS),
            hobby=rng.choice(HOBBIES),
            place=rng.choice(("села", "деревни", "посёлка", "микрорайона")),
        )
        yield code, name


def _attribute_rows(count: int, seed: int, spheres: dict[str, int]) -> Iterator[str]:
    """Tab-separated COPY lines: n, name, name_normalized, sphere_id, status, members, year, until."""
    rng = random.Random(seed)
    statuses = list(STATUS_WEIGHTS)
    weights = list(STATUS_WEIGHTS.values())
    names = _names(rng, sorted(spheres))
    cores: dict[str, str] = {}
    today = timezone.localdate()
    for n in range(1, count + 1):
        code, name = next(names)
        core = cores.get(name)
        if core is None:
            core = cores[name] = name_core(name)
        status = rng.choices(statuses, weights)[0]
        until = (today + timedelta(days=rng.randint(30, 365))).isoformat() if status == "verified" else r"\N"
        members = rng.randint(3, 400)
        year = rng.randint(1991, today.year)
        yield f"{n}\t{name}\t{core}\t{spheres[code]}\t{status}\t{members}\t{year}\t{until}\n"


def _copy_attributes(cursor: Any, count: int, seed: int, spheres: dict[str, int]) -> None:
    rows = _attribute_rows(count, seed, spheres)
    while True:
        chunk = io.StringIO()
        written = 0
        for line in rows:
            chunk.write(line)
            written += 1
            if written == COPY_CHUNK:
                break
        if not written:
            return
        chunk.seek(0)
        cursor.copy_expert(
            "COPY bench_attributes (n, name, name_normalized, sphere_id, status, members_count,"
            " founded_year, verified_until) FROM STDIN",
            chunk,
        )
        if written < COPY_CHUNK:
            return


GENERATE_POINTS = """
CREATE TEMP TABLE bench_points AS
WITH weights AS (
    SELECT m.id, m.boundary_simplified AS geom,
           (SELECT count(*) FROM geo_settlement s WHERE s.municipality_id = m.id) + 3 AS weight
    FROM geo_municipality m
    WHERE m.level = 1 AND m.boundary_simplified IS NOT NULL
), shares AS (
    SELECT id, geom, %(count)s::numeric * weight / sum(weight) OVER () AS share FROM weights
), quotas AS (  -- largest remainders: the quotas add up to exactly the requested count
    SELECT id, geom, floor(share)::int
           + CASE WHEN row_number() OVER (ORDER BY share - floor(share) DESC, id)
                       <= %(count)s - sum(floor(share)) OVER () THEN 1 ELSE 0 END AS quota
    FROM shares
)
SELECT row_number() OVER (ORDER BY q.id, d.path) AS n, q.id AS municipality_id, d.geom AS location
FROM quotas q, LATERAL ST_Dump(ST_GeneratePoints(q.geom, q.quota, %(seed)s)) AS d
WHERE q.quota > 0
"""

INSERT_COMMUNITIES = """
INSERT INTO registry_community (
    name, name_normalized, slug, description, form, inn, ogrn, location, location_precision,
    hide_exact_location, address, members_count, founded_year, activities, links, contact,
    is_contact_public, internal_notes, status, rejection_reason, archive_reason, verified_until, source,
    created_at, updated_at, is_demo, municipality_id, sphere_id)
SELECT a.name, a.name_normalized, 'bench-' || a.n, '', 'informal', '', '', p.location, 'exact',
       false, '', a.members_count, a.founded_year, '', '{}', '', false, '', a.status,
       CASE WHEN a.status = 'rejected' THEN 'bench' ELSE '' END, '', a.verified_until, 'team',
       now() - (a.n % 1000) * interval '1 hour', now() - (a.n % 1000) * interval '1 hour', true,
       p.municipality_id, a.sphere_id
FROM bench_points p JOIN bench_attributes a USING (n)
ORDER BY p.n
"""


# A leader for every third community (a phone derived from the community's id, so the two can be
# joined without a round trip), a store-contacts consent collected on paper at a fair, and a held
# fair in every district with communities, the first twenty of which presented themselves there.
INSERT_PEOPLE_AND_FAIRS = """
INSERT INTO registry_leader (full_name, name_normalized, display_name, bio, roles, phone, email, created_at,
                             is_demo, municipality_id)
SELECT (ARRAY['Иванова Анна', 'Сафин Марат', 'Кузнецов Игорь', 'Хабибуллина Лилия', 'Морозова Елена',
              'Гарифуллин Айдар', 'Волкова Светлана', 'Шарипов Рустам'])[1 + c.id % 8] || ' ' || c.id,
       '', '', '', '{}', '+7917' || lpad(c.id::text, 7, '0'), '', now(), true, c.municipality_id
FROM registry_community c WHERE c.id % 3 = 0;

INSERT INTO registry_leadership (role, community_id, leader_id)
SELECT 'coordinator', c.id, l.id
FROM registry_community c JOIN registry_leader l ON l.phone = '+7917' || lpad(c.id::text, 7, '0');

INSERT INTO registry_consent (scope, purpose, method, collected_at, source, leader_id)
SELECT 'store_contacts', 'Связь команды программы с лидером сообщества', 'paper_fair', now(), 'bench', id
FROM registry_leader;

INSERT INTO fairs_fair (title, date, venue_name, venue_point, visitor_count, status, created_at, municipality_id,
                        is_demo)
SELECT 'Ярмарка сообществ: ' || m.name, DATE '2026-05-15' + (m.id % 60)::int, 'Дом культуры',
       ST_PointOnSurface(m.boundary_simplified), 80 + m.id % 150, 'held', now(), m.id, true
FROM geo_municipality m
WHERE m.level = 1 AND EXISTS (SELECT 1 FROM registry_community c WHERE c.municipality_id = m.id);

INSERT INTO fairs_fair_presented_communities (fair_id, community_id)
SELECT f.id, c.id FROM fairs_fair f
CROSS JOIN LATERAL (
    SELECT id FROM registry_community WHERE municipality_id = f.municipality_id AND status = 'verified'
    ORDER BY id LIMIT 20
) c;
"""


def dataset_ensure(size: int, *, seed: int, log: Any = print) -> Dataset:
    template = template_ensure(log)
    name = f"{base_name()}_{size}"
    fingerprint = _fingerprint("dataset", size, seed)
    if _stored_fingerprint(name) == fingerprint:
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM registry_community")
            (count,) = cursor.fetchone()
        return Dataset(size, name, count, generated=False)
    log(f"bench: generating {size:,} communities into {name}")
    _drop_and_create(name, template=template)
    use_database(name)
    with connection.cursor() as cursor:
        cursor.execute("SELECT code, id FROM registry_sphere")
        spheres = dict(cursor.fetchall())
        cursor.execute(GENERATE_POINTS, {"count": size, "seed": seed})
        cursor.execute(
            "CREATE TEMP TABLE bench_attributes (n bigint PRIMARY KEY, name text, name_normalized text,"
            " sphere_id bigint, status text, members_count int, founded_year int, verified_until date)"
        )
        _copy_attributes(cursor, size, seed, spheres)
        cursor.execute(INSERT_COMMUNITIES)
        cursor.execute(INSERT_PEOPLE_AND_FAIRS)
        cursor.execute("SELECT count(*) FROM registry_community")
        (count,) = cursor.fetchone()
        # Measured as a long-lived database is: hint bits set and the visibility map built (autovacuum
        # gets there later; until then index-only plans read the heap and the first reads write it).
        cursor.execute("VACUUM (ANALYZE)")
    _store_fingerprint(fingerprint)
    return Dataset(size, name, count, generated=True)
