from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FairsConfig(AppConfig):
    name = "fairs"
    verbose_name = _("Ярмарки сообществ")

    def ready(self) -> None:
        from fairs.services import demo  # noqa: F401 -- demo fairs follow the registry's demo set
