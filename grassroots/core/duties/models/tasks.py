"""Offices, annual task lists and the tasks on them (任务清单)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from grassroots.areas.models import Area, Level
from grassroots.portal.submissions import one_per_submission, submission_field


class OfficeKind(models.TextChoices):
    PARTY_BUILDING = "party_building", _("党建办")
    SERVICES = "services", _("服务办")
    GOVERNANCE = "governance", _("综治办")
    OTHER = "other", _("其他科室")


class Office(models.Model):
    """An office of an area (a street's 党建办, 服务办, 综治办) that owns work items: the tasks its area
    issues and the assignments its area receives."""

    area = models.ForeignKey(
        Area, verbose_name=_("所属区域"), on_delete=models.PROTECT, related_name="offices"
    )
    kind = models.CharField(_("类别"), max_length=20, choices=OfficeKind.choices)
    name = models.CharField(_("名称"), max_length=50)
    retired = models.BooleanField(_("已撤销"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    scope_path = "area__path"

    class Meta:
        verbose_name = _("科室")
        verbose_name_plural = _("科室")
        ordering = ["area__path", "kind", "name"]
        constraints = [models.UniqueConstraint(fields=["area", "name"], name="duties_office_unique_name")]

    def __str__(self) -> str:
        return self.name


class OfficePost(models.TextChoices):
    HEAD = "head", _("主任")
    DEPUTY = "deputy", _("副主任")
    STAFF = "staff", _("工作人员")


class OfficeMember(models.Model):
    """An official of the office's area working in the office (its staff), with their post there. A person
    may work in more than one office; the grant of their role stays as it is (docs/decisions.md)."""

    office = models.ForeignKey(
        Office, verbose_name=_("科室"), on_delete=models.CASCADE, related_name="members"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("人员"),
        on_delete=models.CASCADE,
        related_name="office_posts",
    )
    post = models.CharField(_("职务"), max_length=10, choices=OfficePost.choices, default=OfficePost.STAFF)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    scope_path = "office__area__path"

    class Meta:
        verbose_name = _("科室人员")
        verbose_name_plural = _("科室人员")
        ordering = ["office", "post", "pk"]
        constraints = [models.UniqueConstraint(fields=["office", "user"], name="duties_office_member_once")]

    def __str__(self) -> str:
        return f"{self.office} · {self.user}"


class TaskList(models.Model):
    """The annual task list of one area: the tasks it issues that year. Made empty, or as a copy of last
    year's (its tasks become drafts to review and issue)."""

    area = models.ForeignKey(
        Area, verbose_name=_("区域"), on_delete=models.PROTECT, related_name="task_lists"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    copied_from = models.ForeignKey(
        "self", verbose_name=_("复制自"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    scope_path = "area__path"

    class Meta:
        verbose_name = _("任务清单")
        verbose_name_plural = _("任务清单")
        ordering = ["area__path", "-year"]
        constraints = [models.UniqueConstraint(fields=["area", "year"], name="duties_one_list_a_year")]

    def __str__(self) -> str:
        return _("%(area)s%(year)s年度任务清单") % {"area": self.area.name, "year": self.year}

    def get_absolute_url(self) -> str:
        return reverse("duties:task_list") + f"?area={self.area_id}&year={self.year}"


class DutyTask(models.Model):
    """A task `area` issues to the areas of `target_level` inside its subtree (the city to every street, a
    street to its communities). Issuing it (`services.issue_task`) creates one `DutyAssignment` per target; a
    task without `issued_at` is a draft (e.g. copied from last year's list).

    A street may break a task it received into tasks for its communities: such a task names the street's
    assignment as `parent` (`assignment.children`), and `root` is the top task of the cascade, so "everything
    below the city's task" is one query (`task=root or task__root=root`)."""

    task_list = models.ForeignKey(
        TaskList, verbose_name=_("任务清单"), on_delete=models.PROTECT, related_name="tasks"
    )
    area = models.ForeignKey(
        Area, verbose_name=_("下发单位"), on_delete=models.PROTECT, related_name="duty_tasks"
    )
    title = models.CharField(_("任务名称"), max_length=150)
    description = models.TextField(_("任务内容"), blank=True)
    deadline = models.DateField(_("完成时限"), db_index=True)
    evidence_required = models.TextField(_("佐证材料要求"), blank=True)
    weight = models.DecimalField(_("考核权重"), max_digits=5, decimal_places=2, default=1)
    office = models.ForeignKey(
        Office,
        verbose_name=_("牵头科室"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tasks",
    )
    target_level = models.PositiveSmallIntegerField(_("下发到"), choices=Level.choices)
    affair = models.ForeignKey(
        "admission.AdmittedAffair",
        verbose_name=_("准入事项"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tasks",
    )
    parent = models.ForeignKey(
        "duties.DutyAssignment",
        verbose_name=_("分解自"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    root = models.ForeignKey(
        "self",
        verbose_name=_("源头任务"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="descendants",
    )
    copied_from = models.ForeignKey(
        "self", verbose_name=_("复制自"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("下发人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    issued_at = models.DateTimeField(_("下发时间"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    submission = submission_field()  # the form's token: posted twice, one task (portal/submissions.py)

    scope_path = "area__path"

    class Meta:
        verbose_name = _("任务")
        verbose_name_plural = _("任务")
        ordering = ["deadline", "pk"]
        constraints = [one_per_submission("issued_by", "one_duty_task_per_submission")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("duties:task_detail", args=[self.pk])

    @property
    def is_draft(self) -> bool:
        return self.issued_at is None

    @property
    def year(self) -> int:
        return self.task_list.year

    @property
    def target_level_label(self) -> str:
        return Level(self.target_level).label

    @property
    def cascade_root_id(self) -> int:
        return self.root_id or self.pk
