"""What joint meetings and their action items read, through the one scoping function."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.contrib.auth import get_user_model
from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from grassroots.access.scoping import scoped
from grassroots.accounts.roles import LINE_OFFICIALS
from grassroots.areas.models import Area, Level, PartyOrg
from grassroots.areas.rollup import per_subtree
from grassroots.areas.subtree import under_q
from grassroots.cogov.models import Partner
from grassroots.cogov.models_meetings import (
    MANAGE,
    VIEW,
    ActionItem,
    ActionState,
    JointBody,
    JointMeeting,
    UnitAttendance,
)
from grassroots.gatherings.models import Status


def visible_bodies(user) -> QuerySet:
    return scoped(JointBody.objects.all(), user, VIEW).select_related("area", "host")


def manageable_bodies(user) -> QuerySet:
    return scoped(JointBody.objects.all(), user, MANAGE).select_related("area", "host")


def visible_meetings(user) -> QuerySet:
    return scoped(JointMeeting.objects.all(), user, VIEW).select_related(
        "body", "body__area", "gathering", "gathering__area"
    )


def visible_action_items(user) -> QuerySet:
    return scoped(ActionItem.objects.all(), user, VIEW).select_related(
        "area", "owner_partner", "owner_user", "meeting__gathering", "meeting__body"
    )


def overdue_q(today: date | None = None) -> Q:
    return Q(state=ActionState.OPEN, due_on__lt=today or timezone.localdate())


def host_areas(user) -> QuerySet:
    """Streets and communities where the user may set up a joint-meeting body."""
    return scoped(
        Area.objects.filter(retired=False, level__in=(Level.STREET, Level.COMMUNITY)), user, MANAGE, "path"
    ).order_by("path")


def host_orgs(user) -> QuerySet:
    return scoped(
        PartyOrg.objects.filter(retired=False, area__level__in=(Level.STREET, Level.COMMUNITY)),
        user,
        MANAGE,
        "area__path",
    ).select_related("area")


def member_candidates(user) -> QuerySet:
    """The live partners an official may seat in a body: those they see."""
    from grassroots.cogov.selectors import visible_partners

    return visible_partners(user).filter(retired=False).order_by("name")


def owner_candidates(body: JointBody) -> QuerySet:
    """Accounts that may own an action item beside a unit: the host area's staff and the member units'
    representatives."""
    return (
        get_user_model()
        .objects.filter(
            Q(grants__area=body.area, grants__role__in=LINE_OFFICIALS)
            | Q(represented_partners__in=body.members.all()),
            is_active=True,
        )
        .distinct()
        .order_by("username")
    )


def host_people(area: Area) -> list[int]:
    """Who verifies for the host: active staff holding a line role on the body's very area."""
    return list(
        get_user_model()
        .objects.filter(is_active=True, grants__area=area, grants__role__in=LINE_OFFICIALS)
        .values_list("pk", flat=True)
        .distinct()
    )


def meeting_list(user, *, body: JointBody | None = None, area: Area | None = None) -> QuerySet:
    rows = visible_meetings(user)
    if body is not None:
        rows = rows.filter(body=body)
    if area is not None:
        rows = rows.filter(under_q(area.path, "body__area__path"))
    return rows.annotate(
        item_count=Count("action_items", distinct=True),
        present_count=Count("attendance", filter=Q(attendance__present=True), distinct=True),
    ).order_by("-gathering__starts_at", "-pk")


def action_item_list(
    user, *, state: str = "", overdue: bool = False, partner: Partner | None = None, area: Area | None = None
) -> QuerySet:
    """Overdue first (oldest deadline first), then the rest by deadline."""
    today = timezone.localdate()
    rows = visible_action_items(user)
    if state:
        rows = rows.filter(state=state)
    if overdue:
        rows = rows.filter(overdue_q(today))
    if partner is not None:
        rows = rows.filter(owner_partner=partner)
    if area is not None:
        rows = rows.filter(under_q(area.path))
    late = Case(When(overdue_q(today), then=Value(0)), default=Value(1), output_field=IntegerField())
    return rows.alias(late=late).order_by("late", "due_on", "pk")


def attendance_of(meeting: JointMeeting) -> list[dict]:
    """Each member unit of the meeting's body with its attendance row (None: not recorded)."""
    rows = {a.partner_id: a for a in meeting.attendance.all()}
    return [{"partner": p, "row": rows.get(p.pk)} for p in meeting.body.members.all()]


