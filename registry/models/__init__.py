"""The registry: communities, their leaders with consent, verification, municipal teams, the
programme with its targets, and cases. Fields, constraints and __str__ only; writes live in
registry/services/, reads in registry/selectors/.

One module per subject; every model is re-exported here, so `from registry.models import X` and
Django's model discovery (which imports this package) see them all."""

from registry.models.cases import Case
from registry.models.clusters import ClusterCell, ClusterState
from registry.models.communities import Community, CommunityFeature, DuplicateDismissal, Sphere
from registry.models.error_reports import ErrorReport
from registry.models.leaders import Consent, Leader, Leadership
from registry.models.privacy import PrivacyEvent, PrivacyRequest
from registry.models.programme import Indicator, IndicatorValue, MunicipalTarget, Programme
from registry.models.teams import TeamInvitation, TeamMembership
from registry.models.text_length import DESCRIPTION_MAX_LENGTH
from registry.models.verification import Evidence, Verification

__all__ = [
    "DESCRIPTION_MAX_LENGTH",
    "Case",
    "ClusterCell",
    "ClusterState",
    "Community",
    "CommunityFeature",
    "Consent",
    "DuplicateDismissal",
    "ErrorReport",
    "Evidence",
    "Indicator",
    "IndicatorValue",
    "Leader",
    "Leadership",
    "MunicipalTarget",
    "PrivacyEvent",
    "PrivacyRequest",
    "Programme",
    "Sphere",
    "TeamInvitation",
    "TeamMembership",
    "Verification",
]
