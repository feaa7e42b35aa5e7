"""The gatherings' figures in the one figure registry (grassroots/figures/registry.py, docs/figures.md):
events held and their attendance, by the gathering's area."""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from grassroots.figures.registry import Definition, count, rate, register


def _gatherings(year, today):
    from grassroots.gatherings.models import Gathering

    return Gathering.objects.filter(starts_at__year=year)


def _participants(year, today):
    from grassroots.gatherings.models import Participant, Status

    return Participant.objects.filter(
        gathering__starts_at__year=year, gathering__status=Status.HELD, present__isnull=False
    )


def register_figures() -> None:
    from grassroots.gatherings.models import Status

    register(
        Definition(
            name="gatherings.held",
            label=_("活动召开"),
            unit=_("场"),
            definition=_(
                "本年度在本区域开始的会议和活动中已召开的场次（另列计划中、已取消）；趋势按开始月份"
            ),
            permission="gatherings.view_all",
            part="gatherings",
            rows=_gatherings,
            counts=lambda year, today: {
                status.value: Count("pk", filter=Q(status=status.value)) for status in Status
            },
            value=count(Status.HELD.value),
            parts=tuple((status.value, status.label) for status in Status),
            month_field="starts_at",
            url="gatherings:list",
        )
    )
    register(
        Definition(
            name="gatherings.attendance",
            label=_("活动出席率"),
            unit="%",
            definition=_("本年度已召开的会议和活动中，已登记考勤的参加人员里出席的比例；趋势按开始月份"),
            permission="gatherings.view_all",
            part="gatherings",
            rows=_participants,
            counts=lambda year, today: {
                "recorded": Count("pk"),
                "present": Count("pk", filter=Q(present=True)),
            },
            value=rate("present", "recorded"),
            path_field="gathering__area__path",
            parts=(("recorded", _("登记考勤")), ("present", _("出席"))),
            month_field="gathering__starts_at",
            url="gatherings:list",
        )
    )
