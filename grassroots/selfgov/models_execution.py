"""Steps 4 and 5 of a livelihood matter: execution supervision and the public evaluation (docs/selfgov.md).

A matter runs in rounds (`Matter.round`): round 1 is the execution the decision adopted; a poor evaluation
(or a street official's reopening) starts the next round, with its own plan of milestones and its own
evaluation.

- `Milestone`: a step of the round's plan with its weight (the weights of a round add up to 100) and planned
  date; done on a date by someone; `alerted_on` once it is overdue (the clock's alert, once per milestone).
- `ProgressUpdate` (with `UpdatePhoto`s), `Spending` (amount, date, note, evidence), `SupervisionCheck` (a
  supervision committee member's finding, with a photo).
- `Supervisor`: the residents' supervision committee (居务监督委员会) of a community, its verified residents.
- `Evaluation`: one round's window of ratings and, once closed, its counts and outcome; `Rating`: one per
  resident and evaluation, unique in the database.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grassroots.areas.models import Area
from grassroots.files.naming import random_name


def _upload(instance, filename: str) -> str:
    return random_name("selfgov", filename)


class Milestone(models.Model):
    matter = models.ForeignKey("selfgov.Matter", on_delete=models.CASCADE, related_name="milestones")
    round = models.PositiveSmallIntegerField(_("轮次"), default=1)
    title = models.CharField(_("节点"), max_length=200)
    weight = models.PositiveSmallIntegerField(
        _("权重"), validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    planned_on = models.DateField(_("计划完成日期"))
    done_on = models.DateField(_("完成日期"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    alerted_on = models.DateField(_("逾期提醒日期"), null=True, blank=True, editable=False)

    scope_path = "matter__area__path"

    class Meta:
        verbose_name = _("执行节点")
        verbose_name_plural = _("执行节点")
        ordering = ["round", "planned_on", "pk"]
        indexes = [models.Index(fields=["done_on", "planned_on"])]

    def __str__(self) -> str:
        return self.title

    @property
    def overdue(self) -> bool:
        return self.done_on is None and self.planned_on < timezone.localdate()


class ProgressUpdate(models.Model):
    matter = models.ForeignKey("selfgov.Matter", on_delete=models.CASCADE, related_name="updates")
    round = models.PositiveSmallIntegerField(_("轮次"), default=1)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("进展情况"), max_length=2000)
    created_at = models.DateTimeField(_("时间"), default=timezone.now)

    scope_path = "matter__area__path"

    class Meta:
        verbose_name = _("执行进展")
        verbose_name_plural = _("执行进展")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.text[:30]


class UpdatePhoto(models.Model):
    update = models.ForeignKey(ProgressUpdate, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(_("照片"), upload_to=_upload, max_length=255)

    scope_path = "update__matter__area__path"

    class Meta:
        verbose_name = _("进展照片")
        verbose_name_plural = _("进展照片")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.image.name


class Spending(models.Model):
    matter = models.ForeignKey("selfgov.Matter", on_delete=models.CASCADE, related_name="spendings")
    amount = models.DecimalField(
        _("金额（元）"), max_digits=12, decimal_places=2, validators=[MinValueValidator(0)]
    )
    spent_on = models.DateField(_("支出日期"))
    note = models.CharField(_("用途"), max_length=200)
    evidence = models.FileField(_("凭证"), upload_to=_upload, max_length=255, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    scope_path = "matter__area__path"

    class Meta:
        verbose_name = _("经费支出")
        verbose_name_plural = _("经费支出")
        ordering = ["-spent_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.note} {self.amount}"


class Supervisor(models.Model):
    """A member of a community's residents' supervision committee (居务监督委员会): a verified resident."""

    community = models.ForeignKey(
        Area, verbose_name=_("社区"), on_delete=models.CASCADE, related_name="selfgov_supervisors"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("成员"), on_delete=models.CASCADE, related_name="+"
    )
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(default=timezone.now)

    scope_path = "community__path"

    class Meta:
        verbose_name = _("居务监督委员会成员")
        verbose_name_plural = _("居务监督委员会成员")
        ordering = ["community", "added_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["community", "user"], name="selfgov_one_seat")]

    def __str__(self) -> str:
        return str(self.user)


class SupervisionCheck(models.Model):
    matter = models.ForeignKey("selfgov.Matter", on_delete=models.CASCADE, related_name="checks")
    supervisor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    finding = models.TextField(_("监督发现"), max_length=2000)
    photo = models.ImageField(_("照片"), upload_to=_upload, max_length=255, blank=True)
    created_at = models.DateTimeField(_("时间"), default=timezone.now)

    scope_path = "matter__area__path"

    class Meta:
        verbose_name = _("监督检查")
        verbose_name_plural = _("监督检查")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.finding[:30]


class RatingLevel(models.TextChoices):
    SATISFIED = "satisfied", _("满意")
    BASIC = "basic", _("基本满意")
    UNSATISFIED = "unsatisfied", _("不满意")


class Evaluation(models.Model):
    """One round's public evaluation: the window, and once closed the counts, the rate and the outcome."""

    matter = models.ForeignKey("selfgov.Matter", on_delete=models.CASCADE, related_name="evaluations")
    round = models.PositiveSmallIntegerField(_("轮次"))
    opens_at = models.DateTimeField(_("评议开始"))
    closes_at = models.DateTimeField(_("评议截止"))
    threshold = models.DecimalField(_("满意率门槛（%）"), max_digits=5, decimal_places=2)
    closed_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    satisfied = models.PositiveIntegerField(_("满意"), default=0)
    basic = models.PositiveIntegerField(_("基本满意"), default=0)
    unsatisfied = models.PositiveIntegerField(_("不满意"), default=0)
    passed = models.BooleanField(_("达到门槛"), null=True)

    scope_path = "matter__area__path"

    class Meta:
        verbose_name = _("公开评议")
        verbose_name_plural = _("公开评议")
        ordering = ["-opens_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["matter", "round"], name="selfgov_one_evaluation")]
        indexes = [models.Index(fields=["closed_at", "closes_at"])]

    def __str__(self) -> str:
        return f"{self.matter_id} · {self.round}"

    @property
    def ratings_count(self) -> int:
        return self.satisfied + self.basic + self.unsatisfied

    def is_open_at(self, now=None) -> bool:
        now = now or timezone.now()
        return self.closed_at is None and self.opens_at <= now < self.closes_at


class Rating(models.Model):
    """A resident's rating of one evaluation round: one per resident and round, enforced by the database."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="ratings")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    level = models.CharField(_("评价"), max_length=20, choices=RatingLevel.choices)
    comment = models.TextField(_("意见"), max_length=1000, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    scope_path = "evaluation__matter__area__path"

    class Meta:
        verbose_name = _("居民评价")
        verbose_name_plural = _("居民评价")
        ordering = ["created_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["evaluation", "user"], name="selfgov_one_rating")]

    def __str__(self) -> str:
        return f"{self.evaluation_id} · {self.user_id}"
