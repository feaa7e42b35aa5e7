"""`DutyAssignment`: one target's share of a task, moving issued → accepted → in progress → submitted →
approved, or returned with a reason (→ in progress → resubmitted). Overdue is derived (deadline passed, not
approved), never stored: see `overdue_q`."""

from __future__ import annotations

from datetime import date

from django.contrib.auth import get_user_model
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import transition

from grassroots.areas.models import Area
from grassroots.core.duties.models.tasks import DutyTask, Office
from grassroots.core.duties.rules import CHECKER_ROLES, DOER_ROLES, checker, doer
from grassroots.workflow.fields import StateField
from grassroots.workflow.models import Notice, WorkflowModel
from grassroots.workflow.permissions import Check, step


class AssignmentState(models.TextChoices):
    ISSUED = "issued", _("待接收")
    ACCEPTED = "accepted", _("已接收")
    IN_PROGRESS = "in_progress", _("办理中")
    SUBMITTED = "submitted", _("待审核")
    APPROVED = "approved", _("已完成")
    RETURNED = "returned", _("已退回")


# States in which the target still has to act (reminders and "what I must do").
OPEN_STATES = (
    AssignmentState.ISSUED,
    AssignmentState.ACCEPTED,
    AssignmentState.IN_PROGRESS,
    AssignmentState.RETURNED,
)


# Every state but approved: the assignment still counts against its deadline.
NOT_DONE_STATES = (*OPEN_STATES, AssignmentState.SUBMITTED)


def overdue_q(today: date | None = None, prefix: str = "") -> models.Q:
    """Assignments past their deadline and not approved (the deadline day itself is still in time). Written
    with `state__in` rather than a negation, so that it also works inside an aggregate's `filter=` across a
    relation (`prefix="assignments__"`, deadline then read from the task itself with `deadline_field`)."""
    today = today or timezone.localdate()
    return models.Q(**{f"{prefix}task__deadline__lt": today, f"{prefix}state__in": NOT_DONE_STATES})


def on_time_q(prefix: str = "") -> models.Q:
    """Assignments approved on a submission made on or before the deadline."""
    return models.Q(
        **{
            f"{prefix}state": AssignmentState.APPROVED,
            f"{prefix}completed_on__lte": models.F(f"{prefix}task__deadline"),
        }
    )


first_submission = Check(lambda a: a.returned_count == 0, _("该任务曾被退回，请使用“重新提交”。"))
after_return = Check(lambda a: a.returned_count > 0, _("该任务尚未被退回过，请使用“提交”。"))


