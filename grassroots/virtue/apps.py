from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VirtueConfig(AppConfig):
    name = "grassroots.virtue"
    label = "virtue"
    verbose_name = _("一化")

    def ready(self) -> None:
        from grassroots.accounts.roles import CONSOLE_ROLES, OFFICIALS, Role, register_permission
        from grassroots.audit.registry import track
        from grassroots.portal.navigation import NavEntry, register, register_group
        from grassroots.virtue.kinds import register_all
        from grassroots.virtue.models import Venue, VenuePhoto, WarningEducation

        register_all()  # 廉洁文化大讲堂, 警示教育, 道德讲堂: gathering kinds, each a study kind
        # Community staff and the officials above record warning education and venues in their areas; the
        # auditors and grid workers read them.
        register_permission("virtue.view", _("查看一化（以德化人）"), set(CONSOLE_ROLES) | {Role.GRID_WORKER})
        register_permission("virtue.manage", _("管理一化（以德化人）"), set(OFFICIALS))
        register_group("virtue", _("一化"), "bi-award", order=110)
        register(
            "virtue",
            NavEntry(_("警示教育"), "virtue:warning_list", "virtue.view", "bi-exclamation-octagon"),
        )
        register("virtue", NavEntry(_("廉洁文化阵地"), "virtue:venue_list", "virtue.view", "bi-book"))
        register("virtue", NavEntry(_("阵地覆盖"), "virtue:coverage", "virtue.view", "bi-pie-chart"))
        track(WarningEducation)
        track(Venue)
        track(VenuePhoto)
