from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "registry"
    verbose_name = _("Реестр сообществ")

    def ready(self) -> None:
        from registry import signals  # noqa: F401 -- connects the map cache invalidation

        post_migrate.connect(_public_place_install, sender=self)


def _public_place_install(using: str, **kwargs: Any) -> None:
    """Every migrate installs the public-place rule as registry.publication says it now (CREATE OR
    REPLACE): the module is the one place it lives, and a change to it needs no new migration."""
    from django.db import connections

    from registry.public_feature import public_feature_install
    from registry.publication import public_place_install

    public_place_install(connection=connections[using])
    public_feature_install(connection=connections[using])
