from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GridworkConfig(AppConfig):
    name = "grassroots.gridwork"
    label = "gridwork"
    verbose_name = _("网格工作")

    def ready(self) -> None:
        from grassroots.accounts.roles import COMMUNITY_STAFF, Role, register_permission
        from grassroots.audit.registry import track
        from grassroots.gridwork.home import register_blocks
        from grassroots.gridwork.models import Visit
        from grassroots.gridwork.privacy import register_visit_data
        from grassroots.portal.navigation import NavEntry, register
        from grassroots.workflow.selectors import register_worklist

        # Grid workers and community workers log their visits in the areas of their grants; the community's
        # staff read the visit logs of their community (the log names residents: no higher level reads it).
        register_permission("gridwork.record", _("记录走访日志"), {Role.GRID_WORKER, Role.COMMUNITY_WORKER})
        register_permission(
            "gridwork.view", _("查看走访日志"), {Role.GRID_WORKER, Role.SYSTEM_ADMIN} | set(COMMUNITY_STAFF)
        )
        register(
            "affairs",
            NavEntry(
                _("我的走访日志"), "gridwork:visit_list", "gridwork.record", "bi-journal-text", phone=20
            ),
        )
        track(Visit)
        register_worklist(Visit)  # a visit needing follow-up waits on its worker's to-do until closed
        register_blocks()
        register_visit_data()  # the person's own data (grassroots/privacy)
