"""The match stage against the registry: a valid row's candidates, sorted into the confident (the
same place, or a shared phone or e-mail) and the uncertain (a similar name worth a person's look);
the rest (the same name in another village) left out."""

from __future__ import annotations

from django.conf import settings

from fairs.intake.row import PipelineRow
from fairs.selectors.candidates import CandidateFinder, RegistryCandidate
from geo.models import LocationPrecision


class RowMatcher:
    """Matches the rows of one file; the communities the file creates join its candidates (add)."""

    def __init__(self, *, candidates: CandidateFinder) -> None:
        self.candidates = candidates

    def match(self, row: PipelineRow) -> tuple[list[RegistryCandidate], list[RegistryCandidate]]:
        """The row's candidates, confident and uncertain; row.candidates holds both, in that order."""
        signup = row.signup
        assert signup.municipality is not None  # noqa: S101 -- set by the normalise stage for every valid row
        candidates = self.candidates.find(
            name=row.match_name or signup.name,
            name_core=signup.name_core,
            municipality=signup.municipality,
            settlement=signup.settlement,
            location=signup.location,
            phone=signup.phone,
            email=signup.email,
            # a row that names no place may be a community of another municipality: look everywhere,
            # and let a person decide (a candidate of another municipality is never merged by itself)
            anywhere=not signup.place_text,
        )
        confident: list[RegistryCandidate] = []
        uncertain: list[RegistryCandidate] = []
        precise = signup.location_precision in {LocationPrecision.EXACT, LocationPrecision.SETTLEMENT}
        for candidate in candidates:
            community = candidate.community
            same_settlement = (
                signup.settlement_id is not None and community.settlement_id == signup.settlement_id
            )
            near = (  # a distance says something only when both places are a village's point or better
                candidate.distance_m is not None
                and candidate.distance_m <= settings.REGISTRY_DUPLICATE_RADIUS_M
                and community.location_precision != LocationPrecision.MUNICIPALITY
            )
            other_settlement = (
                signup.settlement_id is not None
                and community.settlement_id is not None
                and community.settlement_id != signup.settlement_id
            )
            located_elsewhere = other_settlement or (
                precise
                and community.location_precision != LocationPrecision.MUNICIPALITY
                and not same_settlement
                and not near
            )
            same_unlocated = (  # the same name, both placed only by their municipality, no village apart
                candidate.score >= 0.99
                and not precise
                and not other_settlement
                and community.location_precision == LocationPrecision.MUNICIPALITY
                and community.municipality_id == signup.municipality_id
            )
            confirmed_by_contact = candidate.contact_match and candidate.score >= settings.FAIRS_MATCH_REVIEW
            same_place = candidate.score >= settings.FAIRS_MATCH_AUTO and (
                same_settlement or (near and precise)
            )
            if confirmed_by_contact or same_place or same_unlocated:
                confident.append(candidate)
            elif located_elsewhere and not candidate.contact_match:
                continue  # same name, another village: another community
            elif candidate.score >= settings.FAIRS_MATCH_REVIEW or candidate.contact_match:
                uncertain.append(candidate)
        row.candidates = confident + uncertain
        return confident, uncertain
