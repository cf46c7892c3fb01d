"""Letters to a person about their data (152-FZ), as Russian PDFs: the answer to a subject-access
request (what is held, why, on what basis, who receives it, how long, their rights) and the
confirmation that their data was erased. Built from the same services that export and erase, so
each letter is audited like the action behind it; an erasure letter names the request, not the
person (nothing about them is kept to write it from)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from fairs.reports.pdf import html_pdf
from fairs.services.personal_data import leader_subject_access
from registry.models import Community, Consent, Leader, PrivacyEvent
from registry.selectors.teams import AnyUser
from registry.services.proposers import proposer_subject_access

LEGAL_BASIS = (
    "согласие субъекта персональных данных (п. 1 ч. 1 ст. 6 Федерального закона от 27.07.2006 "
    "№ 152-ФЗ «О персональных данных»); для данных, разрешённых для распространения, — отдельное "
    "согласие (ст. 10.1)"
)


def _local(value: str | None) -> datetime | None:
    return timezone.localtime(datetime.fromisoformat(value)) if value else None


def _proposals(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The communities a person proposed, as the letters list them (Russian labels, local times)."""
    statuses = dict(Community.Status.choices)
    return [
        {**item, "status": statuses.get(item["status"], item["status"]), "at": _local(item["proposed_at"])}
        for item in items
    ]


def _basis(generated: dict[str, Any]) -> dict[str, Any]:
    return {
        "operator": settings.PROGRAMME_OPERATOR,
        "generated_at": timezone.localtime(),
        "legal_basis": LEGAL_BASIS,
        **generated,
    }


def subject_access_letter(*, user: AnyUser, leader: Leader) -> bytes:
    """The answer to «what do you hold about me»; recorded in the audit trail as a subject access."""
    document = leader_subject_access(user=user, leader=leader)
    scopes, methods = dict(Consent.Scope.choices), dict(Consent.Method.choices)
    roles = dict(Leader.CitizenRole.choices)
    consents = [
        {
            "scope": scopes.get(item["scope"], item["scope"]),
            "purpose": item["purpose"],
            "method": methods.get(item["method"], item["method"]),
            "collected_at": _local(item["collected_at"]),
            "withdrawn_at": _local(item["withdrawn_at"]),
        }
        for item in document["consents"]
    ]
    context = _basis(
        {
            "leader": document["leader"],
            "roles": [roles.get(code, code) for code in document["leader"]["roles"]],
            "created_at": _local(document["leader"]["created_at"]),
            "communities": document["communities"],
            "consents": consents,
            "purposes": sorted({item["purpose"] for item in consents if not item["withdrawn_at"]}),
            "history_count": len(document["history"]),
            "signups": [
                {**item, "fair_date": datetime.fromisoformat(item["fair"]["date"]).date()}
                for item in document["fair_signups"]
            ],
            "proposals": _proposals(document["proposals"]),
            "retention_days": settings.FAIRS_SIGNUP_RETENTION_DAYS,
        }
    )
    return html_pdf(render_to_string("registry/letters/subject_access.html", context))


def proposer_access_letter(*, user: AnyUser, contact: str) -> bytes:
    """The answer to a resident who proposed communities and is no leader, found by the e-mail or
    phone they left; recorded in the audit trail as a subject access."""
    document = proposer_subject_access(user=user, contact=contact)
    context = _basis({"contact": document["contact"], "proposals": _proposals(document["proposals"])})
    return html_pdf(render_to_string("registry/letters/proposer_access.html", context))


def erasure_letter(*, event: PrivacyEvent) -> bytes:
    """The confirmation that an erasure was carried out, by the request's number and date."""
    context = {
        "operator": settings.PROGRAMME_OPERATOR,
        "generated_at": timezone.localtime(),
        "event": event,
        "at": timezone.localtime(event.at),
        "signups": int(event.details.get("fair_signups", 0)),
        "proposals": int(event.details.get("proposals", 0)),
        "is_leader": event.leader_id is not None,
    }
    return html_pdf(render_to_string("registry/letters/erasure.html", context))
