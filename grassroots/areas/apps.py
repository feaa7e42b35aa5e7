from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AreasConfig(AppConfig):
    name = "grassroots.areas"
    label = "areas"
    verbose_name = _("区域与党组织")

    def ready(self) -> None:
        from grassroots.areas.figures import register_figures

        register_figures()  # the one figure registry (grassroots/figures/registry.py)
