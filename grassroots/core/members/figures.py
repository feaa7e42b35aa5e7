"""The members' figures in the one figure registry (grassroots/figures/registry.py, docs/figures.md), by
the branch's area: members by status, lost contact, study compliance and care visits due."""

from __future__ import annotations

from django.db.models import Count, Q
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
            definition=_("在册党员中本年度学习时长达到规定学时的比例"),
            permission="members.view",
            part="members",
            rows=_studying,
            counts=_study_counts,
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
            definition=_("需关爱的党员（80 岁以上或有关爱标签）中本年度尚未走访的人数"),
            permission="members.view",
            part="members",
            rows=_needing_care,
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
