"""Roles and what each may do: the one table the rights page shows, the pages check and the admin's
permissions come from (registry.auth.RolePermissionBackend). Nobody ticks permission boxes: a person's
rights follow from their role.

- member: on a municipality's team (TeamMembership);
- lead: a member with TeamMembership.is_lead: also invites and removes the team's members;
- coordinator: in the programme coordinators' group (or a superuser): every municipality.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet, TextChoices
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from geo.models import Municipality
from registry.models import TeamMembership
from registry.selectors.teams import AnyUser, team_municipalities, user_is_coordinator


class Role(TextChoices):
    MEMBER = "member", _("член команды")
    LEAD = "lead", _("руководитель команды")
    COORDINATOR = "coordinator", _("координатор программы")


class Right(TextChoices):
    SEE_TEAM_RECORDS = "see_team_records", _("видеть все записи своего муниципалитета")
    EDIT_COMMUNITIES = "edit_communities", _("добавлять и править сообщества")
    VERIFY = "verify", _("подтверждать, архивировать и отклонять сообщества")
    LEADERS = "leaders", _("вести лидеров и их согласия")
    RUN_FAIRS = "run_fairs", _("проводить ярмарки")
    PLACE_SETTLEMENTS = "place_settlements", _("ставить населённые пункты на карту")
    INVITE_MEMBERS = "invite_members", _("приглашать и исключать членов команды")
    WRITE_CASES = "write_cases", _("писать и публиковать кейсы")
    ALL_MUNICIPALITIES = "all_municipalities", _("работать во всех муниципалитетах")
    MANAGE_PROGRAMME = "manage_programme", _("вести программу")
    INVITE_COORDINATORS = "invite_coordinators", _("приглашать координаторов")


@dataclass(frozen=True)
class RightRule:
    right: Right
    roles: frozenset[Role]
    details: str | Promise  # what it means in practice, for the rights page


_EVERYONE = frozenset({Role.MEMBER, Role.LEAD, Role.COORDINATOR})
_LEADS = frozenset({Role.LEAD, Role.COORDINATOR})
_COORDINATORS = frozenset({Role.COORDINATOR})

RIGHTS: tuple[RightRule, ...] = (
    RightRule(Right.SEE_TEAM_RECORDS, _EVERYONE, _("Все сообщества своего района или округа, включая ждущие проверки, отклонённые и архивные; заявки ярмарок; историю изменений. Записи других муниципалитетов не видны вовсе.")),
    RightRule(Right.EDIT_COMMUNITIES, _EVERYONE, _("Добавлять сообщества точкой на карте или адресом, править их описание, место и контакты; выгружать список района в CSV и XLSX.")),
    RightRule(Right.VERIFY, _EVERYONE, _("Публиковать сообщество только по доказательствам (встречи, участники, результаты, документы) — по одному или отмечая каждое в списке; подтверждать заново; переносить в архив и отклонять с указанием причины.")),
    RightRule(Right.LEADERS, _EVERYONE, _("Вносить лидеров сообществ с их согласием на обработку данных, отзывать согласие, выгружать и удалять данные человека по его запросу.")),
    RightRule(Right.RUN_FAIRS, _EVERYONE, _("Планировать ярмарку, печатать плакат с QR-кодом, собирать заявки, отмечать ярмарку проведённой с числом участников, загружать листы заявок и разбирать спорные строки.")),
    RightRule(Right.PLACE_SETTLEMENTS, _EVERYONE, _("Ставить на карту сёла и деревни своего района, у которых нет точки, и исправлять поставленные командой точки.")),
    RightRule(Right.INVITE_MEMBERS, _LEADS, _("Приглашать людей в команду по эл. почте или одноразовой ссылкой, выбирать их роль, исключать из команды.")),
    RightRule(Right.WRITE_CASES, _COORDINATORS, _("Писать истории успешных сообществ с золотыми правилами и публиковать их. Команда присылает материал координатору.")),
    RightRule(Right.ALL_MUNICIPALITIES, _COORDINATORS, _("Всё, что может команда, во всех муниципалитетах программы.")),
    RightRule(Right.MANAGE_PROGRAMME, _COORDINATORS, _("Цели и показатели программы, отчёты для донора, модерация, работа в администрировании.")),
    RightRule(Right.INVITE_COORDINATORS, _COORDINATORS, _("Приглашать координаторов и назначать руководителей команд.")),
)  # fmt: skip
_RULES = {rule.right: rule for rule in RIGHTS}


def user_is_team_lead(*, user: AnyUser, municipality: Municipality | None = None) -> bool:
    """Whether the user leads the team of this municipality (of any, when none is given)."""
    if not user.is_authenticated:
        return False
    memberships = TeamMembership.objects.filter(user=user, is_lead=True)
    if municipality is not None:
        memberships = memberships.filter(municipality=municipality)
    return memberships.exists()


def user_roles(*, user: AnyUser, municipality: Municipality | None = None) -> frozenset[Role]:
    """The user's roles, in one municipality when given (a coordinator's role holds everywhere)."""
    if not user.is_authenticated:
        return frozenset()
    roles: set[Role] = set()
    if user_is_coordinator(user=user):
        roles.add(Role.COORDINATOR)
    memberships = TeamMembership.objects.filter(user=user)
    if municipality is not None:
        memberships = memberships.filter(municipality=municipality)
    for is_lead in memberships.values_list("is_lead", flat=True):
        roles.add(Role.MEMBER)
        if is_lead:
            roles.add(Role.LEAD)
    return frozenset(roles)


def user_has_right(*, user: AnyUser, right: Right, municipality: Municipality | None = None) -> bool:
    """The one check of a right: given a municipality, the user must hold a granting role there."""
    return bool(user_roles(user=user, municipality=municipality) & _RULES[right].roles)


def team_manageable_municipalities(*, user: AnyUser) -> QuerySet[Municipality]:
    """Where the user may invite and remove team members: all for a coordinator, led ones for a lead."""
    if user_is_coordinator(user=user):
        return team_municipalities(user=user)
    if not user.is_authenticated:
        return Municipality.objects.none()
    return Municipality.objects.filter(team_memberships__user=user, team_memberships__is_lead=True).distinct()


# Django model permissions each role carries, for the admin and any has_perm check.
_TEAM_MODELS = ("community", "verification", "evidence", "leader", "leadership", "consent")
_COORDINATOR_MODELS = (
    *_TEAM_MODELS,
    "sphere",
    "teammembership",
    "teaminvitation",
    "programme",
    "indicator",
    "case",
    "privacyevent",
)
_FAIR_MODELS = ("fair", "signupimport", "signup")


def _permissions(app: str, models: tuple[str, ...], actions: tuple[str, ...]) -> frozenset[str]:
    return frozenset(f"{app}.{action}_{model}" for model in models for action in actions)


ROLE_PERMISSIONS: dict[Role, frozenset[str]] = {
    Role.MEMBER: _permissions("registry", _TEAM_MODELS, ("view", "add", "change"))
    | _permissions("fairs", _FAIR_MODELS, ("view", "add", "change"))
    | _permissions("geo", ("settlement",), ("view", "change")),
    Role.COORDINATOR: _permissions("registry", _COORDINATOR_MODELS, ("view", "add", "change"))
    | _permissions("registry", ("teammembership", "teaminvitation", "indicator"), ("delete",))
    | _permissions("fairs", _FAIR_MODELS, ("view", "add", "change"))
    | _permissions("geo", ("settlement", "municipality", "region"), ("view",))
    | _permissions("geo", ("settlement",), ("change",)),
}
ROLE_PERMISSIONS[Role.LEAD] = ROLE_PERMISSIONS[Role.MEMBER] | _permissions(
    "registry", ("teammembership",), ("view",)
)


def role_permissions(*, roles: frozenset[Role]) -> frozenset[str]:
    granted: frozenset[str] = frozenset()
    for role in roles:
        granted |= ROLE_PERMISSIONS[role]
    return granted
