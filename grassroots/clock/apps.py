from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClockConfig(AppConfig):
    name = "grassroots.clock"
    label = "clock"
    verbose_name = _("定时任务")

    def ready(self) -> None:
        from grassroots.accounts.roles import Role, register_permission
        from grassroots.clock import receivers

        # The clock's state is the platform's, not an area's: the system admin reads it (its menu entry is
        # the portal's, grassroots/portal/navigation.py: the clock sits below the portal).
        register_permission("clock.view", _("查看定时任务"), {Role.SYSTEM_ADMIN})
        receivers.connect()
