from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DutiesConfig(AppConfig):
    name = "grassroots.core.duties"
    label = "duties"
    verbose_name = _("任务清单")

    def ready(self) -> None:
        from grassroots.accounts.roles import OFFICIALS, SUPERVISORS, Role, register_permission
        from grassroots.core.duties.selectors.figures import register_figures
        from grassroots.portal.navigation import NavEntry, register

        register_figures()  # the one figure registry (grassroots/figures/registry.py)
        # See tasks issued in one's subtree and the assignments of one's areas (auditors read everything).
        # Grid workers see (and do) their grid's assignments.
        register_permission(
            "duties.view", _("查看任务清单与办理情况"), OFFICIALS | {Role.AUDITOR, Role.GRID_WORKER}
        )
        # Keep an area's task list, issue tasks to lower levels, keep the offices of an area. A community's
        # secretary issues tasks to the community's grids.
        register_permission(
            "duties.issue", _("编制任务清单、下发任务"), SUPERVISORS | {Role.COMMUNITY_SECRETARY}
        )
        # The offices of a street (街道科室, 三办): the street and the levels above keep and read them.
        register_permission("duties.offices", _("管理街道科室"), set(SUPERVISORS))
        for label, url_name, icon, phone in (
            (_("我的任务"), "duties:worklist", "bi-list-check", 10),
            (_("任务清单"), "duties:task_list", "bi-card-checklist", None),
            (_("任务完成情况"), "duties:progress", "bi-graph-up", None),
        ):
            register("tasks", NavEntry(label, url_name, "duties.view", icon, phone=phone))
        register("tasks", NavEntry(_("街道科室"), "duties:offices", "duties.offices", "bi-building"))
        register(
            "tasks", NavEntry(_("三办工作量"), "duties:office_workload", "duties.offices", "bi-diagram-3")
        )
