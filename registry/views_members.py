"""Team membership pages: the team and its invitations, joining by a link, removing a member, the
rights of each role. Parse, call one service, render."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from geo.errors import DomainError
from registry.forms import form_add_domain_errors
from registry.forms_team import ConfirmForm, InvitationForm, JoinForm
from registry.models import TeamInvitation, TeamMembership
from registry.roles import RIGHTS, Right, Role, team_manageable_municipalities, user_has_right, user_roles
from registry.selectors.teams import team_invitation_open_list, team_membership_list
from registry.services.teams import (
    invitation_accept,
    invitation_accept_signed_in,
    invitation_create,
    invitation_get,
    invitation_revoke,
    membership_remove,
)


@login_required
@require_http_methods(["GET", "POST"])
@never_cache  # a freshly made sign-up link is shown once
def team_members_view(request: HttpRequest) -> HttpResponse:
    user = request.user
    manageable = team_manageable_municipalities(user=user)
    may_invite_coordinators = user_has_right(user=user, right=Right.INVITE_COORDINATORS)
    may_invite = may_invite_coordinators or manageable.exists()
    form = (
        InvitationForm(
            request.POST or None, municipalities=manageable, may_invite_coordinators=may_invite_coordinators
        )
        if may_invite
        else None
    )
    link = None
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            join_url = request.build_absolute_uri(reverse("team-join", args=["TOKEN"])).replace(
                "TOKEN", "{token}"
            )
            try:
                issued = invitation_create(
                    user=user,
                    kind=form.cleaned_data["kind"],
                    municipality=form.cleaned_data["municipality"],
                    team_role=form.cleaned_data.get("team_role") or "",
                    is_lead=form.cleaned_data.get("is_lead") or False,
                    email=form.cleaned_data["email"],
                    join_url=join_url,
                )
            except DomainError as error:
                form_add_domain_errors(form, error)
            else:
                if issued.invitation.email:
                    messages.success(
                        request, _("Приглашение отправлено на {}.").format(issued.invitation.email)
                    )
                    return redirect("team-members")
                link = join_url.format(token=issued.token)
                form = InvitationForm(
                    municipalities=manageable, may_invite_coordinators=may_invite_coordinators
                )
    manageable_ids = set(manageable.values_list("pk", flat=True))
    return render(
        request,
        "registry/team/members.html",
        {
            "form": form,
            "link": link,
            "memberships": team_membership_list(user=user)[:1000],
            "invitations": team_invitation_open_list(user=user)[:200] if may_invite else [],
            "manageable_ids": manageable_ids,
        },
    )


def _manageable_membership(request: HttpRequest, pk: int) -> TeamMembership:
    membership = (
        team_membership_list(user=request.user)
        .filter(pk=pk, municipality__in=team_manageable_municipalities(user=request.user))
        .first()
    )
    if membership is None:
        raise Http404  # not a team this user leads: as if it did not exist
    return membership


@login_required
@require_http_methods(["GET", "POST"])
def team_member_remove_view(request: HttpRequest, pk: int) -> HttpResponse:
    membership = _manageable_membership(request, pk)
    form = ConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        membership_remove(user=request.user, membership=membership)
        messages.success(
            request,
            _("{} больше не в команде: {}.").format(
                membership.user.get_full_name() or membership.user.username, membership.municipality
            ),
        )
        return redirect("team-members")
    return render(request, "registry/team/member_remove.html", {"membership": membership, "form": form})


@login_required
@require_POST
def team_invitation_revoke_view(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = team_invitation_open_list(user=request.user).filter(pk=pk).first()
    if invitation is None or (
        invitation.kind == TeamInvitation.Kind.MEMBER
        and not team_manageable_municipalities(user=request.user)
        .filter(pk=invitation.municipality_id or 0)
        .exists()
    ):
        raise Http404
    invitation_revoke(user=request.user, invitation=invitation)
    messages.success(request, _("Приглашение отозвано."))
    return redirect("team-members")


@require_http_methods(["GET", "POST"])
@never_cache
def team_join_view(request: HttpRequest, token: str) -> HttpResponse:
    """The page an invitation links to: the person sets their own password and is signed in."""
    invitation = invitation_get(token=token)
    if invitation is None:
        return render(request, "registry/team/join_closed.html", status=404)
    if request.user.is_authenticated:
        if request.method == "POST":
            invitation_accept_signed_in(invitation=invitation, user=cast(User, request.user))
            messages.success(request, _("Вы присоединились к команде."))
            return redirect("team")
        return render(request, "registry/team/join.html", {"invitation": invitation, "form": None})
    form = JoinForm(request.POST or None, initial={"email": invitation.email})
    if invitation.email:
        form.fields["email"].disabled = True
    if request.method == "POST" and form.is_valid():
        try:
            user = invitation_accept(
                invitation=invitation,
                email=invitation.email or form.cleaned_data["email"],
                full_name=form.cleaned_data["full_name"],
                password=form.cleaned_data["password"],
            )
        except DomainError as error:
            form_add_domain_errors(form, error)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Добро пожаловать в команду! Начните со списка дел ниже."))
            return redirect("team")
    return render(request, "registry/team/join.html", {"invitation": invitation, "form": form})


def roles_view(request: HttpRequest) -> HttpResponse:
    """What each role may see and do, read from the same table the checks use."""
    roles = list(Role)
    rows = [(rule, [role in rule.roles for role in roles]) for rule in RIGHTS]
    return render(
        request,
        "registry/team/roles.html",
        {"roles": roles, "rows": rows, "my_roles": user_roles(user=request.user)},
    )
