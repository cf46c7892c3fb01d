"""The donor report as a PDF: the same figures rendered from HTML by WeasyPrint, A4 landscape, the
table headers repeated on every page, DejaVu fonts embedded (Cyrillic as typed), nothing fetched."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from fairs.cockpit_charts import BANDS, map_shapes
from fairs.reports.data import MEASURES, ReportData, measure_labels
from registry.selectors.cockpit import municipality_outlines


def _no_fetch(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    """The report is self-contained: any outside resource is refused."""
    raise ValueError(f"refused to fetch {url!r}")


def html_pdf(html: str) -> bytes:
    from weasyprint import HTML  # imported here: Pango loads only when a PDF is asked for

    return HTML(string=html, url_fetcher=_no_fetch).write_pdf()


def report_pdf(data: ReportData) -> bytes:
    labels = measure_labels()
    outlines = municipality_outlines(municipality_ids=[row.municipality.pk for row in data.progress.rows])
    html = render_to_string(
        "registry/reports/report_pdf.html",
        {
            "data": data,
            "programme": data.programme,
            "measures": [
                (labels[key], getattr(data.at_start, key), getattr(data.progress, key), data.change(key))
                for key in MEASURES
            ],
            "outlines": outlines,
            "shapes": map_shapes(progress=data.progress, outlines=outlines),
            "bands": BANDS,
            "title": _("Отчёт о ходе программы «{}»").format(data.programme.name),
        },
    )
    return html_pdf(html)
