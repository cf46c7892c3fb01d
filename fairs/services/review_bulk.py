"""Fair writes: the review queue decided many rows at a time — merge every row whose best candidate
scores at least a threshold, create as new every row with no candidate above another — each through
the single-row decision (signup_merge, signup_create_new), all of one action in one transaction, so
the batch writes exactly what the reviewer clicking row by row would."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import QuerySet

from fairs.models import Fair, Signup
from fairs.services.review import signup_create_new, signup_merge
from geo.models import LocationPrecision
from registry.models import Community
from registry.selectors.communities import community_editable_list


def _best_score(signup: Signup) -> float:
    return max((float(item["score"]) for item in signup.candidates), default=0.0)


def _queue(fair: Fair) -> QuerySet[Signup]:
    return fair.signups.filter(status=Signup.Status.NEEDS_REVIEW).order_by("row_number", "id")


def review_merge_suggested_list(
    *, user: User, fair: Fair, min_score: float
) -> list[tuple[Signup, Community]]:
    """The rows whose best candidate (one the user may edit) scores `min_score` or more, with it."""
    rows = [signup for signup in _queue(fair) if signup.candidates and _best_score(signup) >= min_score]
    best_ids = {max(signup.candidates, key=lambda item: item["score"])["community"] for signup in rows}
    communities = (
        community_editable_list(user=user).exclude(status=Community.Status.REJECTED).in_bulk(best_ids)
    )
    pairs = []
    for signup in rows:
        best = communities.get(max(signup.candidates, key=lambda item: item["score"])["community"])
        if best is not None:
            pairs.append((signup, best))
    return pairs


def review_new_suggested_list(*, fair: Fair, below_score: float) -> list[Signup]:
    """The rows no candidate reaches `below_score` for, placed in the fair's district (a village
    found elsewhere or an ambiguous place still waits for a person to choose)."""
    return [
        signup
        for signup in _queue(fair).filter(municipality=fair.municipality)
        if _best_score(signup) < below_score
        and signup.location is not None
        and not (signup.place_text and signup.location_precision == LocationPrecision.MUNICIPALITY)
    ]


@transaction.atomic
def signup_merge_suggested(*, user: User, fair: Fair, min_score: float) -> list[Signup]:
    """Merge every row whose best candidate scores `min_score` or more into that candidate."""
    return [
        signup_merge(user=user, signup=signup, community=community)
        for signup, community in review_merge_suggested_list(user=user, fair=fair, min_score=min_score)
    ]


@transaction.atomic
def signup_create_new_suggested(*, user: User, fair: Fair, below_score: float) -> list[Signup]:
    """Create as new every row no candidate reaches `below_score` for."""
    return [
        signup_create_new(user=user, signup=signup)
        for signup in review_new_suggested_list(fair=fair, below_score=below_score)
    ]
