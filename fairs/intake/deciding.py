"""The decide stage: what happens to a valid row — matched to one community, a new community, or
a person's decision (a doubtful match, an unclear consent, an ambiguous place, a place outside the
fair's district) — with the reasons and review codes the report gives."""

from __future__ import annotations

from django.utils.translation import gettext as _

from fairs.intake.row import PipelineRow
from fairs.models import Signup
from fairs.selectors.candidates import RegistryCandidate
from geo.models import Municipality
from registry.lemmas import inflect_locative

MATCH_MARGIN = 0.1  # how far the best candidate must lead the next one to be merged alone


def _clearly_best(
    confident: list[RegistryCandidate], uncertain: list[RegistryCandidate]
) -> RegistryCandidate | None:
    """The one candidate that is clearly this community: confident (same place or a shared contact),
    and well ahead of every other one; an unrelated namesake at 0.80 does not make a 1.00 doubtful,
    a second candidate sharing the row's phone or e-mail does."""
    if not confident:
        return None
    ranked = sorted(confident, key=lambda item: (-item.contact_match, -item.score))
    best, others = ranked[0], ranked[1:] + uncertain
    if any(other.contact_match for other in others if other is not best):
        return None
    if any(best.score - other.score < MATCH_MARGIN for other in others):
        return None
    return best


def decide(
    row: PipelineRow,
    confident: list[RegistryCandidate],
    uncertain: list[RegistryCandidate],
    *,
    fair_municipality: Municipality,
) -> None:
    """Sets the row's status (and community, when matched) from its candidates."""
    signup = row.signup
    assert signup.municipality is not None  # noqa: S101 -- set by the normalise stage for every valid row
    if row.asks:
        signup.status = Signup.Status.NEEDS_REVIEW
        row.review_codes.append("consent_unclear")
        row.warnings.extend(row.asks)
    if signup.status == Signup.Status.NEEDS_REVIEW:  # an ambiguous place: a person decides anyway
        return
    best = _clearly_best(confident, uncertain)
    if best is not None:
        signup.status = Signup.Status.MATCHED
        signup.community = best.community
        row.reasons.append(
            _("Совпадает с «{}» ({:.2f}){}").format(
                best.community.name,
                best.score,
                _(", тот же телефон или почта") if best.contact_match else _(", то же место"),
            )
        )
    elif confident or uncertain:
        signup.status = Signup.Status.NEEDS_REVIEW
        row.review_codes.append("match_uncertain")
        ranked = sorted(confident + uncertain, key=lambda item: -item.score)
        row.reasons.append(
            _("Похоже на: {} — решит проверяющий").format(
                "; ".join(f"«{item.community.name}» ({item.score:.2f})" for item in ranked[:3])
            )
        )
    elif signup.municipality_id != fair_municipality.pk:
        # never created outside the fair's district without a person deciding
        signup.status = Signup.Status.NEEDS_REVIEW
        row.review_codes.append("place_other_district")
        row.warnings.append(
            _("{} найдено в {}, а ярмарка — в {}: выберите верный населённый пункт или создайте там").format(
                signup.place_text or _("Место"),
                inflect_locative(signup.municipality.name),
                inflect_locative(fair_municipality.name),
            )
        )
    else:
        signup.status = Signup.Status.NEW
