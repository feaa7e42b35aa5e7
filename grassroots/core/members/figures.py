"""The members' figures in the one figure registry (grassroots/figures/registry.py, docs/figures.md), by
the branch's area: members by status, lost contact, study compliance and care visits due."""

from __future__ import annotations

from calendar import monthrange
from datetime import date
from decimal import Decimal

from django.db.models import Count, Q, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from grassroots.figures.registry import Definition, count, rate, register

PATH = "branch__area__path"


def _members(year, today):
    from grassroots.core.members.models import Member

    return Member.objects.all()


def _by_status(year, today):
    from grassroots.core.members.models import MemberStatus
    from grassroots.core.members.selectors._precisions import OPEN_STATUSES

    out = {"open": Count("pk", filter=Q(status__in=list(OPEN_STATUSES)))}
    for status in MemberStatus:
        out[status.value] = Count("pk", filter=Q(status=status.value))
    return out


def _status_parts():
    from grassroots.core.members.models import MemberStatus

    return tuple((status.value, status.label) for status in MemberStatus)


def _lost(year, today):
    from grassroots.core.members.models import Member, MemberStatus

    return Member.objects.filter(status=MemberStatus.LOST_CONTACT)


def _studying(year, today):
    from grassroots.core.members.models import Member
    from grassroots.core.members.selectors._precisions import OPEN_STATUSES
    from grassroots.core.members.selectors.educate import with_study_hours

    return with_study_hours(Member.objects.filter(status__in=list(OPEN_STATUSES)), year)


def month_end(year: int, month: int) -> date:
    return date(year, month, monthrange(year, month)[1])


def _studying_by_month(year, month, today):
    """Open members with their study hours from 1 January to the month's end."""
    from grassroots.core.members.models import Member
    from grassroots.core.members.selectors._precisions import OPEN_STATUSES
    from grassroots.core.members.selectors.educate import HOURS, hours_between

    hours = Coalesce(
        hours_between(date(year, 1, 1), month_end(year, month)), Value(Decimal(0)), output_field=HOURS
    )
    return Member.objects.filter(status__in=list(OPEN_STATUSES)).annotate(study_hours=hours)


def _study_counts_by_month(year, month, today):
    """On track in a month: the hours since 1 January reach the month's share of the year's required hours
    (December: the year's figure)."""
    from grassroots.core.members.selectors.educate import required_hours

    due = (required_hours() * month / 12).quantize(Decimal("0.1"))
    return {"members": Count("pk"), "compliant": Count("pk", filter=Q(study_hours__gte=due))}


def _study_counts(year, today):
    from grassroots.core.members.selectors.educate import required_hours

    return {"members": Count("pk"), "compliant": Count("pk", filter=Q(study_hours__gte=required_hours()))}


def _needing_care(year, today):
    from grassroots.core.members.models import Member
    from grassroots.core.members.selectors._precisions import OPEN_STATUSES
    from grassroots.core.members.selectors.care import needs_care_q, visited_in_year

    return (
        Member.objects.filter(status__in=list(OPEN_STATUSES))
        .filter(needs_care_q(today))
        .annotate(visited=visited_in_year(year))
    )


def _needing_care_by_month(year, month, today):
    """The members needing care, `visited` from 1 January to the month's end."""
    from grassroots.core.members.selectors.care import visited_between

    return _needing_care(year, today).annotate(
        visited=visited_between(date(year, 1, 1), month_end(year, month))
    )


def register_figures() -> None:
    register(
        Definition(
            name="members.by_status",
            label=_("党员人数"),
            unit=_("人"),
            definition=_(
                "所在党支部位于本区域的党员（正常、流动、失联、已找到），并按状态分列；趋势为各月入党人数"
            ),
            permission="members.view",
            part="members",
            rows=_members,
            counts=_by_status,
            value=count("open"),
            path_field=PATH,
            parts=_status_parts,
            month_field="joined_probationary_on",
            behind="low",
            url="members:list",
        )
    )
    register(
        Definition(
            name="members.lost_contact",
            label=_("失联党员"),
            unit=_("人"),
            definition=_("状态为失联的党员；趋势为各月转为失联且仍失联的人数"),
            permission="members.view",
            part="members",
            rows=_lost,
            counts=lambda year, today: {"lost": Count("pk")},
            value=count("lost"),
            path_field=PATH,
            month_field="status_changed_at",
            behind="high",
            url="members:find",
        )
    )
    register(
        Definition(
            name="members.study",
            label=_("学习达标率"),
            unit="%",
            definition=_(
                "在册党员中本年度学习时长达到规定学时的比例；趋势为各月末累计学时达到全年规定学时相应进度"
                "（规定学时 × 月数 ÷ 12）的比例"
            ),
            permission="members.view",
            part="members",
            rows=_studying,
            counts=_study_counts,
            month_rows=_studying_by_month,
            month_counts=_study_counts_by_month,
            value=rate("compliant", "members"),
            path_field=PATH,
            url="members:study",
        )
    )
    register(
        Definition(
            name="members.care_due",
            label=_("待走访关爱对象"),
            unit=_("人"),
            definition=_(
                "需关爱的党员（80 岁以上或有关爱标签）中本年度尚未走访的人数；"
                "趋势为各月末本年度仍未走访的人数"
            ),
            permission="members.view",
            part="members",
            rows=_needing_care,
            month_rows=_needing_care_by_month,
            counts=lambda year, today: {
                "needing": Count("pk"),
                "due": Count("pk", filter=Q(visited=False)),
            },
            value=count("due"),
            path_field=PATH,
            behind="high",
            url="members:care",
        )
    )
