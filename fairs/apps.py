from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class FairsConfig(AppConfig):
    name = "fairs"
    verbose_name = _("Ярмарки сообществ")

    def ready(self) -> None:
        from fairs.services import demo  # noqa: F401 -- demo fairs follow the registry's demo set

        post_migrate.connect(_public_place_install, sender=self)


def _public_place_install(using: str, **kwargs: Any) -> None:
    """Every migrate installs the public-place rule as fairs.publication says it now (CREATE OR
    REPLACE): the module is the one place it lives, and a change to it needs no new migration."""
    from django.db import connections

    from fairs.publication import public_place_install

    public_place_install(connection=connections[using])
