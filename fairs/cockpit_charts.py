"""Drawing the dashboard's figures as inline SVG, on the server: the same drawing serves the page and
the PDF report, needs no script (the site's CSP allows none inline) and prints sharp."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from fairs.cockpit import MEASURES, MonthPoint
from registry.models import Programme
from registry.selectors.cockpit import Outlines
from registry.selectors.programme import ProgrammeProgress

# % of the communities target → fill; the last band is «reached».
BANDS = (
    (0, "#f2f4f7", _("0 %")),
    (1, "#fde2d2", _("1–24 %")),
    (25, "#fbb88a", _("25–49 %")),
    (50, "#a6d5a0", _("50–74 %")),
    (75, "#5fb15a", _("75–99 %")),
    (100, "#1e7b34", _("100 % и больше")),
)
MEASURE_LABELS = {
    "communities": _("Сообщества"),
    "leaders": _("Лидеры"),
    "fairs": _("Ярмарки"),
    "fair_participants": _("Участники ярмарок"),
}
MEASURE_COLOURS = {
    "communities": "#0b5cad",
    "leaders": "#6e40c9",
    "fairs": "#b54708",
    "fair_participants": "#067647",
}


def band_colour(percent: int | None) -> str:
    colour = BANDS[0][1]
    for floor, fill, _label in BANDS:
        if percent is not None and percent >= floor:
            colour = fill
    return colour


@dataclass(frozen=True)
class MapShape:
    name: str
    path: str
    fill: str
    percent: int | None
    anchor: str  # the dashboard row's id


def map_shapes(*, progress: ProgrammeProgress, outlines: Outlines) -> list[MapShape]:
    shapes = []
    for row in progress.rows:
        path = outlines.paths.get(row.municipality.pk)
        if path:
            shapes.append(
                MapShape(
                    name=row.municipality.name,
                    path=path,
                    fill=band_colour(row.communities.percent),
                    percent=row.communities.percent,
                    anchor=f"m-{row.municipality.pk}",
                )
            )
    return shapes


@dataclass(frozen=True)
class ChartLine:
    key: str
    label: str
    colour: str
    points: str  # SVG polyline points
    last_percent: int


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    top_percent: int
    lines: list[ChartLine]
    pace: str  # the expected pace as a polyline
    ticks: list[tuple[str, str]]  # x, month label (coordinates as text: no locale's decimal comma)
    grid: list[tuple[str, int]]  # y, percent


CHART_WIDTH, CHART_HEIGHT, MARGIN = 640, 260, 40


def progress_chart(*, programme: Programme, points: list[MonthPoint], progress: ProgrammeProgress) -> Chart:
    """Each target's cumulative value by month as % of the target, and the pace line: 0 % at the
    start to 100 % at the end of the period."""
    total_days = max((programme.ends_on - programme.starts_on).days, 1)
    plot_w, plot_h = CHART_WIDTH - 2 * MARGIN, CHART_HEIGHT - 2 * MARGIN

    def percent_of(key: str, value: int) -> float:
        target = getattr(progress, key).target
        return value * 100 / target if target else 0.0

    highest = max([100.0] + [percent_of(key, getattr(point, key)) for point in points for key in MEASURES])
    top = int(-(-highest // 25) * 25)  # up to the next 25 %

    def x(day_offset: int) -> float:
        return MARGIN + plot_w * day_offset / total_days

    def y(percent: float) -> float:
        return MARGIN + plot_h * (1 - percent / top)

    lines = []
    for key in MEASURES:
        coords = [(x(0), y(0))] + [
            (x((point.day - programme.starts_on).days), y(percent_of(key, getattr(point, key))))
            for point in points
        ]
        lines.append(
            ChartLine(
                key=key,
                label=str(MEASURE_LABELS[key]),
                colour=MEASURE_COLOURS[key],
                points=" ".join(f"{px:.1f},{py:.1f}" for px, py in coords),
                last_percent=int(percent_of(key, getattr(points[-1], key))) if points else 0,
            )
        )
    ticks = []
    for point in points:
        if point.day.month in (1, 4, 7, 10) or point is points[0]:
            ticks.append(
                (
                    f"{x(max((point.day.replace(day=1) - programme.starts_on).days, 0)):.1f}",
                    f"{point.day:%m.%Y}",
                )
            )
    return Chart(
        width=CHART_WIDTH,
        height=CHART_HEIGHT,
        top_percent=top,
        lines=lines,
        pace=f"{x(0):.1f},{y(0):.1f} {x(total_days):.1f},{y(100):.1f}",
        ticks=ticks,
        grid=[(f"{y(percent):.1f}", percent) for percent in range(0, top + 1, 25)],
    )
