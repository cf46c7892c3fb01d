"""Scenario 9, Lighthouse (mobile): /, a large and a small municipality, a community page and
/propose/ under gunicorn with MAP_TILE_URL empty (the fallback base map is what is measured) and
the static files compressed and cached as in production.

Run by `make bench` only (not CI): Node from Debian's packages and npm's `lighthouse` pinned in
package.json (installed by the bench target), Debian's chromium. Targets (issue #19): performance
≥ 95, accessibility 100, best practices ≥ 95, SEO ≥ 95."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import connections
from django.db.models import Count, Q

from bench.figures import Context, Figure
from bench.serving import VENV_BIN, server, server_env
from geo.models import Municipality
from registry.models import Community
from registry.publication import public_q

LIGHTHOUSE = Path(settings.BASE_DIR) / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = os.environ.get("KARTA_CHROMIUM", "/usr/bin/chromium")
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
TARGETS = {"performance": 95, "accessibility": 100, "best-practices": 95, "seo": 95}


STATIC_ROOT = Path(settings.BASE_DIR) / "var" / "bench-static"


@contextmanager
def _server(database: str) -> Iterator[str]:
    """gunicorn on the bench database without a tile server, as the fallback base map draws, with
    the static files collected and compressed as production serves them (config/settings/bench.py)."""
    extra = {"KARTA_BENCH_STATIC_ROOT": str(STATIC_ROOT), "MAP_TILE_URL": ""}
    subprocess.run(  # noqa: S603 -- our own virtualenv's manage.py, fixed arguments
        [str(VENV_BIN / "python"), "manage.py", "collectstatic", "--noinput", "-v", "0"],
        env=server_env(database, **extra), cwd=settings.BASE_DIR, check=True, timeout=600,
    )  # fmt: skip
    with server(database, **extra) as url:
        yield url


def _pages() -> list[tuple[str, str]]:
    """(label, path): the largest and the smallest municipality that have published communities."""
    published = Q(communities__in=Community.objects.filter(public_q()))
    ranked = list(
        Municipality.objects.annotate(count=Count("communities", filter=published))
        .filter(count__gt=0)
        .order_by("-count", "name")
        .values_list("slug", "count")
    )
    community = Community.objects.filter(public_q()).order_by("id").first()
    pages = [("home", "/")]
    if ranked:
        pages.append((f"large municipality ({ranked[0][1]:,})", f"/m/{ranked[0][0]}/"))
        pages.append((f"small municipality ({ranked[-1][1]:,})", f"/m/{ranked[-1][0]}/"))
    if community is not None:
        pages.append(("community", community.get_absolute_url()))
    pages.append(("proposal form", "/propose/"))
    return pages


class AuditFailed(Exception):
    pass


def _audit(url: str, *, attempts: int = 2) -> dict[str, int]:
    """The page's scores; a run that fails (chromium not starting in time on a busy machine) is tried
    again once, then reported with what Lighthouse said."""
    for attempt in range(1, attempts + 1):
        completed = subprocess.run(  # noqa: S603 -- the pinned npm lighthouse, fixed arguments
            [str(LIGHTHOUSE), url, "--output=json", "--output-path=stdout", "--quiet",
             f"--only-categories={','.join(CATEGORIES)}", "--chrome-flags=--headless=new --no-sandbox"],
            env={**os.environ, "CHROME_PATH": CHROMIUM}, check=False, capture_output=True, timeout=300,
        )  # fmt: skip
        if completed.returncode == 0:
            report = json.loads(completed.stdout)
            return {name: round(100 * (report["categories"][name]["score"] or 0)) for name in CATEGORIES}
        said = completed.stderr.decode(errors="replace").strip().splitlines()[-3:]
        print(f"bench: lighthouse failed on {url} (attempt {attempt}): {' / '.join(said)}")
    raise AuditFailed(" / ".join(said))


def lighthouse(ctx: Context) -> list[Figure]:
    from bench.datasets import base_name

    if ctx.quick:  # bench-quick runs in CI, which has neither Node nor the time for Lighthouse
        return []
    if not LIGHTHOUSE.exists() or not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
        print(
            "bench: lighthouse skipped (npm install and Debian's chromium are needed: make bench installs them)"
        )
        return []
    size = ctx.scaled(100_000)
    ctx.use(size)
    pages = _pages()
    connections.close_all()
    figures = []
    target = ", ".join(f"{name} ≥ {score}" for name, score in TARGETS.items())
    with _server(f"{base_name()}_{size}") as url:
        # warm the server, its caches and chromium once; the pages' own audits say if it keeps failing
        with contextlib.suppress(AuditFailed):
            _audit(url + "/")
        for label, path in pages:
            try:
                scores = _audit(url + path)
            except AuditFailed as failure:
                figures.append(
                    Figure("9 lighthouse", f"{label}: {path}", size, "Lighthouse 12.2.3, mobile, no tiles", "",
                           target=target, passed=None, note=f"Lighthouse failed: {failure}"[:200])
                )  # fmt: skip
                continue
            passed = all(scores[name] >= score for name, score in TARGETS.items())
            figures.append(
                Figure("9 lighthouse", f"{label}: {path}", size, "Lighthouse 12.2.3, mobile, no tiles", "",
                       target=target, passed=passed, extra=scores)
            )  # fmt: skip
    return figures