class DutyAssignment(WorkflowModel):
    """The share of `task` that target `area` must do. Done by the target's own officials (`rules.doer`),
    checked by the issuing area's officials (`rules.checker`). Evidence is the submission's text
    (`evidence`, also the step's comment) and the files attached to the submit step."""

    task = models.ForeignKey(
        DutyTask, verbose_name=_("任务"), on_delete=models.PROTECT, related_name="assignments"
    )
    area = models.ForeignKey(
        Area, verbose_name=_("承办单位"), on_delete=models.PROTECT, related_name="duty_assignments"
    )
    office = models.ForeignKey(
        Office,
        verbose_name=_("承办科室"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assignments",
    )
    state = StateField(
        _("状态"),
        choices=AssignmentState.choices,
        default=AssignmentState.ISSUED,
        protected=True,
        db_index=True,
    )
    accepted_at = models.DateTimeField(_("接收时间"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    approved_at = models.DateTimeField(_("审核通过时间"), null=True, blank=True)
    completed_on = models.DateField(
        _("完成日期"), null=True, blank=True, help_text=_("审核通过的那次提交的日期")
    )
    evidence = models.TextField(_("完成情况"), blank=True)
    return_reason = models.TextField(_("退回理由"), blank=True)
    returned_count = models.PositiveSmallIntegerField(_("退回次数"), default=0)
    reminded_for = models.DateField(null=True, blank=True, editable=False)
    overdue_notified_for = models.DateField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("下发时间"), default=timezone.now)

    scope_path = "area__path"
    view_permission = "duties.view"
    start_label = _("下发")
    pending_since = "waiting_since"
    pending_steps = ("accept", "begin", "submit", "resubmit", "rework", "approve", "send_back")
    pending_related = ("task", "area")
    pending_order = ("task__deadline", "pk")

    class Meta:
        verbose_name = _("任务承办")
        verbose_name_plural = _("任务承办")
        ordering = ["task__deadline", "area__path"]
        constraints = [
            models.UniqueConstraint(fields=["task", "area"], name="duties_one_assignment_per_target")
        ]
        indexes = [models.Index(fields=["area", "state"], name="duties_assignment_area_state")]

    def __str__(self) -> str:
        return f"{self.task.title} · {self.area.name}"

    def get_absolute_url(self) -> str:
        return reverse("duties:assignment_detail", args=[self.pk])

    def is_overdue(self, today: date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.state != AssignmentState.APPROVED and self.task.deadline < today

    @property
    def overdue(self) -> bool:
        return self.is_overdue()

    @property
    def on_time(self) -> bool:
        return self.state == AssignmentState.APPROVED and self.completed_on <= self.task.deadline

    # --- transitions ----------------------------------------------------------------------------------------
    @transition(
        field=state,
        source=AssignmentState.ISSUED,
        target=AssignmentState.ACCEPTED,
        permission=doer,
        custom=step(_("接收任务"), icon="inbox", attachments=False),
    )
    def accept(self, *, actor, comment=""):
        self.accepted_at = timezone.now()

    @transition(
        field=state,
        source=AssignmentState.ACCEPTED,
        target=AssignmentState.IN_PROGRESS,
        permission=doer,
        custom=step(_("开始办理"), icon="play-circle", attachments=False),
    )
    def begin(self, *, actor, comment=""):
        pass

    @transition(
        field=state,
        source=AssignmentState.IN_PROGRESS,
        target=AssignmentState.SUBMITTED,
        permission=doer,
        conditions=[first_submission],
        custom=step(
            _("提交完成情况"),
            style="success",
            icon="send",
            comment_required=True,
            comment_label=_("完成情况（佐证说明）"),
        ),
    )
    def submit(self, *, actor, comment=""):
        self._submitted(comment)

    @transition(
        field=state,
        source=AssignmentState.IN_PROGRESS,
        target=AssignmentState.SUBMITTED,
        permission=doer,
        conditions=[after_return],
        custom=step(
            _("重新提交"),
            style="success",
            icon="send",
            comment_required=True,
            comment_label=_("整改后的完成情况（佐证说明）"),
        ),
    )
    def resubmit(self, *, actor, comment=""):
        self._submitted(comment)

    @transition(
        field=state,
        source=AssignmentState.SUBMITTED,
        target=AssignmentState.APPROVED,
        permission=checker,
        custom=step(_("审核通过"), style="success", icon="check-circle", comment_label=_("审核意见")),
    )
    def approve(self, *, actor, comment=""):
        self.approved_at = timezone.now()
        self.completed_on = (
            timezone.localdate(self.submitted_at) if self.submitted_at else timezone.localdate()
        )

    @transition(
        field=state,
        source=AssignmentState.SUBMITTED,
        target=AssignmentState.RETURNED,
        permission=checker,
        custom=step(
            _("退回"),
            style="outline-danger",
            icon="arrow-return-left",
            comment_required=True,
            comment_label=_("退回理由"),
        ),
    )
    def send_back(self, *, actor, comment=""):
        self.return_reason = comment
        self.returned_count += 1

    @transition(
        field=state,
        source=AssignmentState.RETURNED,
        target=AssignmentState.IN_PROGRESS,
        permission=doer,
        custom=step(_("重新办理"), icon="arrow-repeat", attachments=False),
    )
    def rework(self, *, actor, comment=""):
        pass

    def _submitted(self, comment: str) -> None:
        self.submitted_at = timezone.now()
        self.evidence = comment

    # --- workflow hooks -------------------------------------------------------------------------------------
    @classmethod
    def pending_for(cls, user) -> models.QuerySet:
        """What the user must do (open assignments of their areas) and check (submissions to their area), of
        issued tasks only."""
        return super().pending_for(user).filter(task__issued_at__isnull=False)

    @property
    def waiting_since(self):
        if self.state == AssignmentState.SUBMITTED and self.submitted_at:
            return self.submitted_at
        return self.created_at

    def pending_title(self) -> str:
        return str(
            _("任务：%(title)s（%(area)s，%(deadline)s 前）")
            % {"title": self.task.title, "area": self.area.name, "deadline": self.task.deadline.isoformat()}
        )

    def pending_subject(self) -> str:
        return str(_("任务：%(title)s") % {"title": self.task.title})

    def pending_deadline(self):
        return self.task.deadline

    def doers(self) -> models.QuerySet:
        return users_acting_on([self.area_id], DOER_ROLES)

    def checkers(self) -> models.QuerySet:
        return users_acting_on([self.task.area_id], CHECKER_ROLES)

    def workflow_notices(self, name: str, *, actor, comment: str):
        values = {"title": self.task.title, "area": self.area.name}
        if name in ("submit", "resubmit"):
            verb = _("%(area)s提交了任务“%(title)s”的完成情况，请审核。")
            return [Notice(self.checkers(), verb % values)]
        if name == "approve":
            return [Notice(self.doers(), _("任务“%(title)s”已审核通过。") % values)]
        if name == "send_back":
            verb = _("任务“%(title)s”被退回：%(reason)s")
            return [Notice(self.doers(), verb % {**values, "reason": comment})]
        return []


def users_acting_on(area_ids, roles) -> models.QuerySet:
    """Active users holding one of `roles` directly on one of the areas."""
    return (
        get_user_model()
        .objects.filter(is_active=True, grants__area_id__in=list(area_ids), grants__role__in=list(roles))
        .distinct()
    )
