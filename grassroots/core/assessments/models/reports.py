"""Work reports (党建述职评议): every year the secretary of each Party organization reports to the level
above; reviewers score the report at a review meeting; the average gives the grade; the result is published
inside the scope. draft → submitted → under review → scored → published (submitted → draft when returned)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import transition

from grassroots.access.scoping import scope_q
from grassroots.areas.models import Area, PartyOrg
from grassroots.areas.subtree import ancestor_paths
from grassroots.core.assessments.rules import MANAGE, is_reporter, may_conclude, may_organize_review
from grassroots.workflow.engine import TransitionRefused
from grassroots.workflow.fields import StateField
from grassroots.workflow.models import Notice, WorkflowModel
from grassroots.workflow.permissions import Check, step


class ReportState(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已提交")
    UNDER_REVIEW = "under_review", _("评议中")
    SCORED = "scored", _("已评分")
    PUBLISHED = "published", _("已公布")


class Grade(models.TextChoices):
    GOOD = "good", _("好")
    FAIRLY_GOOD = "fairly_good", _("较好")
    AVERAGE = "average", _("一般")
    POOR = "poor", _("差")


DEFAULT_GRADE_THRESHOLDS = {"good": 90, "fairly_good": 80, "average": 60}


def grade_for(score: Decimal | None) -> str:
    """The grade of an average score (0–100) by the thresholds in `settings.WORK_REPORT_GRADE_THRESHOLDS`
    (the lowest score of 好, 较好 and 一般; below 一般 is 差)."""
    if score is None:
        return ""
    thresholds = {**DEFAULT_GRADE_THRESHOLDS, **getattr(settings, "WORK_REPORT_GRADE_THRESHOLDS", {})}
    for grade in (Grade.GOOD, Grade.FAIRLY_GOOD, Grade.AVERAGE):
        if score >= Decimal(str(thresholds[grade.value])):
            return grade.value
    return Grade.POOR.value


def average_of(scores) -> Decimal | None:
    values = [Decimal(s) for s in scores if s is not None]
    if not values:
        return None
    return (sum(values) / len(values)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _has_content(report) -> bool:
    return bool((report.content or "").strip())


def _has_scores(report) -> bool:
    return report.scores.filter(score__isnull=False).exists()


class WorkReport(WorkflowModel):
    party_org = models.ForeignKey(
        PartyOrg, verbose_name=_("党组织"), on_delete=models.PROTECT, related_name="work_reports"
    )
    area = models.ForeignKey(Area, verbose_name=_("所在区域"), on_delete=models.PROTECT, related_name="+")
    reviewing_area = models.ForeignKey(
        Area,
        verbose_name=_("评议层级"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("向其述职的上一级区域"),
    )
    year = models.PositiveSmallIntegerField(_("年度"), db_index=True)
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("述职人"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("标题"), max_length=200)
    content = models.TextField(_("述职内容"), blank=True)
    state = StateField(
        _("状态"), choices=ReportState.choices, default=ReportState.DRAFT, protected=True, db_index=True
    )
    review_meeting = models.ForeignKey(
        "gatherings.Gathering",
        verbose_name=_("述职评议会"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    average_score = models.DecimalField(_("平均分"), max_digits=5, decimal_places=2, null=True, blank=True)
    grade = models.CharField(_("等次"), max_length=20, choices=Grade.choices, blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    scored_at = models.DateTimeField(_("评分完成时间"), null=True, blank=True)
    published_at = models.DateTimeField(_("公布时间"), null=True, blank=True)
    return_reason = models.TextField(_("退回理由"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    scope_path = "area__path"
    scope_org = "party_org"
    view_permission = "assessments.view"
    start_label = _("起草述职报告")
    pending_since = "updated_at"
    pending_steps = ("submit", "send_back", "start_review", "publish")  # conclude: see pending_q
    pending_related = ("party_org",)
    pending_order = ("updated_at", "pk")

    class Meta:
        verbose_name = _("党建述职")
        verbose_name_plural = _("党建述职")
        ordering = ["-year", "area__path", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["party_org", "year"],
                name="one_work_report_per_org_and_year",
                violation_error_message=_("该党组织本年度已有述职报告。"),
            )
        ]
        indexes = [models.Index(fields=["year", "state"], name="assess_report_year_state")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("assessments:report_detail", args=[self.pk])

    @property
    def results_public(self) -> bool:
        return self.state == ReportState.PUBLISHED

    # --- transitions ----------------------------------------------------------------------------------------
    @transition(
        field=state,
        source=ReportState.DRAFT,
        target=ReportState.SUBMITTED,
        permission=is_reporter,
        conditions=[Check(_has_content, _("请先填写述职内容。"))],
        custom=step(_("提交述职"), icon="send", comment_label=_("附言")),
    )
    def submit(self, *, actor, comment=""):
        self.submitted_at, self.return_reason = timezone.now(), ""

    @transition(
        field=state,
        source=ReportState.SUBMITTED,
        target=ReportState.DRAFT,
        permission=may_organize_review,
        custom=step(
            _("退回修改"),
            style="outline-danger",
            icon="arrow-return-left",
            comment_required=True,
            comment_label=_("退回理由"),
            attachments=False,
        ),
    )
    def send_back(self, *, actor, comment=""):
        self.return_reason = comment

    @transition(
        field=state,
        source=ReportState.SUBMITTED,
        target=ReportState.UNDER_REVIEW,
        permission=may_organize_review,
        custom=step(
            _("组织评议"),
            icon="people",
            form_url=lambda report: reverse("assessments:report_start_review", args=[report.pk]),
        ),
    )
    def start_review(self, *, actor, comment=""):
        if not self.scores.exists():
            raise TransitionRefused(_("请至少指定一名评议人。"), code="condition")

    @transition(
        field=state,
        source=ReportState.UNDER_REVIEW,
        target=ReportState.SCORED,
        permission=may_conclude,
        conditions=[Check(_has_scores, _("还没有评议人打分。"))],
        custom=step(_("结束评分"), style="success", icon="check2-square", attachments=False),
    )
    def conclude(self, *, actor, comment=""):
        self.average_score = average_of(self.scores.values_list("score", flat=True))
        self.grade = grade_for(self.average_score)
        self.scored_at = timezone.now()

    @transition(
        field=state,
        source=ReportState.SCORED,
        target=ReportState.PUBLISHED,
        permission=may_organize_review,
        custom=step(_("公布结果"), style="success", icon="megaphone", attachments=False),
    )
    def publish(self, *, actor, comment=""):
        self.published_at = timezone.now()

    # --- workflow hooks -------------------------------------------------------------------------------------
    @classmethod
    def visible_to(cls, user) -> models.QuerySet:
        """Whoever holds assessments.view on the organization's area (or is secretary of it or of an
        organization above it), the reporter, and the reviewers named for it."""
        if user is None or not user.is_authenticated:
            return cls.objects.none()
        q = (
            scope_q(user, cls.view_permission, "area__path", org_field="party_org")
            | models.Q(reporter=user)
            | models.Q(pk__in=ReviewScore.objects.filter(reviewer=user).values("report_id"))
        )
        return cls.objects.filter(q)

    @classmethod
    def pending_q(cls, user) -> models.Q:
        """The steps, and the reviews awaiting the user's own score (scoring is no transition)."""
        unscored = ReviewScore.objects.filter(reviewer=user, score__isnull=True).values("report_id")
        return super().pending_q(user) | models.Q(state=ReportState.UNDER_REVIEW, pk__in=unscored)

    def pending_title(self) -> str:
        return str(_("述职：%(org)s（%(year)s 年度）") % {"org": self.party_org.name, "year": self.year})

    def organizers(self) -> models.QuerySet:
        """Active users holding assessments.manage on the reviewing area (a grant on it or above it)."""
        from grassroots.accounts.roles import roles_with

        paths = ancestor_paths(self.reviewing_area.path)
        return (
            get_user_model()
            .objects.filter(
                is_active=True,
                grants__role__in=roles_with(MANAGE),
                grants__area__path__in=paths,
                grants__area__retired=False,
            )
            .distinct()
        )

    def workflow_notices(self, name: str, *, actor, comment: str):
        names = {"org": self.party_org.name, "year": self.year}
        if name == "submit":
            return [
                Notice(self.organizers(), _("%(org)s 提交了 %(year)s 年度述职报告，请组织评议。") % names)
            ]
        if name == "send_back":
            verb = _("您的 %(year)s 年度述职报告被退回修改：%(reason)s") % {**names, "reason": comment}
            return [Notice([self.reporter], verb)]
        if name == "start_review":
            reviewers = get_user_model().objects.filter(pk__in=self.scores.values("reviewer_id"))
            verb = _("请为 %(org)s 的 %(year)s 年度述职评分。") % names
            return [Notice(reviewers, verb)]
        if name == "conclude":
            return [
                Notice(self.organizers(), _("%(org)s 的 %(year)s 年度述职评分已完成，可以公布。") % names)
            ]
        if name == "publish":
            return [Notice([self.reporter], _("您的 %(year)s 年度述职评议结果已公布。") % names)]
        return []


class ReviewScore(models.Model):
    """One reviewer's score (0–100) of one report. The row exists from the moment the reviewer is named;
    `score` stays empty until they score."""

    report = models.ForeignKey(WorkReport, on_delete=models.CASCADE, related_name="scores")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("评议人"), on_delete=models.PROTECT, related_name="+"
    )
    score = models.DecimalField(
        _("评分"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    comment = models.TextField(_("评语"), blank=True)
    scored_at = models.DateTimeField(_("评分时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("述职评分")
        verbose_name_plural = _("述职评分")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["report", "reviewer"], name="one_score_per_reviewer"),
            models.CheckConstraint(
                condition=models.Q(score__isnull=True) | models.Q(score__gte=0, score__lte=100),
                name="review_score_0_100",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.report} · {self.reviewer}"
