"""The benchmark scenarios: each measures the project's path and its baselines in the same run.

A scenario returns Figures (bench/figures.py). A path that does not exist yet is reported as "not
measured" with the reason, never skipped silently. One module per scenario family; this registry
names them and sets the order they run in."""

from __future__ import annotations

from collections.abc import Callable

from bench.figures import Context, Figure
from bench.lighthouse import lighthouse
from bench.scenarios.downloads import download, exports
from bench.scenarios.fair_import import fair_import
from bench.scenarios.hostile_area import hostile_area
from bench.scenarios.listing import list_bbox
from bench.scenarios.load import load
from bench.scenarios.locate import locate
from bench.scenarios.maps import municipality_map, region_map
from bench.scenarios.municipalities import municipalities
from bench.scenarios.tiles import tiles

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
