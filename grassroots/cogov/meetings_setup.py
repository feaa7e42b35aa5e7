"""Joint meetings' registrations, called from CogovConfig.ready(): audit, menu entries of the 共治 group,
home blocks and the figures of the one registry."""

from __future__ import annotations

from django.apps import apps
from django.utils.translation import gettext_lazy as _


def setup() -> None:
    from grassroots.audit.registry import track
    from grassroots.cogov.blocks_meetings import register_blocks
    from grassroots.cogov.models_meetings import ActionItem, JointBody, JointMeeting, UnitAttendance
    from grassroots.portal.navigation import NavEntry, register

    for model in (JointBody, JointMeeting, UnitAttendance, ActionItem):
        track(model, exclude_fields=["reminded_on"] if model is ActionItem else None)
    register(
        "cogov",
        NavEntry(_("共治看板"), "cogov:board", "cogov.manage", "bi-kanban"),
    )
    register(
        "cogov",
        NavEntry(_("联席会议"), "cogov:joint_meetings", "cogov.view", "bi-diagram-3", public=True),
    )
    register(
        "cogov",
        NavEntry(_("督办事项"), "cogov:action_items", "cogov.view", "bi-list-check", public=True),
    )
    register_blocks()
    try:  # the partner's participation score (service items' part) takes the meetings attended
        from grassroots.cogov.selectors_items import register_meeting_attendance
    except ImportError:
        pass
    else:
        from grassroots.cogov.selectors_meetings import meeting_attendance_rate

        register_meeting_attendance(meeting_attendance_rate)
    if apps.is_installed("grassroots.core.assessments"):
        from grassroots.cogov import selectors_meetings as s
        from grassroots.figures.registry import register_provider

        register_provider(
            "cogov.meetings_held",
            s.meetings_held_rate,
            label=_("联席会议召开率"),
            description=_("年内安排的联席会议（未取消）中已召开的比例"),
        )
        register_provider(
            "cogov.actions_done",
            s.actions_done_rate,
            label=_("联席会议督办事项完成率"),
            description=_("完成期限在本年度的督办事项中已报告完成的比例"),
        )
        register_provider(
            "cogov.actions_on_time",
            s.actions_on_time_rate,
            label=_("联席会议督办事项按期完成率"),
            description=_("完成期限在本年度的督办事项中在期限内完成的比例"),
        )
        register_provider(
            "cogov.actions_not_overdue",
            s.actions_not_overdue_rate,
            label=_("联席会议督办事项未逾期率"),
            description=_("完成期限在本年度的督办事项中目前没有逾期未完成的比例"),
        )
