"""Assessments (考核): a scheme per year and level (e.g. a street assessing its communities in 2025) with
weighted items, each computed from what the platform holds (a figure provider, see `figures.py`) or scored
by hand with a reason. `compute_scheme` fills one `Assessment` per target area with one `AssessmentScore`
per item, the total and the ranks (among peers: same level, same parent area)."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from grassroots.areas.models import Area, Level, PartyOrg
from grassroots.portal.submissions import one_per_submission, submission_field


class ComputeStatus(models.TextChoices):
    IDLE = "idle", _("未计算")
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("计算中")
    DONE = "done", _("已计算")
    FAILED = "failed", _("计算出错")


class AssessmentScheme(models.Model):
    name = models.CharField(_("方案名称"), max_length=200)
    year = models.PositiveSmallIntegerField(_("年度"), db_index=True)
    area = models.ForeignKey(
        Area,
        verbose_name=_("考核单位"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("组织考核的区域；考核对象是它下面某一层级的全部区域"),
    )
    level = models.PositiveSmallIntegerField(_("考核对象层级"), choices=Level.choices)
    description = models.TextField(_("说明"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("创建人"), on_delete=models.PROTECT, related_name="+"
    )
    compute_status = models.CharField(
        _("计算状态"), max_length=10, choices=ComputeStatus.choices, default=ComputeStatus.IDLE
    )
    compute_error = models.TextField(_("计算错误"), blank=True)
    computed_at = models.DateTimeField(_("计算时间"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    scope_path = "area__path"

    class Meta:
        verbose_name = _("考核方案")
        verbose_name_plural = _("考核方案")
        ordering = ["-year", "area__path", "level"]
        constraints = [
            models.UniqueConstraint(
                fields=["area", "year", "level"],
                name="one_scheme_per_area_year_level",
                violation_error_message=_("该单位本年度对这一层级已有考核方案。"),
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("assessments:scheme_detail", args=[self.pk])

    @property
    def level_label(self) -> str:
        return Level(self.level).label


class Method(models.TextChoices):
    COMPUTED = "computed", _("平台数据自动计算")
    MANUAL = "manual", _("人工评分")


class AssessmentItem(models.Model):
    scheme = models.ForeignKey(AssessmentScheme, on_delete=models.CASCADE, related_name="items")
    name = models.CharField(_("考核项目"), max_length=200)
    weight = models.DecimalField(_("分值"), max_digits=6, decimal_places=2, validators=[MinValueValidator(0)])
    method = models.CharField(_("评分方式"), max_length=10, choices=Method.choices)
    provider = models.CharField(_("数据来源"), max_length=60, blank=True)
    description = models.TextField(_("评分标准"), blank=True)
    standard_item = models.ForeignKey(
        "documents.Item",
        verbose_name=_("对照标准条目"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    position = models.PositiveSmallIntegerField(_("顺序"), default=0)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submission = submission_field()  # the form's token: posted twice, one item (portal/submissions.py)

    class Meta:
        verbose_name = _("考核项目")
        verbose_name_plural = _("考核项目")
        ordering = ["position", "pk"]
        constraints = [
            one_per_submission("created_by", "one_assessment_item_per_submission"),
            models.CheckConstraint(
                condition=models.Q(method="manual", provider="")
                | (models.Q(method="computed") & ~models.Q(provider="")),
                name="assessment_item_provider_iff_computed",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def provider_label(self) -> str:
        from grassroots.figures.registry import provider_label

        return provider_label(self.provider) if self.provider else ""


class Assessment(models.Model):
    """One target's result in one scheme: the area (and its leading Party organization), the total and the
    ranks. `peer_group` is the parent area's path: peers are the targets of the same parent."""

    scheme = models.ForeignKey(AssessmentScheme, on_delete=models.CASCADE, related_name="assessments")
    area = models.ForeignKey(Area, verbose_name=_("考核对象"), on_delete=models.PROTECT, related_name="+")
    party_org = models.ForeignKey(
        PartyOrg,
        verbose_name=_("党组织"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    peer_group = models.CharField(max_length=255, db_index=True)
    total = models.DecimalField(_("总分"), max_digits=7, decimal_places=2, null=True, blank=True)
    max_total = models.DecimalField(_("有数据项目的满分"), max_digits=7, decimal_places=2, default=0)
    rank_in_peers = models.PositiveIntegerField(_("同级排名"), null=True, blank=True)
    peers = models.PositiveIntegerField(_("同级数量"), default=0)
    rank = models.PositiveIntegerField(_("总排名"), null=True, blank=True)
    computed_at = models.DateTimeField(_("计算时间"), null=True, blank=True)

    scope_path = "area__path"
    scope_org = "party_org"

    class Meta:
        verbose_name = _("考核结果")
        verbose_name_plural = _("考核结果")
        ordering = ["scheme", "rank", "area__path"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "area"], name="one_assessment_per_scheme_and_area")
        ]

    def __str__(self) -> str:
        return f"{self.scheme} · {self.area}"

    def get_absolute_url(self) -> str:
        return reverse("assessments:assessment_detail", args=[self.pk])


class ScoreSource(models.TextChoices):
    COMPUTED = "computed", _("自动计算")
    MANUAL = "manual", _("人工评分")
    MISSING = "missing", _("暂无数据")


class AssessmentScore(models.Model):
    """One item of one assessment: the figure the provider gave (a rate 0–1), the points it earns (weight ×
    rate), its evidence (a line of text and a link), or the points given by hand with the reason."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="scores")
    item = models.ForeignKey(AssessmentItem, on_delete=models.CASCADE, related_name="scores")
    figure = models.DecimalField(_("指标值"), max_digits=7, decimal_places=4, null=True, blank=True)
    score = models.DecimalField(_("得分"), max_digits=6, decimal_places=2, null=True, blank=True)
    source = models.CharField(
        _("来源"), max_length=10, choices=ScoreSource.choices, default=ScoreSource.MISSING
    )
    detail = models.CharField(_("依据"), max_length=300, blank=True)
    evidence_url = models.CharField(_("依据链接"), max_length=500, blank=True)
    reason = models.TextField(_("评分理由"), blank=True)
    scored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("评分人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    scored_at = models.DateTimeField(_("评分时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("考核得分")
        verbose_name_plural = _("考核得分")
        ordering = ["item__position", "item_id"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "item"], name="one_score_per_assessment_item"),
            models.CheckConstraint(
                condition=~models.Q(source="manual") | ~models.Q(reason=""),
                name="manual_score_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assessment} · {self.item}"
