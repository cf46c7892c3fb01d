"""The locate stage: a row's place text looked up in the gazetteer, in its municipality first; the
row gets its settlement, point and precision, or a warning, a review code or an error naming it."""

from __future__ import annotations

from django.contrib.gis.geos import Point
from django.utils.translation import gettext as _

from fairs.intake.row import PipelineRow
from fairs.models import Signup
from geo.errors import ErrorItem
from geo.models import LocationPrecision, Municipality
from geo.place_lookup import PlaceMatch, place_locate
from geo.selectors import municipality_point
from registry.matching import name_fold, name_without_settlement


class RowLocator:
    """Places the rows of one file. A sheet names the same few villages again and again: each is
    looked up once per file."""

    def __init__(self, *, municipality: Municipality) -> None:
        self.municipality = municipality  # the fair's
        self._places: dict[tuple[str, int | None], PlaceMatch] = {}
        self._centres: dict[int, Point | None] = {}
        # a name and its village → (the name compared, its core): rows repeat both
        self._apart: dict[tuple[str, str], tuple[str, str]] = {}

    def _place(self, text: str, municipality: Municipality | None) -> PlaceMatch:
        key = (text, municipality.pk if municipality is not None else None)
        if key not in self._places:
            self._places[key] = place_locate(text, municipality=municipality)
        return self._places[key]

    def _centre(self, municipality: Municipality) -> Point | None:
        if municipality.pk not in self._centres:
            self._centres[municipality.pk] = municipality_point(municipality=municipality)
        return self._centres[municipality.pk]

    def locate(self, row: PipelineRow) -> None:
        """Where the row's community is; then the name it is compared by, its village's name aside."""
        signup = row.signup
        assert signup.municipality is not None  # noqa: S101 -- set by the normalise stage
        self._locate(row, signup.municipality, has_municipality_column=bool(row.values.get("municipality")))
        if signup.name and signup.settlement is not None:
            key = (signup.name, signup.settlement.name)
            apart = self._apart.get(key)
            if apart is None:
                match_name = name_without_settlement(signup.name, signup.settlement.name)
                apart = self._apart[key] = (match_name, name_fold(match_name)[0])
            row.match_name, signup.name_core = apart

    def _locate(self, row: PipelineRow, municipality: Municipality, *, has_municipality_column: bool) -> None:
        signup, place = row.signup, row.values.get("place", "")
        signup.place_text = place[:500]
        if not place:
            signup.location = self._centre(municipality)
            signup.location_precision = LocationPrecision.MUNICIPALITY
            row.warnings.append(
                _("Место не указано: сообщество отмечено по центру муниципалитета «{}»").format(
                    municipality.name
                )
            )
            return
        match = self._place(place, municipality)
        if match.status == "not_found" and not has_municipality_column and municipality == self.municipality:
            republic_wide = self._place(place, None)  # the fair's district may not be the community's
            if republic_wide.status != "not_found":
                match = republic_wide
        if match.status == "found" and match.point is not None:
            signup.settlement = match.settlement
            signup.location = match.point
            signup.location_precision = str(match.precision)
            if match.municipality is not None and match.municipality.level == Municipality.Level.TOP:
                signup.municipality = match.municipality
        elif match.status == "ambiguous":
            names = "; ".join(
                f"{item} ({item.rural_municipality or item.municipality})" for item in match.candidates[:10]
            )
            row.warnings.append(_("Место «{}» неоднозначно: {}").format(place[:80], names))
            signup.location = self._centre(municipality)
            signup.location_precision = LocationPrecision.MUNICIPALITY
            row.signup.status = Signup.Status.NEEDS_REVIEW
            row.review_codes.append("place_ambiguous")
        elif has_municipality_column:
            signup.location = self._centre(municipality)
            signup.location_precision = LocationPrecision.MUNICIPALITY
            row.warnings.append(
                _("Место «{}» не найдено: сообщество отмечено по центру муниципалитета").format(place[:80])
            )
        else:
            hint = "; ".join(match.suggestions) or "—"
            row.errors.append(
                ErrorItem(
                    "settlement",
                    _(
                        "Строка {}, столбец «Населённый пункт»: место «{}» не найдено в справочнике. Похожие: {}"
                    ).format(row.number, place[:80], hint),
                    "place_not_found",
                )
            )
