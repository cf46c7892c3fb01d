"""factory_boy factories: small valid shapes near Ufa; real boundaries come from fixtures/geo."""

from __future__ import annotations

from typing import Any, cast

import factory
from django.contrib.auth.models import Group, User
from django.contrib.gis.geos import Point

from geo.models import Municipality, Settlement
from registry.models import Community, Sphere, TeamMembership
from registry.selectors.teams import COORDINATOR_GROUP

UFA_CENTRE = Point(55.958, 54.735, srid=4326)
IGLINO = Point(56.4305, 54.8328, srid=4326)  # с. Иглино, Иглинский район
BIRSK = Point(55.5327, 55.4188, srid=4326)  # г. Бирск, Бирский район


def municipality(oktmo: str) -> Municipality:
    return Municipality.objects.get(oktmo=oktmo)


def settlement_without_point(oktmo: str) -> Settlement:
    """A village of the district that the gazetteer has no point for. Chosen afresh each time: a
    transactional test that places one leaves it placed (the session's geodata is not flushed)."""
    settlement = (
        Settlement.objects.filter(municipality__oktmo=oktmo, point__isnull=True).order_by("oktmo").first()
    )
    assert settlement is not None, f"no village without a point left in {oktmo}"
    return settlement


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda number: f"user{number}")
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery")

    @factory.post_generation
    def _save(obj: User, create: bool, extracted: Any, **kwargs: Any) -> None:  # noqa: N805 -- factory_boy hook
        if create:
            obj.save()


def team_member(oktmo: str, *, role: str = TeamMembership.TeamRole.NGO, **kwargs: Any) -> User:
    user = cast(User, UserFactory(**kwargs))
    TeamMembership.objects.create(user=user, municipality=municipality(oktmo), team_role=role)
    return user


def coordinator(**kwargs: Any) -> User:
    user = cast(User, UserFactory(**kwargs))
    user.groups.add(Group.objects.get(name=COORDINATOR_GROUP))
    return user


def sphere(code: str = "territorial") -> Sphere:
    return Sphere.objects.get(code=code)


class CommunityFactory(factory.django.DjangoModelFactory):
    """A community written straight to the table (bypassing services) for read-side tests."""

    class Meta:
        model = Community

    name = factory.Sequence(lambda number: f"ТОС «Рассвет-{number}»")
    name_normalized = factory.LazyAttribute(lambda obj: obj.name.lower())
    slug = factory.Sequence(lambda number: f"tos-rassvet-{number}")
    sphere = factory.LazyFunction(sphere)
    location = UFA_CENTRE
    municipality = factory.LazyFunction(lambda: municipality("80701000"))
    status = Community.Status.VERIFIED
    source = Community.Source.TEAM


def community(**kwargs: Any) -> Community:
    """CommunityFactory, typed for mypy."""
    return cast(Community, CommunityFactory(**kwargs))


def community_unsaved_copy(template: Community, *, pk: int, slug: str) -> Community:
    """A new, unsaved community with the template's fields: for write paths that take instances
    (COPY), with the columns the database keeps itself left out."""
    copy = Community(
        **{
            field.attname: getattr(template, field.attname)
            for field in Community._meta.concrete_fields
            if field.attname not in {"id", "public_point", "public_precision"}
        }
    )
    copy.pk = pk
    copy.slug = slug
    return copy
