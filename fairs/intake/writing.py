"""The write stage: a new row's community created (through the registry's creation service), and
the row's leader found or created and linked to the community, with the consents the row gives."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User
from django.utils.translation import gettext as _

from fairs.intake.row import PipelineRow
from fairs.models import Fair, Signup
from fairs.selectors.candidates import CandidateFinder
from geo.errors import DomainError
from geo.text import fold
from registry.models import Consent, Leader, Leadership
from registry.services.community_creation import CommunityBatch
from registry.services.leaders import ConsentInput, leader_contacts_fill, leader_create
from registry.signals import RegistryChanges


class RowWriter:
    """Writes for the rows of one file. A whole sheet's new communities are written in batches (the
    caller flushes before the transaction ends); one sign-up's, or a reviewer's decision, at once."""

    def __init__(
        self,
        *,
        user: User | AnonymousUser,
        fair: Fair,
        consent_method: str,
        consent_purpose: str,
        communities: CommunityBatch,
        candidates: CandidateFinder,
        batched: bool,
        changes: RegistryChanges | None = None,
    ) -> None:
        self.user = user
        self.fair = fair
        self.consent_method = consent_method
        self.consent_purpose = consent_purpose
        self.communities = communities
        self.candidates = candidates
        self.batched = batched
        self.changes = changes  # a sheet's batch: its leaders' writes tell the pages once, at the end

    def create_community(self, row: PipelineRow) -> None:
        signup = row.signup
        if signup.location is None:  # status NEW implies a place; keep the row for review
            signup.status = Signup.Status.NEEDS_REVIEW
            return
        signup.community = self.communities.create(
            name=signup.name,
            sphere=signup.sphere,
            location=signup.location,
            source_object=signup,
            settlement=signup.settlement,
            location_precision=signup.location_precision,
            members_count=signup.members_count,
            founded_year=signup.founded_year,
        )
        if not self.batched:
            self.communities.flush()
        self.candidates.add(signup.community)

    def attach_leader(self, row: PipelineRow) -> None:
        signup = row.signup
        if not signup.leader_name or signup.community is None:
            return
        phone = signup.phone if signup.has_contact_consent else ""
        email = signup.email if signup.has_contact_consent else ""
        leader = None
        if phone or email:
            leader = (
                Leader.objects.filter(erased_at__isnull=True, municipality=signup.community.municipality)
                .filter(**({"phone": phone} if phone else {"email": email}))
                .first()
            )
        if leader is None:
            leader = Leader.objects.filter(
                erased_at__isnull=True,
                name_normalized=fold(signup.leader_name),
                leaderships__community=signup.community,
            ).first()
        scopes = ([Consent.Scope.STORE_CONTACTS] if (phone or email) else []) + (
            [Consent.Scope.PUBLISH_NAME] if signup.has_publish_consent else []
        )
        consents = [
            ConsentInput(
                scope=scope,
                purpose=self.consent_purpose,
                method=self.consent_method,
                source=self.fair.title[:200],
            )
            for scope in scopes
        ]
        if leader is not None and (phone or email):
            # a known leader gains the row's contacts with its consent; one already there stays
            differing = leader_contacts_fill(
                user=self.user,
                leader=leader,
                phone=phone,
                email=email,
                consents=consents,
                check_team=False,
                changes=self.changes,
            )
            labels = {"phone": _("телефон"), "email": _("эл. почта")}
            for field_name in differing:
                row.warnings.append(
                    _(
                        "У лидера в реестре другой {}: он сохранён, новый из строки остался в заявке — проверьте"
                    ).format(labels[field_name])
                )
        if leader is None:
            try:
                leader = leader_create(
                    user=self.user,
                    municipality=signup.community.municipality,
                    full_name=signup.leader_name,
                    phone=phone,
                    email=email,
                    consents=consents,
                    check_team=False,
                    changes=self.changes,
                )
            except DomainError as error:
                row.warnings.append("; ".join(item.message for item in error.items))
                return
        if self.changes is None:
            Leadership.objects.get_or_create(
                leader=leader, community=signup.community, defaults={"role": Leadership.Role.COORDINATOR}
            )
        elif not Leadership.objects.filter(leader=leader, community=signup.community).exists():
            leadership = Leadership(
                leader=leader, community=signup.community, role=Leadership.Role.COORDINATOR
            )
            self.changes.watch(leadership)
            leadership.save(force_insert=True)
        signup.leader = leader
