from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FiguresConfig(AppConfig):
    name = "grassroots.figures"
    label = "figures"
    verbose_name = _("数据看板")

    def ready(self) -> None:
        from grassroots.accounts.roles import OFFICIALS, register_permission
        from grassroots.figures.registry import DASHBOARD
        from grassroots.portal.navigation import NavEntry, register, register_group

        # The officials' view of the figures (docs/figures.md): the dashboard, its export and every figure not
        # published to residents (registry.Definition.public).
        register_permission(DASHBOARD, _("查看数据看板"), set(OFFICIALS))
        register_group("data", _("数据"), "bi-bar-chart-line", order=120)
        register("data", NavEntry(_("数据看板"), "figures:dashboard", DASHBOARD, "bi-speedometer2"))
