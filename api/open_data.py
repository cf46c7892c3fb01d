"""The Open data page (/data/): every layer in every format, its attribute table, and how to connect
QGIS to the OGC API. Built from the same layer descriptions the exports and /ogc/ use."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from api.exports import layer_formats
from api.layers import SOURCES
from api.styles import FORMATS, STYLED_LAYERS

FORMAT_LABELS = {
    "gpkg": "GeoPackage",
    "shp.zip": "Shapefile (zip)",
    "geojson": "GeoJSON",
    "kml": "KML",
    "csv": "CSV",
    "xlsx": "XLSX",
    "fgb": "FlatGeobuf",
}


@require_safe
def open_data_page(request: HttpRequest) -> HttpResponse:
    layers = [
        {
            "name": name,
            "layer": source.layer,
            "downloads": [
                (FORMAT_LABELS[fmt], f"/api/v1/export/{name}.{fmt}") for fmt in layer_formats(source.layer)
            ],
            "styles": [(fmt.upper(), f"/data/styles/{name}.{fmt}") for fmt in FORMATS]
            if name in STYLED_LAYERS
            else [],
        }
        for name, source in SOURCES.items()
    ]
    return render(
        request,
        "api/open_data.html",
        {"layers": layers, "ogc_url": request.build_absolute_uri("/ogc/")},
    )
