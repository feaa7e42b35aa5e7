"""The filing form (备案单) with its planned gatherings, and the guidance form (指导单) the organization above
answers it with. Both on the workflow mechanism (docs/workflow.md); who may take each step: rules.py."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import transition

from grassroots.areas.models import PartyOrg
from grassroots.core.orglife import kinds, rules
from grassroots.core.orglife.periods import MONTH, QUARTER, Period
from grassroots.workflow.engine import TransitionRefused
from grassroots.workflow.fields import StateField
from grassroots.workflow.models import Notice, WorkflowModel
from grassroots.workflow.permissions import Check, step


class PlanUnit(models.TextChoices):
    MONTH = MONTH, _("月度")
    QUARTER = QUARTER, _("季度")


class PlanState(models.TextChoices):
    DRAFT = "draft", _("草稿")
    FILED = "filed", _("已备案待审核")
    APPROVED = "approved", _("已审核通过")
    RETURNED = "returned", _("已退回")


def _guidance_url(plan) -> str:
    return reverse("orglife:plan_decide", args=[plan.pk])


has_items = Check(lambda plan: plan.items.exists(), _("请至少列出一次计划召开的会议。"))
may_file = rules.branch_side()
may_decide = rules.reviewer(filer_field="filed_by")


class OrgLifePlan(WorkflowModel):
    """A branch's planned organizational life for a month or a quarter ahead (备案单)."""

    branch = models.ForeignKey(
        PartyOrg, verbose_name=_("党支部"), on_delete=models.PROTECT, related_name="orglife_plans"
    )
    period_unit = models.CharField(_("备案周期"), max_length=10, choices=PlanUnit.choices)
    period_start = models.DateField(_("周期开始"))
    note = models.TextField(_("说明"), blank=True)
    state = StateField(
        _("状态"), choices=PlanState.choices, default=PlanState.DRAFT, protected=True, db_index=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("填报人"), on_delete=models.PROTECT, related_name="+"
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    filed_at = models.DateTimeField(_("备案时间"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    state_changed_at = models.DateTimeField(default=timezone.now)
    created_at = models.DateTimeField(auto_now_add=True)

    scope_path = "branch__area__path"
    scope_org = "branch"
    view_permission = "orglife.view"
    start_label = _("起草备案单")
    pending_since = "state_changed_at"
    pending_steps = ("file", "refile", "approve", "return_plan")
    pending_related = ("branch",)
    pending_order = ("state_changed_at", "pk")

    class Meta:
        verbose_name = _("组织生活备案单")
        verbose_name_plural = _("组织生活备案单")
        ordering = ["-period_start", "branch_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["branch", "period_unit", "period_start"], name="orglife_one_plan_per_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.branch.name} · {self.period.label} · {_('备案单')}"

    @property
    def period(self) -> Period:
        return Period(self.period_start, self.period_unit)

    def get_absolute_url(self) -> str:
        return reverse("orglife:plan_detail", args=[self.pk])

    def workflow_notices(self, name, *, actor, comment):
        if name in ("file", "refile"):
            parent = self.branch.parent
            if parent is not None and parent.secretary_id:
                yield Notice(
                    [parent.secretary_id],
                    _("%(branch)s 提交了组织生活备案单，请审核。") % {"branch": self.branch.name},
                )
        elif name in ("approve", "return_plan"):
            verb = (
                _("组织生活备案单已审核通过")
                if name == "approve"
                else _("组织生活备案单被退回，请按指导单修改")
            )
            yield Notice([self.filed_by_id, self.branch.secretary_id], verb)

    # --- transitions --------------------------------------------------------------------------------------
    @transition(
        field=state,
        source=PlanState.DRAFT,
        target=PlanState.FILED,
        permission=may_file,
        conditions=[has_items],
        custom=step(_("提交备案"), icon="send"),
    )
    def file(self, *, actor, comment=""):
        self.filed_by, self.filed_at = actor, timezone.now()
        self.state_changed_at = self.filed_at

    @transition(
        field=state,
        source=PlanState.FILED,
        target=PlanState.APPROVED,
        permission=may_decide,
        custom=step(
            _("审核通过（填写指导单）"), style="success", icon="check-circle", form_url=_guidance_url
        ),
    )
    def approve(self, *, actor, comment=""):
        self._decide(actor, "approve")
        from grassroots.core.orglife.services.bridge import create_planned_gatherings

        create_planned_gatherings(plan=self, actor=actor)

    @transition(
        field=state,
        source=PlanState.FILED,
        target=PlanState.RETURNED,
        permission=may_decide,
        custom=step(_("退回（填写指导单）"), style="outline-danger", icon="x-circle", form_url=_guidance_url),
    )
    def return_plan(self, *, actor, comment=""):
        self._decide(actor, "return")

    @transition(
        field=state,
        source=PlanState.RETURNED,
        target=PlanState.FILED,
        permission=may_file,
        conditions=[has_items],
        custom=step(_("修改后重新备案"), icon="arrow-repeat"),
    )
    def refile(self, *, actor, comment=""):
        self.filed_by, self.filed_at = actor, timezone.now()
        self.state_changed_at = self.filed_at

    def _decide(self, actor, decision: str) -> None:
        """Approving and returning go with a guidance form, written first by services.plans.decide_plan."""
        guidance = getattr(self, "_guidance", None)
        if guidance is None or guidance.decision != decision:
            raise TransitionRefused(_("请先填写指导单。"), code="condition")
        self.decided_by, self.decided_at = actor, timezone.now()
        self.state_changed_at = self.decided_at


class PlannedGathering(models.Model):
    """One gathering listed in a filing form; it becomes a `Gathering` when the plan is approved."""

    plan = models.ForeignKey(OrgLifePlan, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(_("类型"), max_length=40, choices=kinds.choices)
    topic = models.CharField(_("主题"), max_length=200)
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    place = models.CharField(_("地点"), max_length=200, blank=True)
    lecturer = models.CharField(_("主讲人"), max_length=50, blank=True)
    gathering = models.OneToOneField(
        "gatherings.Gathering",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="orglife_planned",
    )

    scope_path = "plan__branch__area__path"

    class Meta:
        verbose_name = _("计划会议")
        verbose_name_plural = _("计划会议")
        ordering = ["starts_at", "pk"]

    def __str__(self) -> str:
        return f"{kinds.label(self.kind)} · {self.topic}"

    @property
    def kind_label(self):
        return kinds.label(self.kind)


class GuidanceDecision(models.TextChoices):
    APPROVE = "approve", _("同意备案")
    RETURN = "return", _("退回修改")


class GuidanceState(models.TextChoices):
    ISSUED = "issued", _("已下发")
    ACKNOWLEDGED = "acknowledged", _("支部已阅")


class OrgLifeGuidance(WorkflowModel):
    """The guidance form (指导单): the organization above answers a filing form with comments and required
    changes, approving or returning it; the branch acknowledges it."""

    plan = models.ForeignKey(OrgLifePlan, on_delete=models.CASCADE, related_name="guidance")
    decision = models.CharField(_("审核意见"), max_length=10, choices=GuidanceDecision.choices)
    comments = models.TextField(_("指导意见"), blank=True)
    required_changes = models.TextField(_("需修改的事项"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("审核人"), on_delete=models.PROTECT, related_name="+"
    )
    author_org = models.ForeignKey(
        PartyOrg,
        verbose_name=_("上级党组织"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    state = StateField(_("状态"), choices=GuidanceState.choices, default=GuidanceState.ISSUED, protected=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    acknowledged_at = models.DateTimeField(_("阅知时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("下发时间"), auto_now_add=True)

    scope_path = "plan__branch__area__path"
    scope_org = "plan__branch"
    view_permission = "orglife.view"
    start_label = _("下发指导单")

    class Meta:
        verbose_name = _("组织生活指导单")
        verbose_name_plural = _("组织生活指导单")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.plan.branch.name} · {_('指导单')}"

    def get_absolute_url(self) -> str:
        return reverse("orglife:plan_detail", args=[self.plan_id]) + f"#guidance-{self.pk}"

    # No pending list of its own: acknowledging guidance is shown on the plan's page, and every model with a
    # pending list costs the home page one query.

    @transition(
        field=state,
        source=GuidanceState.ISSUED,
        target=GuidanceState.ACKNOWLEDGED,
        permission=rules.branch_side("plan__branch"),
        custom=step(_("已阅"), style="outline-success", icon="eye", attachments=False),
    )
    def acknowledge(self, *, actor, comment=""):
        self.acknowledged_by, self.acknowledged_at = actor, timezone.now()
