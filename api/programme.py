"""GET /api/v1/programme/progress/: the current programme against its targets. Everyone gets the
totals and indicators; coordinators and team members also get the row of every municipality."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.schema import ANY_OBJECT, NOT_FOUND
from fairs.selectors.fairs import fair_counts
from registry.selectors.programme import (
    Measure,
    programme_current,
    programme_progress,
    programme_progress_visible,
)

MEASURES = ("communities", "leaders", "fairs", "fair_participants")


def _measure(measure: Measure) -> dict[str, Any]:
    return {
        "value": measure.value,
        "target": measure.target,
        "percent": measure.percent,
        "reached": measure.is_reached,
    }


class ProgrammeProgressApi(APIView):
    @extend_schema(operation_id="programme_progress", responses={200: ANY_OBJECT, 404: NOT_FOUND})
    def get(self, request: Request) -> Response:
        programme = programme_current()
        if programme is None:
            raise Http404
        progress = programme_progress(programme=programme, fair_counts=fair_counts(programme=programme))
        body: dict[str, Any] = {
            "programme": {
                "name": programme.name,
                "region": programme.region.iso_code,
                "starts_on": programme.starts_on,
                "ends_on": programme.ends_on,
            },
            "totals": {
                **{name: _measure(getattr(progress, name)) for name in MEASURES},
                "municipalities_with_map": _measure(progress.municipalities_with_map),
            },
            "indicators": [
                {"name": item.name, "unit": item.unit, "before": item.before, "after": item.after}
                for item in progress.indicators
            ],
        }
        if programme_progress_visible(user=request.user):
            body["municipalities"] = [
                {
                    "oktmo": row.municipality.oktmo,
                    "name": row.municipality.name,
                    **{name: _measure(getattr(row, name)) for name in MEASURES},
                    "has_map": row.has_map,
                }
                for row in progress.rows
            ]
        return Response(body)
