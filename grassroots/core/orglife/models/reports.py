"""The report form (报告单): after a gathering of organizational life the branch reports what happened
(attendance from its member list, minutes, resolutions, photos on the gathering); the organization above
accepts or returns it. Accepted reports are what compliance (三会一课) counts."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import transition

from grassroots.areas.models import PartyOrg
from grassroots.core.orglife import kinds, rules
from grassroots.portal.submissions import one_per_submission, submission_field
from grassroots.workflow.fields import StateField
from grassroots.workflow.models import Notice, WorkflowModel
from grassroots.workflow.permissions import Check, step


class ReportState(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已报送待审核")
    ACCEPTED = "accepted", _("已审核通过")
    RETURNED = "returned", _("已退回")


def _attendance_taken(report) -> bool:
    return report.attendance.filter(present=True).exists()


attendance_taken = Check(_attendance_taken, _("请先登记出席情况（至少一人出席）。"))
minutes_written = Check(lambda r: bool(r.minutes.strip()), _("请先填写会议记录。"))
may_report = rules.branch_side()
may_review = rules.reviewer(filer_field="submitted_by")
EDITABLE_STATES = (ReportState.DRAFT, ReportState.RETURNED)


class OrgLifeReport(WorkflowModel):
    branch = models.ForeignKey(
        PartyOrg, verbose_name=_("党支部"), on_delete=models.PROTECT, related_name="orglife_reports"
    )
    gathering = models.OneToOneField(
        "gatherings.Gathering",
        verbose_name=_("会议"),
        on_delete=models.PROTECT,
        related_name="orglife_report",
    )
    kind = models.CharField(_("类型"), max_length=40, choices=kinds.choices, db_index=True)
    held_on = models.DateField(_("召开日期"), db_index=True)
    minutes = models.TextField(_("会议记录"), blank=True)
    resolutions = models.TextField(_("决议事项"), blank=True)
    state = StateField(
        _("状态"), choices=ReportState.choices, default=ReportState.DRAFT, protected=True, db_index=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("填报人"), on_delete=models.PROTECT, related_name="+"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("报送时间"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    review_comment = models.TextField(_("审核意见"), blank=True)
    state_changed_at = models.DateTimeField(default=timezone.now)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    scope_path = "branch__area__path"
    scope_org = "branch"
    view_permission = "orglife.view"
    start_label = _("起草报告单")
    pending_since = "state_changed_at"
    pending_steps = ("submit", "resubmit", "accept", "return_report")
    pending_related = ("branch",)
    pending_order = ("state_changed_at", "pk")

    submission = submission_field()  # the form's token: posted twice, one report (portal/submissions.py)

    class Meta:
        verbose_name = _("组织生活报告单")
        verbose_name_plural = _("组织生活报告单")
        ordering = ["-held_on", "-pk"]
        indexes = [models.Index(fields=["branch", "state", "kind", "held_on"], name="orglife_report_compl")]
        constraints = [one_per_submission("created_by", "one_orglife_report_per_submission")]

    def __str__(self) -> str:
        return f"{self.branch.name} · {kinds.label(self.kind)} · {self.held_on:%Y-%m-%d}"

    @property
    def kind_label(self):
        return kinds.label(self.kind)

    @property
    def editable(self) -> bool:
        return self.state in EDITABLE_STATES

    def get_absolute_url(self) -> str:
        return reverse("orglife:report_detail", args=[self.pk])

    def workflow_notices(self, name, *, actor, comment):
        if name in ("submit", "resubmit"):
            parent = self.branch.parent
            if parent is not None and parent.secretary_id:
                yield Notice(
                    [parent.secretary_id],
                    _("%(branch)s 报送了组织生活报告单，请审核。") % {"branch": self.branch.name},
                )
        elif name in ("accept", "return_report"):
            verb = (
                _("组织生活报告单已审核通过")
                if name == "accept"
                else _("组织生活报告单被退回：%(reason)s") % {"reason": comment}
            )
            yield Notice([self.submitted_by_id, self.branch.secretary_id], verb)

    # --- transitions --------------------------------------------------------------------------------------
    @transition(
        field=state,
        source=ReportState.DRAFT,
        target=ReportState.SUBMITTED,
        permission=may_report,
        conditions=[attendance_taken, minutes_written],
        custom=step(_("报送上级"), icon="send"),
    )
    def submit(self, *, actor, comment=""):
        self.submitted_by, self.submitted_at = actor, timezone.now()
        self.state_changed_at = self.submitted_at

    @transition(
        field=state,
        source=ReportState.SUBMITTED,
        target=ReportState.ACCEPTED,
        permission=may_review,
        custom=step(_("审核通过"), style="success", icon="check-circle"),
    )
    def accept(self, *, actor, comment=""):
        self.decided_by, self.decided_at, self.review_comment = actor, timezone.now(), comment
        self.state_changed_at = self.decided_at

    @transition(
        field=state,
        source=ReportState.SUBMITTED,
        target=ReportState.RETURNED,
        permission=may_review,
        custom=step(
            _("退回"),
            style="outline-danger",
            icon="x-circle",
            comment_required=True,
            comment_label=_("退回理由"),
        ),
    )
    def return_report(self, *, actor, comment=""):
        self.decided_by, self.decided_at, self.review_comment = actor, timezone.now(), comment
        self.state_changed_at = self.decided_at

    @transition(
        field=state,
        source=ReportState.RETURNED,
        target=ReportState.SUBMITTED,
        permission=may_report,
        conditions=[attendance_taken, minutes_written],
        custom=step(_("修改后重新报送"), icon="arrow-repeat"),
    )
    def resubmit(self, *, actor, comment=""):
        self.submitted_by, self.submitted_at = actor, timezone.now()
        self.state_changed_at = self.submitted_at


class ReportAttendance(models.Model):
    """A member of the branch at a reported gathering: present, or absent with a reason. Members with a
    platform account are also marked on the gathering's attendance sheet (which gives study hours)."""

    report = models.ForeignKey(OrgLifeReport, on_delete=models.CASCADE, related_name="attendance")
    member = models.ForeignKey("members.Member", on_delete=models.CASCADE, related_name="+")
    present = models.BooleanField(_("出席"))
    absence_reason = models.CharField(_("缺席原因"), max_length=200, blank=True)

    scope_path = "report__branch__area__path"

    class Meta:
        verbose_name = _("出席情况")
        verbose_name_plural = _("出席情况")
        ordering = ["member__name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["report", "member"], name="orglife_one_mark_per_member")
        ]

    def __str__(self) -> str:
        return f"{self.report} · {self.member}"