# --- figures ------------------------------------------------------------------------------------------------
def action_counts(paths: Sequence[str], year: int) -> dict[str, dict]:
    """Per area path (its subtree): action items due in `year`, done (done or verified), on time, overdue."""
    today = timezone.localdate()
    return per_subtree(
        ActionItem.objects.filter(due_on__year=year),
        paths,
        path_field="area__path",
        due=Count("pk"),
        done=Count("pk", filter=Q(state__in=(ActionState.DONE, ActionState.VERIFIED))),
        on_time=Count(
            "pk",
            filter=Q(state__in=(ActionState.DONE, ActionState.VERIFIED), done_at__date__lte=F("due_on")),
        ),
        overdue=Count("pk", filter=overdue_q(today)),
    )


def meeting_counts(paths: Sequence[str], year: int) -> dict[str, dict]:
    """Per area path: joint meetings planned in `year` (not cancelled) and held."""
    return per_subtree(
        JointMeeting.objects.filter(gathering__starts_at__year=year).exclude(
            gathering__status=Status.CANCELLED
        ),
        paths,
        path_field="body__area__path",
        planned=Count("pk"),
        held=Count("pk", filter=Q(gathering__status=Status.HELD)),
    )


def _figure(targets, counts, key, total, detail, url_name):
    from grassroots.figures.registry import Figure

    out = {}
    for target in targets:
        line = counts.get(target.path)
        if not line or not line[total]:
            continue
        out[target.pk] = Figure(
            rate=line[key] / line[total],
            detail=detail % line,
            url=reverse(url_name) + f"?area={target.pk}",
        )
    return out


def meetings_held_rate(targets: Sequence, year: int) -> dict:
    """`cogov.meetings_held`: of the joint meetings planned in the year, the share held."""
    counts = meeting_counts([t.path for t in targets], year)
    return _figure(
        targets,
        counts,
        "held",
        "planned",
        _("召开 %(held)d / %(planned)d 次联席会议"),
        "cogov:joint_meetings",
    )


def actions_done_rate(targets: Sequence, year: int) -> dict:
    """`cogov.actions_done`: of the action items due in the year, the share reported done."""
    counts = action_counts([t.path for t in targets], year)
    return _figure(
        targets, counts, "done", "due", _("完成 %(done)d / %(due)d 项督办事项"), "cogov:action_items"
    )


def actions_on_time_rate(targets: Sequence, year: int) -> dict:
    """`cogov.actions_on_time`: of the action items due in the year, the share done by their deadline."""
    counts = action_counts([t.path for t in targets], year)
    return _figure(
        targets,
        counts,
        "on_time",
        "due",
        _("按期完成 %(on_time)d / %(due)d 项督办事项"),
        "cogov:action_items",
    )


def actions_not_overdue_rate(targets: Sequence, year: int) -> dict:
    """`cogov.actions_not_overdue`: of the action items due in the year, the share not overdue now."""
    from grassroots.figures.registry import Figure

    counts = action_counts([t.path for t in targets], year)
    out = {}
    for target in targets:
        line = counts.get(target.path)
        if not line or not line["due"]:
            continue
        out[target.pk] = Figure(
            rate=1 - line["overdue"] / line["due"],
            detail=_("逾期 %(overdue)d / %(due)d 项督办事项") % line,
            url=reverse("cogov:action_items") + f"?area={target.pk}&overdue=1",
        )
    return out


def meetings_attended(partner_ids: Sequence[int], year: int) -> dict[int, dict]:
    """For the partner score: per partner, the joint meetings held in `year` of the bodies it sat in whose
    attendance was recorded (`recorded`), and those it attended (`attended`). One query."""
    rows = (
        UnitAttendance.objects.filter(
            partner_id__in=list(partner_ids),
            meeting__gathering__starts_at__year=year,
            meeting__gathering__status=Status.HELD,
        )
        .values("partner_id")
        .annotate(recorded=Count("pk"), attended=Count("pk", filter=Q(present=True)))
    )
    return {r["partner_id"]: {"recorded": r["recorded"], "attended": r["attended"]} for r in rows}


def meeting_attendance_rate(partner_ids: Sequence[int], year: int) -> dict[int, float]:
    """The partner score's term: per partner with recorded attendance, the share of the held meetings it
    attended (`meetings_attended`)."""
    counts = meetings_attended(partner_ids, year)
    return {pk: line["attended"] / line["recorded"] for pk, line in counts.items() if line["recorded"]}
