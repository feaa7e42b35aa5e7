"""Reads of the three forms that pages and the API share. Each takes the user and applies the scoping
function (`orglife.view`, with the organization secretaries' clause)."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from grassroots.access.scoping import get_scoped_or_404, scoped
from grassroots.areas.models import PartyOrg
from grassroots.core.orglife import kinds, rules
from grassroots.core.orglife.models import (
    Appraisal,
    OrgLifeGuidance,
    OrgLifePlan,
    OrgLifeReport,
    PlanState,
    ReportAttendance,
    ReportState,
    StudyPlan,
    StudySession,
)
from grassroots.core.orglife.selectors.compliance import branches
from grassroots.gatherings import selectors as gathering_selectors
from grassroots.gatherings.models import Gathering

VIEW = "orglife.view"


def visible_branches(user) -> QuerySet:
    return scoped(branches(), user, VIEW, "area__path", "pk")


def get_branch_or_404(user, pk):
    """A live branch the user may see: in their area scope, or led by them (or by an organization they lead
    above it)."""
    try:
        return visible_branches(user).select_related("area", "parent", "secretary").get(pk=pk)
    except PartyOrg.DoesNotExist as exc:
        raise Http404 from exc


def plans_for(user) -> QuerySet[OrgLifePlan]:
    return (
        scoped(OrgLifePlan.objects.all(), user, VIEW)
        .select_related("branch__area")
        .annotate(item_count=Count("items"))
        .order_by("-period_start", "branch__name", "pk")
    )


def get_plan_or_404(user, pk) -> OrgLifePlan:
    qs = OrgLifePlan.objects.select_related(
        "branch__area", "branch__parent", "created_by", "filed_by"
    ).prefetch_related(
        Prefetch("items", queryset=_items()),
        # (a plan's own page reads its guidance as a conversation: oldest first)
        Prefetch("guidance", queryset=_conversation()),
    )
    return get_scoped_or_404(qs, user, VIEW, pk=pk)


def _conversation() -> QuerySet[OrgLifeGuidance]:
    return guidance_rows().select_related("author_org", "plan__branch__area").order_by("created_at", "pk")


def guidance_rows() -> QuerySet[OrgLifeGuidance]:
    """Guidance forms as their lists show them (the branch page's plans, `/api/orglife-guidance/`, filtered by
    `filters.GuidanceFilter`): the latest first."""
    return OrgLifeGuidance.objects.select_related("author", "plan", "plan__branch").order_by(
        "-created_at", "-pk"
    )


def _items():
    from grassroots.core.orglife.models import PlannedGathering

    return PlannedGathering.objects.select_related("gathering__orglife_report").order_by("starts_at", "pk")


def reports_for(user) -> QuerySet[OrgLifeReport]:
    return (
        scoped(OrgLifeReport.objects.all(), user, VIEW)
        .select_related("branch__area", "gathering")
        .annotate(
            present_count=Count("attendance", filter=Q(attendance__present=True)),
            absent_count=Count("attendance", filter=Q(attendance__present=False)),
        )
        .order_by("-held_on", "-pk")
    )


def get_report_or_404(user, pk) -> OrgLifeReport:
    qs = OrgLifeReport.objects.select_related(
        "branch__area", "branch__parent", "gathering__area", "created_by", "submitted_by", "decided_by"
    )
    return get_scoped_or_404(qs, user, VIEW, pk=pk)


def attendance_of(report: OrgLifeReport) -> QuerySet[ReportAttendance]:
    return report.attendance.select_related("member").order_by("-present", "member__name", "pk")


def appraisals_for(user) -> QuerySet[Appraisal]:
    return (
        scoped(Appraisal.objects.all(), user, VIEW)
        .select_related("member", "branch")
        .order_by("-year", "branch__name", "member__name")
    )


def meetings_for(user) -> QuerySet[Gathering]:
    """Gatherings of organizational life the user may see: the gatherings selector, filtered by kind."""
    return gathering_selectors.list_for(user).filter(kind__in=kinds.CODES)


def worklist(user) -> dict:
    """What awaits the organization above: filed plans and submitted reports the user may decide, oldest
    first (two queries)."""
    plans = (
        OrgLifePlan.objects.filter(Q(state=PlanState.FILED) & rules.reviewer(filer_field="filed_by").q(user))
        .select_related("branch__area")
        .annotate(item_count=Count("items"))
        .order_by("filed_at", "pk")
    )
    reports = (
        OrgLifeReport.objects.filter(
            Q(state=ReportState.SUBMITTED) & rules.reviewer(filer_field="submitted_by").q(user)
        )
        .select_related("branch__area", "gathering")
        .order_by("submitted_at", "pk")
    )
    return {"plans": plans, "reports": reports}


def study_plans() -> QuerySet[StudyPlan]:
    """Study plans with their sessions as every list shows them (`/api/study-plans/`, filtered by
    `filters.StudyPlanFilter`, and the pages of one branch's plan of a year): by year, latest first."""
    sessions = StudySession.objects.select_related("gathering").order_by("planned_on", "pk")
    return (
        StudyPlan.objects.select_related("branch")
        .prefetch_related(Prefetch("sessions", queryset=sessions))
        .order_by("-year", "branch_id", "pk")
    )


def study_plan_of(branch, year: int) -> StudyPlan | None:
    """`branch`'s plan of `year`: `/api/study-plans/?branch=<branch>&year=<year>`, through its FilterSet."""
    from grassroots.core.orglife.filters import StudyPlanFilter

    return StudyPlanFilter({"branch": branch.pk, "year": year}, queryset=study_plans()).qs.first()


def attendees_by_gathering(gathering_ids) -> dict[int, list[str]]:
    """Names of the members present at each gathering (from the reports' attendance): one query."""
    out: dict[int, list[str]] = {}
    rows = (
        ReportAttendance.objects.filter(report__gathering_id__in=list(gathering_ids), present=True)
        .order_by("member__name")
        .values_list("report__gathering_id", "member__name")
    )
    for gathering_id, name in rows:
        out.setdefault(gathering_id, []).append(name)
    return out
