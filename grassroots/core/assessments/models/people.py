"""People's assessments: stationed agencies (派驻机构) with the street Party committee's review of their
heads, and residents' ratings of the cadres and grid workers serving their grid (网格化干部考察延伸制)."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from grassroots.areas.models import Area
from grassroots.core.assessments.models.reports import Grade


class StationedAgency(models.Model):
    """An agency stationed in a street (police station, market supervision office, …) and its head."""

    street = models.ForeignKey(
        Area, verbose_name=_("所在街道（乡镇）"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("机构名称"), max_length=150)
    department = models.CharField(_("派出部门"), max_length=150, blank=True)
    head = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("负责人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="headed_agencies",
    )
    active = models.BooleanField(_("在驻"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    scope_path = "street__path"

    class Meta:
        verbose_name = _("派驻机构")
        verbose_name_plural = _("派驻机构")
        ordering = ["street__path", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["street", "name"],
                name="unique_agency_name_per_street",
                violation_error_message=_("该街道已有同名派驻机构。"),
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("assessments:agency_detail", args=[self.pk])


class AgencyHeadReview(models.Model):
    """The street Party committee's review of an agency's head for a year: a score (0–100) and comments.
    It is a line of the head's personnel assessment."""

    agency = models.ForeignKey(
        StationedAgency, verbose_name=_("派驻机构"), on_delete=models.CASCADE, related_name="reviews"
    )
    head = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("负责人"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("考评年度"))
    score = models.DecimalField(
        _("评分"),
        max_digits=5,
        decimal_places=1,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    grade = models.CharField(_("等次"), max_length=20, choices=Grade.choices, blank=True)  # by the score
    comments = models.TextField(_("考评意见"))
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("考评人"), on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("考评时间"), auto_now=True)

    scope_path = "agency__street__path"

    class Meta:
        verbose_name = _("派驻机构负责人考评")
        verbose_name_plural = _("派驻机构负责人考评")
        ordering = ["-year", "agency__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "head", "year"],
                name="one_agency_review_per_head_and_year",
                violation_error_message=_("该负责人本年度已有考评。"),
            ),
            models.CheckConstraint(
                condition=models.Q(score__gte=0, score__lte=100), name="agency_score_0_100"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agency} · {self.head} · {self.year}"


class GridRating(models.Model):
    """A verified resident's rating (1–5 stars) of a cadre or grid worker serving their grid, for a year
    (the period); one per resident, worker and year (rating again changes it)."""

    resident = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("居民"), on_delete=models.CASCADE, related_name="+"
    )
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("网格干部"),
        on_delete=models.CASCADE,
        related_name="grid_ratings",
    )
    grid = models.ForeignKey(Area, verbose_name=_("网格"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("评价年度"))
    score = models.PositiveSmallIntegerField(
        _("评分（1–5 星）"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.CharField(_("评价"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    scope_path = "grid__path"

    class Meta:
        verbose_name = _("网格干部评价")
        verbose_name_plural = _("网格干部评价")
        ordering = ["-updated_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["resident", "worker", "year"], name="one_rating_per_resident_worker_year"
            ),
            models.CheckConstraint(condition=models.Q(score__gte=1, score__lte=5), name="grid_rating_1_5"),
        ]
        indexes = [models.Index(fields=["worker", "year"], name="assess_rating_worker_year")]

    def __str__(self) -> str:
        return f"{self.resident} → {self.worker}: {self.score}"


class CadreScore(models.Model):
    """A cadre's or grid worker's grid cadre score (网格干部考察得分) for a year, in one street: the task
    figures of the grids they serve in that street and verified residents' ratings of them, combined by
    `services.cadres.combine` (docs/assessments.md); ranked among the street's cadres (peers). Written by
    `services.cadres.compute_cadre_scores`, never by hand."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("网格干部"),
        on_delete=models.CASCADE,
        related_name="cadre_scores",
    )
    year = models.PositiveSmallIntegerField(_("考察年度"))
    street = models.ForeignKey(
        Area, verbose_name=_("所在街道（乡镇）"), on_delete=models.PROTECT, related_name="+"
    )
    grids = models.ManyToManyField(Area, verbose_name=_("服务网格"), related_name="+")
    tasks_total = models.PositiveIntegerField(_("网格任务数"), default=0)
    tasks_approved = models.PositiveIntegerField(_("已完成任务"), default=0)
    tasks_on_time = models.PositiveIntegerField(_("按期完成任务"), default=0)
    task_rate = models.DecimalField(_("任务得分率"), max_digits=5, decimal_places=4, null=True, blank=True)
    rating = models.DecimalField(_("居民评价（星）"), max_digits=3, decimal_places=2, null=True, blank=True)
    ratings = models.PositiveIntegerField(_("评价人数"), default=0)
    score = models.DecimalField(_("考察得分"), max_digits=5, decimal_places=1, null=True, blank=True)
    rank_in_peers = models.PositiveIntegerField(_("街道内排名"), null=True, blank=True)
    peers = models.PositiveIntegerField(_("参与排名人数"), default=0)
    computed_at = models.DateTimeField(_("计算时间"))

    # What a computation writes (its figures, ranks and time), named once for the service's bulk_update and
    # the API's read-only fields.
    COMPUTED = (
        "tasks_total",
        "tasks_approved",
        "tasks_on_time",
        "task_rate",
        "rating",
        "ratings",
        "score",
        "rank_in_peers",
        "peers",
        "computed_at",
    )

    scope_path = "street__path"

    class Meta:
        verbose_name = _("网格干部考察得分")
        verbose_name_plural = _("网格干部考察得分")
        ordering = ["street__path", "rank_in_peers", "person__full_name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "year", "street"], name="one_cadre_score_per_person_year_street"
            )
        ]
        indexes = [models.Index(fields=["street", "year"], name="assess_cadre_street_year")]

    def __str__(self) -> str:
        return f"{self.person} · {self.year}"

    @property
    def rating_percent(self):
        return None if self.rating is None else (self.rating / 5 * 100).quantize(Decimal("0.1"))

    @property
    def task_percent(self):
        return None if self.task_rate is None else (self.task_rate * 100).quantize(Decimal("0.1"))
