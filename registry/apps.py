from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "registry"
    verbose_name = _("Реестр сообществ")

    def ready(self) -> None:
        from registry import signals  # noqa: F401 -- connects the map cache invalidation
