"""Reads of work reports: the scoped list with its filters, one report, the reviewer's worklist, the choices
of the review form, and whether a user may see a report's scores before they are published."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404

from grassroots.accounts.roles import OFFICIALS
from grassroots.areas.models import PartyOrg
from grassroots.areas.subtree import ancestor_paths
from grassroots.core.assessments.models import ReportState, ReviewScore, WorkReport
from grassroots.core.assessments.rules import may_organize_review
from grassroots.gatherings.models import Gathering, Status


def reports_for(user) -> QuerySet[WorkReport]:
    """The reports the user may see; filters.WorkReportFilter narrows the list."""
    queryset = WorkReport.visible_to(user).select_related("party_org", "area", "reviewing_area", "reporter")
    return queryset.order_by("-year", "area__path", "pk")


def report_or_404(user, pk) -> WorkReport:
    queryset = WorkReport.visible_to(user).select_related(
        "party_org", "area", "reviewing_area", "reporter", "review_meeting"
    )
    try:
        return queryset.get(pk=pk)
    except (WorkReport.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def can_see_scores(user, report: WorkReport) -> bool:
    """Published results are public inside the scope; before that only the organizers see them."""
    return report.state == ReportState.PUBLISHED or may_organize_review(report, user)


def review_rows(report: WorkReport) -> list[ReviewScore]:
    return list(report.scores.select_related("reviewer").order_by("pk"))


def my_review(user, report: WorkReport) -> ReviewScore | None:
    return ReviewScore.objects.filter(report=report, reviewer=user).first()


@dataclass
class Worklist:
    to_score: list = field(default_factory=list)  # ReviewScore rows awaiting my score
    to_organize: list = field(default_factory=list)  # submitted reports I may put to review
    to_publish: list = field(default_factory=list)  # scored reports I may publish
    mine: list = field(default_factory=list)  # my own reports
    to_write: list = field(default_factory=list)  # organizations I am secretary of with no report this year

    @property
    def empty(self) -> bool:
        return not (self.to_score or self.to_organize or self.to_publish or self.mine or self.to_write)


def worklist(user, year: int, limit: int = 100) -> Worklist:
    """What the user must do about work reports: five short lists, one query each."""
    result = Worklist()
    result.to_score = list(
        ReviewScore.objects.filter(reviewer=user, score__isnull=True, report__state=ReportState.UNDER_REVIEW)
        .select_related("report", "report__party_org", "report__review_meeting")
        .order_by("report__updated_at")[:limit]
    )
    organize = (
        WorkReport.objects.filter(may_organize_review.q(user))
        .select_related("party_org", "area")
        .order_by("updated_at", "pk")
    )
    result.to_organize = list(organize.filter(state=ReportState.SUBMITTED)[:limit])
    result.to_publish = list(organize.filter(state=ReportState.SCORED)[:limit])
    result.mine = list(
        WorkReport.objects.filter(reporter=user).select_related("party_org").order_by("-year", "pk")[:limit]
    )
    has_report = WorkReport.objects.filter(party_org=OuterRef("pk"), year=year)
    result.to_write = list(
        PartyOrg.objects.filter(secretary=user, retired=False, area__depth__gt=1)
        .filter(~Exists(has_report))
        .select_related("area")
        .order_by("area__path")[:limit]
    )
    return result


def meeting_choices(report: WorkReport) -> QuerySet[Gathering]:
    """Review meetings a report may be reviewed at: of the report's area or above it, not cancelled."""
    paths = ancestor_paths(report.area.path)
    return (
        Gathering.objects.filter(kind="review_meeting", area__path__in=paths)
        .exclude(status=Status.CANCELLED)
        .select_related("area")
        .order_by("-starts_at")
    )


def reviewer_choices(report: WorkReport, roles=OFFICIALS) -> QuerySet:
    """People who may be named reviewers: active holders of a grant (of `roles`: the page offers officials;
    None: any role, as the service accepts a delegate such as the auditor) in the reviewing area or above it,
    not the reporter."""
    paths = ancestor_paths(report.reviewing_area.path)
    held = {"grants__role__in": roles} if roles is not None else {}
    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            grants__area__path__in=paths,
            grants__area__retired=False,
            **held,
        )
        .exclude(pk=report.reporter_id)
        .distinct()
        .order_by("full_name", "username")
    )
