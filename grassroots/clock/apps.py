from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClockConfig(AppConfig):
    name = "grassroots.clock"
    label = "clock"
    verbose_name = _("定时任务")

    def ready(self) -> None:
        from grassroots.accounts.roles import Role, register_permission
        from grassroots.clock import receivers
        from grassroots.portal.navigation import NavEntry, register

        # The clock's state is the platform's, not an area's: the system admin reads it.
        register_permission("clock.view", _("查看定时任务"), {Role.SYSTEM_ADMIN})
        register("data", NavEntry(_("定时任务"), "clock:overview", "clock.view", "bi-clock-history"))
        receivers.connect()
