"""Cache invalidation of the maps: a saved or deleted community changes its municipality's map and
the region map; a changed sphere (colour, name) changes every map.

And the demo data set's two moments, for the layers above the registry (fairs adds demo fairs):
demo_loaded after the demo communities exist, demo_unloading before they go."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Model
from django.db.models.signals import m2m_changed, post_delete, post_init, post_save
from django.dispatch import Signal, receiver

from registry.maps.cache import ALL, PAGES, REGION, map_version_bump
from registry.models import Case, Community, Consent, Leader, Leadership, Programme, Sphere
from registry.services.clusters import cluster_cells_mark_stale

demo_loaded = Signal()  # kwargs: seed
demo_unloading = Signal()


class RegistryChanges:
    """The map scopes a batch of writes changed, invalidated once by publish(): an import writes
    thousands of communities, and each write's own invalidation cost about 8 ms. A job makes one,
    passes it (changes=) to what writes for it, and publishes it when its writes are done; a job
    that fails does not publish, and the maps stay as they were."""

    __slots__ = ("scopes",)

    def __init__(self) -> None:
        self.scopes: set[object] = set()

    def watch(self, instance: Model) -> None:
        """The instance's next save or delete changes the public pages for this job, not at once
        (a signal receiver cannot be handed the job's object: the instance carries it)."""
        instance._registry_changes = self  # type: ignore[attr-defined]

    def publish(self) -> None:
        if self.scopes:
            map_version_bump(*sorted(self.scopes, key=str))
            cluster_cells_mark_stale()
            self.scopes.clear()


@receiver(post_init, sender=Community)
def community_loaded(sender: type[Community], instance: Community, **kwargs: Any) -> None:
    # Remembered so that a community moved to another municipality also leaves the old one's map;
    # a deferred field is not fetched for it.
    if "municipality_id" in instance.__dict__:
        instance._loaded_municipality_id = instance.municipality_id  # type: ignore[attr-defined]


@receiver([post_save, post_delete], sender=Community)
def community_changed(sender: type[Community], instance: Community, **kwargs: Any) -> None:
    previous = getattr(instance, "_loaded_municipality_id", None)
    communities_changed([instance.municipality_id, previous])


def communities_changed(
    municipality_ids: Iterable[int | None], *, changes: RegistryChanges | None = None
) -> None:
    """Communities of these municipalities were written (a bulk write sends no post_save); with
    changes, the invalidation waits for its publish()."""
    scopes = [REGION, *set(municipality_ids) - {None}]
    if changes is not None:
        changes.scopes.update(scopes)
        return
    map_version_bump(*scopes)
    cluster_cells_mark_stale()


@receiver([post_save, post_delete], sender=Sphere)
def sphere_changed(sender: type[Sphere], instance: Sphere, **kwargs: Any) -> None:
    map_version_bump(ALL)


def public_pages_changed() -> None:
    """Something the public pages show beside the communities changed (a leader, a consent, a case,
    the programme): their cached copies and HTTP validators (registry/pages.py) are stale."""
    map_version_bump(PAGES)


@receiver([post_save, post_delete], sender=Leader)
@receiver([post_save, post_delete], sender=Leadership)
@receiver([post_save, post_delete], sender=Consent)
@receiver([post_save, post_delete], sender=Case)
@receiver([post_save, post_delete], sender=Programme)
def public_page_data_changed(sender: type[Any], **kwargs: Any) -> None:
    changes = getattr(kwargs.get("instance"), "_registry_changes", None)
    if changes is not None:  # written for a job (RegistryChanges.watch): its publish() tells the pages
        changes.scopes.add(PAGES)
        return
    public_pages_changed()


@receiver(m2m_changed, sender=Programme.municipalities.through)
def programme_municipalities_changed(sender: type[Any], **kwargs: Any) -> None:
    public_pages_changed()
