"""Work reports (党建述职评议): write, submit, organize the review at a review meeting, score, publish.
Submitting, sending back, concluding and publishing are workflow transitions
(`grassroots.workflow.services.transition(report, "submit" | "send_back" | "conclude" | "publish", …)`); the
steps that need more than a comment are here."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from grassroots.access.scoping import has_perm
from grassroots.areas.models import PartyOrg
from grassroots.areas.subtree import lies_under
from grassroots.core.assessments.models import ReportState, ReviewScore, WorkReport
from grassroots.core.assessments.rules import MANAGE, may_organize_review
from grassroots.core.assessments.selectors.reports import reviewer_choices
from grassroots.core.assessments.services._common import parent_area
from grassroots.gatherings.models import Gathering, Status
from grassroots.workflow import services as workflow

REVIEW_MEETING_KIND = "review_meeting"


def may_write_for(user, party_org: PartyOrg) -> bool:
    """The organization's secretary, or an official who may organize reviews on its area."""
    return party_org.secretary_id == user.pk or has_perm(user, MANAGE, party_org.area)


@transaction.atomic
def create_report(*, actor, party_org: PartyOrg, year: int, title: str = "", content: str = "") -> WorkReport:
    """Start the year's report of `party_org` (a draft). The reporter is the organization's secretary (or
    the actor when it has none); it goes to the level above the organization's area."""
    if party_org.retired:
        raise ValidationError({"party_org": _("该党组织已撤销。")})
    if not may_write_for(actor, party_org):
        raise PermissionDenied(_("只有该党组织的书记或上级组织可以起草述职报告。"))
    reviewing = parent_area(party_org.area)
    if reviewing is None:
        raise ValidationError({"party_org": _("该党组织没有上一级区域，无需在本平台述职。")})
    if WorkReport.objects.filter(party_org=party_org, year=year).exists():
        raise ValidationError({"year": _("该党组织本年度已有述职报告。")})
    report = WorkReport(
        party_org=party_org,
        area=party_org.area,
        reviewing_area=reviewing,
        year=year,
        reporter_id=party_org.secretary_id or actor.pk,
        title=(title or "").strip()
        or _("%(org)s %(year)s 年度党建工作述职") % {"org": party_org.name, "year": year},
        content=content or "",
    )
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError as exc:
        raise ValidationError({"year": _("该党组织本年度已有述职报告。")}) from exc
    workflow.start(report, actor=actor)
    return report


@transaction.atomic
def update_report(*, actor, report: WorkReport, title: str, content: str) -> WorkReport:
    """The reporter edits the draft (also after it was sent back)."""
    report = WorkReport.objects.select_for_update().get(pk=report.pk)
    if report.reporter_id != actor.pk:
        raise PermissionDenied(_("只有述职人可以修改述职报告。"))
    if report.state != ReportState.DRAFT:
        raise ValidationError(_("述职报告已提交，不能再修改。"))
    if not (title or "").strip():
        raise ValidationError({"title": _("请填写标题。")})
    report.title, report.content = title.strip(), content or ""
    report.save(update_fields=["title", "content", "updated_at"])
    return report


@transaction.atomic
def start_review(*, actor, report: WorkReport, meeting: Gathering, reviewers: Iterable) -> WorkReport:
    """Name the review meeting and the reviewers, and move the report to 评议中 (reviewers are notified)."""
    report = WorkReport.objects.select_for_update().select_related("reviewing_area", "area").get(pk=report.pk)
    if not may_organize_review(report, actor):
        raise PermissionDenied(_("只有上一级组织可以组织评议。"))
    errors = {}
    if meeting is None or meeting.kind != REVIEW_MEETING_KIND:
        errors["meeting"] = _("请选择一场述职评议会。")
    elif meeting.status == Status.CANCELLED:
        errors["meeting"] = _("该评议会已取消。")
    elif not lies_under(report.area.path, meeting.area.path):
        errors["meeting"] = _("评议会须由述职组织所在区域或其上级区域召开。")
    people = list({r.pk: r for r in reviewers if r is not None}.values())
    if not people:
        errors["reviewers"] = _("请至少指定一名评议人。")
    elif any(p.pk == report.reporter_id for p in people):
        errors["reviewers"] = _("述职人不能评议自己的述职。")
    elif any(not p.is_active for p in people):
        errors["reviewers"] = _("评议人中有已停用的账号。")
    elif len(people) != reviewer_choices(report, roles=None).filter(pk__in=[p.pk for p in people]).count():
        # the API took any account id: a reviewer of another area would have scored this area's report
        errors["reviewers"] = _("评议人须在评议组织所在区域或其上级区域任职。")
    if errors:
        raise ValidationError(errors)
    report.review_meeting = meeting
    report.scores.all().delete()
    ReviewScore.objects.bulk_create(ReviewScore(report=report, reviewer=p) for p in people)
    workflow.transition(report, "start_review", actor=actor)
    return report


def _parse_score(value) -> Decimal:
    try:
        score = Decimal(str(value)).quantize(Decimal("0.1"))
    except (InvalidOperation, ValueError) as exc:
        raise ValidationError({"score": _("请输入 0–100 之间的分数。")}) from exc
    if not Decimal(0) <= score <= Decimal(100):
        raise ValidationError({"score": _("请输入 0–100 之间的分数。")})
    return score


@transaction.atomic
def score_report(*, reviewer, report: WorkReport, score, comment: str = "") -> ReviewScore:
    """A named reviewer scores the report (0–100; again to correct it while the review lasts). The last
    missing score concludes the review: the average and the grade are set and the organizers notified."""
    report = WorkReport.objects.select_for_update().select_related("reviewing_area").get(pk=report.pk)
    row = ReviewScore.objects.filter(report=report, reviewer=reviewer).first()
    if row is None:
        raise PermissionDenied(_("您不是这份述职的评议人。"))
    if report.state != ReportState.UNDER_REVIEW:
        raise ValidationError(_("这份述职不在评议中，不能评分。"))
    row.score, row.comment, row.scored_at = _parse_score(score), (comment or "").strip(), timezone.now()
    row.save(update_fields=["score", "comment", "scored_at"])
    if not report.scores.filter(score__isnull=True).exists():
        workflow.transition(report, "conclude", actor=reviewer)
    return row
