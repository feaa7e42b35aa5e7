"""The volunteer activities' registrations, called from `CogovConfig.ready()`: menu entries in the 共治 group,
home blocks, the figures and the audit of credits."""

from __future__ import annotations

from django.apps import apps
from django.utils.translation import gettext_lazy as _


def setup_activities() -> None:
    from grassroots.audit.registry import track
    from grassroots.cogov.blocks_activities import register_blocks
    from grassroots.cogov.models import ServiceHours
    from grassroots.portal.navigation import NavEntry, register

    track(ServiceHours)
    register_blocks()
    register(
        "cogov",
        NavEntry(_("志愿活动"), "cogov:activities", "cogov.volunteer", "bi-heart-pulse", public=True),
    )
    register(
        "cogov",
        NavEntry(_("志愿活动组织"), "cogov:activity_organizer", "gatherings.manage", "bi-clipboard-check"),
    )
    if apps.is_installed("grassroots.core.assessments"):
        from grassroots.cogov.figures_activities import activities_held, volunteer_hours
        from grassroots.figures.registry import register_provider

        register_provider(
            "cogov.volunteer_hours",
            volunteer_hours,
            label=_("志愿服务参与率"),
            description=_("在册志愿者中本年度有确认服务时长的比例（附服务时长合计）"),
        )
        register_provider(
            "cogov.activities_held",
            activities_held,
            label=_("志愿活动举办率"),
            description=_("本年度已结束（未取消）的志愿活动中已举办的比例"),
        )
