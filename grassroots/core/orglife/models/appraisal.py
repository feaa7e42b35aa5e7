"""Democratic appraisal of members (民主评议党员) at the annual organizational life meeting, the "two
studies, one action" (两学一做) study plan of a branch, and the proof that a reminder was sent."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from grassroots.areas.models import PartyOrg


class Grade(models.TextChoices):
    EXCELLENT = "excellent", _("优秀")
    QUALIFIED = "qualified", _("合格")
    BASIC = "basic", _("基本合格")
    UNQUALIFIED = "unqualified", _("不合格")


class Appraisal(models.Model):
    """A member's grade for one year, recorded at the branch's organizational life meeting."""

    member = models.ForeignKey(
        "members.Member", verbose_name=_("党员"), on_delete=models.CASCADE, related_name="+"
    )
    branch = models.ForeignKey(PartyOrg, verbose_name=_("党支部"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("年度"))
    grade = models.CharField(_("评议等次"), max_length=12, choices=Grade.choices)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    report = models.ForeignKey(
        "orglife.OrgLifeReport",
        verbose_name=_("组织生活会"),
        on_delete=models.PROTECT,
        related_name="appraisals",
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now=True)

    scope_path = "branch__area__path"
    scope_org = "branch"

    class Meta:
        verbose_name = _("民主评议")
        verbose_name_plural = _("民主评议")
        ordering = ["-year", "branch_id", "member__name"]
        constraints = [
            models.UniqueConstraint(fields=["member", "year"], name="orglife_one_appraisal_a_year")
        ]

    def __str__(self) -> str:
        return f"{self.year} · {self.member} · {self.get_grade_display()}"


class StudyPlan(models.Model):
    """A branch's "two studies, one action" study plan for a year; its sessions are gatherings."""

    branch = models.ForeignKey(PartyOrg, verbose_name=_("党支部"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("年度"))
    title = models.CharField(_("名称"), max_length=200)
    content = models.TextField(_("学习内容与安排"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    scope_path = "branch__area__path"
    scope_org = "branch"

    class Meta:
        verbose_name = _("“两学一做”学习计划")
        verbose_name_plural = _("“两学一做”学习计划")
        ordering = ["-year", "branch_id"]
        constraints = [
            models.UniqueConstraint(fields=["branch", "year"], name="orglife_one_study_plan_a_year")
        ]

    def __str__(self) -> str:
        return self.title


class StudySession(models.Model):
    """One session of a study plan: a topic, linked to the gathering where it was studied."""

    plan = models.ForeignKey(StudyPlan, on_delete=models.CASCADE, related_name="sessions")
    topic = models.CharField(_("学习专题"), max_length=200)
    planned_on = models.DateField(_("计划日期"))
    gathering = models.ForeignKey(
        "gatherings.Gathering",
        verbose_name=_("学习会议"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    scope_path = "plan__branch__area__path"

    class Meta:
        verbose_name = _("学习专题")
        verbose_name_plural = _("学习专题")
        ordering = ["planned_on", "pk"]

    def __str__(self) -> str:
        return self.topic


class OrgLifeReminder(models.Model):
    """Proof that a branch was reminded of a required gathering of `kind` not yet held in the period starting
    `period_start`: the reminder task sends each one once, however often it runs."""

    branch = models.ForeignKey(PartyOrg, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=40)
    period_start = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("组织生活提醒")
        verbose_name_plural = _("组织生活提醒")
        constraints = [
            models.UniqueConstraint(fields=["branch", "kind", "period_start"], name="orglife_remind_once")
        ]

    def __str__(self) -> str:
        return f"{self.branch_id} · {self.kind} · {self.period_start}"
