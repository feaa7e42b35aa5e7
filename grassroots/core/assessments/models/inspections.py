"""Inspections (工作督察): an inspection of an area (or one of its Party organizations) records findings; each
finding is a rectification item with an owner and a deadline: rectifying → rectified (with evidence) →
verified, or sent back to rectifying."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import transition

from grassroots.access.scoping import scope_q
from grassroots.areas.models import Area, PartyOrg
from grassroots.core.assessments.rules import is_owner, may_verify_finding
from grassroots.portal.submissions import one_per_submission, submission_field
from grassroots.workflow.fields import StateField
from grassroots.workflow.models import Notice, WorkflowModel
from grassroots.workflow.permissions import step


class Inspection(models.Model):
    title = models.CharField(_("督察事项"), max_length=200)
    area = models.ForeignKey(
        Area, verbose_name=_("督察对象（区域）"), on_delete=models.PROTECT, related_name="+"
    )
    party_org = models.ForeignKey(
        PartyOrg,
        verbose_name=_("督察对象（党组织）"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    by_area = models.ForeignKey(
        Area,
        verbose_name=_("督察单位（层级）"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("组织督察的区域；由它验收整改"),
    )
    inspected_on = models.DateField(_("督察日期"), db_index=True)
    inspectors = models.CharField(_("督察组成员"), max_length=300, blank=True)
    led_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("带队人"), on_delete=models.PROTECT, related_name="+"
    )
    summary = models.TextField(_("督察情况"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    scope_path = "area__path"
    scope_org = "party_org"

    submission = submission_field()  # the form's token: posted twice, one inspection (portal/submissions.py)

    class Meta:
        verbose_name = _("工作督察")
        verbose_name_plural = _("工作督察")
        ordering = ["-inspected_on", "-pk"]
        constraints = [one_per_submission("led_by", "one_inspection_per_submission")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("assessments:inspection_detail", args=[self.pk])


class FindingState(models.TextChoices):
    RECTIFYING = "rectifying", _("整改中")
    RECTIFIED = "rectified", _("已整改待验收")
    VERIFIED = "verified", _("已验收销号")


class Finding(WorkflowModel):
    inspection = models.ForeignKey(
        Inspection, verbose_name=_("督察"), on_delete=models.CASCADE, related_name="findings"
    )
    area = models.ForeignKey(Area, verbose_name=_("所在区域"), on_delete=models.PROTECT, related_name="+")
    description = models.TextField(_("发现的问题"))
    requirement = models.TextField(_("整改要求"), blank=True)
    standard_item = models.ForeignKey(
        "documents.Item",
        verbose_name=_("对照标准条目"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("该问题不符合的党建工作指导标准条目"),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("整改责任人"), on_delete=models.PROTECT, related_name="+"
    )
    deadline = models.DateField(_("整改期限"), db_index=True)
    state = StateField(
        _("状态"),
        choices=FindingState.choices,
        default=FindingState.RECTIFYING,
        protected=True,
        db_index=True,
    )
    rectification = models.TextField(_("整改情况"), blank=True)
    rectified_at = models.DateTimeField(_("报告整改时间"), null=True, blank=True)
    verified_at = models.DateTimeField(_("验收时间"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("验收人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    sent_back_count = models.PositiveSmallIntegerField(_("退回次数"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    scope_path = "area__path"
    view_permission = "assessments.view"
    start_label = _("列入整改")
    pending_since = "updated_at"
    pending_steps = ("report_rectified", "verify", "send_back")
    pending_related = ("area",)
    pending_order = ("updated_at", "pk")

    class Meta:
        verbose_name = _("督察问题")
        verbose_name_plural = _("督察问题")
        ordering = ["deadline", "pk"]
        indexes = [models.Index(fields=["state", "deadline"], name="assess_finding_state_due")]

    def __str__(self) -> str:
        return self.description[:40]

    def get_absolute_url(self) -> str:
        return reverse("assessments:finding_detail", args=[self.pk])

    @staticmethod
    def overdue_q(prefix: str = "") -> Q:
        """THE definition of overdue: still being rectified (no rectification reported) after the deadline
        day. Due today is not overdue yet; reported and waiting for verification is not overdue. `prefix`
        reaches findings from another model ("findings__")."""
        return Q(**{f"{prefix}state": FindingState.RECTIFYING, f"{prefix}deadline__lt": timezone.localdate()})

    @property
    def overdue(self) -> bool:
        """overdue_q for this row (tests/assessments/test_overdue.py keeps the two in step)."""
        return self.state == FindingState.RECTIFYING and self.deadline < timezone.localdate()

    # --- transitions ----------------------------------------------------------------------------------------
    @transition(
        field=state,
        source=FindingState.RECTIFYING,
        target=FindingState.RECTIFIED,
        permission=is_owner,
        custom=step(
            _("报告整改完成"),
            style="success",
            icon="check2-circle",
            comment_required=True,
            comment_label=_("整改情况（附上整改材料）"),
        ),
    )
    def report_rectified(self, *, actor, comment=""):
        self.rectification, self.rectified_at = comment, timezone.now()

    @transition(
        field=state,
        source=FindingState.RECTIFIED,
        target=FindingState.VERIFIED,
        permission=may_verify_finding,
        custom=step(_("验收销号"), style="success", icon="patch-check"),
    )
    def verify(self, *, actor, comment=""):
        self.verified_at, self.verified_by = timezone.now(), actor

    @transition(
        field=state,
        source=FindingState.RECTIFIED,
        target=FindingState.RECTIFYING,
        permission=may_verify_finding,
        custom=step(
            _("退回重新整改"),
            style="outline-danger",
            icon="arrow-return-left",
            comment_required=True,
            comment_label=_("退回理由"),
        ),
    )
    def send_back(self, *, actor, comment=""):
        self.sent_back_count += 1

    # --- workflow hooks -------------------------------------------------------------------------------------
    @classmethod
    def visible_to(cls, user) -> models.QuerySet:
        """assessments.view on the finding's area (or secretary of the inspected organization, or above it),
        and the owner."""
        if user is None or not user.is_authenticated:
            return cls.objects.none()
        q = scope_q(user, cls.view_permission, "area__path", org_field="inspection__party_org") | models.Q(
            owner=user
        )
        return cls.objects.filter(q)

    def pending_title(self) -> str:
        return str(_("整改：%(what)s（%(area)s）") % {"what": self.description[:30], "area": self.area.name})

    def pending_subject(self) -> str:
        return str(_("整改：%(what)s") % {"what": self.description[:40]})

    def pending_deadline(self):
        return self.deadline

    def workflow_notices(self, name: str, *, actor, comment: str):
        what = {"what": self.description[:30], "due": self.deadline.isoformat()}
        if name == "start":
            return [Notice([self.owner], _("督察发现问题需要您整改：%(what)s（期限 %(due)s）") % what)]
        if name == "report_rectified":
            inspection = self.inspection
            return [Notice([inspection.led_by_id], _("问题“%(what)s”已报告整改完成，请验收。") % what)]
        if name == "verify":
            return [Notice([self.owner], _("问题“%(what)s”的整改已验收销号。") % what)]
        if name == "send_back":
            verb = _("问题“%(what)s”的整改被退回：%(reason)s") % {**what, "reason": comment}
            return [Notice([self.owner], verb)]
        return []
