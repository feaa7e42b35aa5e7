"""Selection campaigns (评选): model integrity communities (廉洁示范社区), integrity stars (廉洁模范之星)
and any selection an organization defines (civilised family, best volunteer …).

A campaign of an area moves nomination (提名) → qualification review (资格审查) → public vote (群众投票,
a `voting.Vote` whose options are the qualified nominations) → publicity (公示, on the clock) → awarded
(已评定).
During the publicity anyone verified may raise an `Objection`; each must be answered before the award.
Nominations carry materials (`NominationMaterial`, checked uploads served only by a scoped view)."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grassroots.areas.models import Area, PartyOrg
from grassroots.files.naming import RandomName
from grassroots.portal.submissions import one_per_submission, submission_field

PUBLICITY_DAYS = 5  # 公示期不少于五个工作日 is the common rule; five days by default and at least


class CampaignKind(models.TextChoices):
    INTEGRITY_COMMUNITY = "integrity_community", _("廉洁示范社区")
    INTEGRITY_STAR = "integrity_star", _("廉洁模范之星")
    OTHER = "other", _("其他评选")


class CampaignStatus(models.TextChoices):
    NOMINATING = "nominating", _("提名中")
    REVIEWING = "reviewing", _("资格审查")
    VOTING = "voting", _("群众投票")
    PUBLICITY = "publicity", _("公示中")
    AWARDED = "awarded", _("已评定")
    CANCELLED = "cancelled", _("已取消")


class Campaign(models.Model):
    area = models.ForeignKey(Area, verbose_name=_("评选范围"), on_delete=models.PROTECT, related_name="+")
    organization = models.ForeignKey(
        PartyOrg,
        verbose_name=_("主办组织"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField(_("评选类型"), max_length=30, choices=CampaignKind.choices)
    title = models.CharField(_("评选名称"), max_length=200)
    description = models.TextField(_("评选说明"), blank=True)
    places = models.PositiveSmallIntegerField(_("评选名额"), validators=[MinValueValidator(1)])
    votes_per_voter = models.PositiveSmallIntegerField(
        _("每人可投票数"), default=1, validators=[MinValueValidator(1)]
    )
    nominations_close_at = models.DateTimeField(_("提名截止时间"))
    publicity_days = models.PositiveSmallIntegerField(
        _("公示天数"), default=PUBLICITY_DAYS, validators=[MinValueValidator(PUBLICITY_DAYS)]
    )
    status = models.CharField(
        _("状态"), max_length=20, choices=CampaignStatus.choices, default=CampaignStatus.NOMINATING
    )
    vote = models.OneToOneField(
        "voting.Vote",
        verbose_name=_("群众投票"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="campaign",
    )
    publicity_starts_at = models.DateTimeField(_("公示开始时间"), null=True, blank=True)
    publicity_ends_at = models.DateTimeField(_("公示结束时间"), null=True, blank=True)
    awarded_at = models.DateTimeField(_("评定时间"), null=True, blank=True)
    awarded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("评定人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发起人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("发起时间"), auto_now_add=True)
    submission = submission_field()  # the form's token: posted twice, one campaign (portal/submissions.py)
    cancelled_at = models.DateTimeField(_("取消时间"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("取消人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    cancel_reason = models.TextField(_("取消原因"), blank=True)

    scope_path = "area__path"

    class Meta:
        verbose_name = _("评选活动")
        verbose_name_plural = _("评选活动")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(publicity_days__gte=PUBLICITY_DAYS), name="virtue_campaign_publicity_days"
            ),
            one_per_submission("created_by", "one_campaign_per_submission"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("virtue:campaign_detail", args=[self.pk])

    @property
    def finished(self) -> bool:
        return self.status in (CampaignStatus.AWARDED, CampaignStatus.CANCELLED)


class NominationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("待审查")
    QUALIFIED = "qualified", _("资格审查通过")
    REJECTED = "rejected", _("未通过资格审查")
    WITHDRAWN = "withdrawn", _("已撤回")


class Nomination(models.Model):
    campaign = models.ForeignKey(
        Campaign, verbose_name=_("评选活动"), on_delete=models.CASCADE, related_name="nominations"
    )
    nominee = models.CharField(_("被提名人或集体"), max_length=100)
    # the community nominated (廉洁示范社区), or the resident nominated, when there is one
    nominee_area = models.ForeignKey(
        Area, verbose_name=_("被提名区域"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    nominee_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("被提名居民"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reason = models.TextField(_("推荐理由和事迹"))
    # who put the nomination forward: a Party organization (chosen by someone who acts for it: virtue.manage
    # on its area, the area inside the campaign's) or a verified resident of the area
    nominating_org = models.ForeignKey(
        PartyOrg,
        verbose_name=_("提名单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # the name typed before nominations named a Party organization (kept as entered; empty on new rows)
    nominating_org_name = models.CharField(_("提名单位（原填写）"), max_length=150, blank=True)
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("提名人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    nominated_at = models.DateTimeField(_("提名时间"), auto_now_add=True)
    status = models.CharField(
        _("审查结果"), max_length=20, choices=NominationStatus.choices, default=NominationStatus.SUBMITTED
    )
    review_reason = models.TextField(_("审查意见"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审查人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("审查时间"), null=True, blank=True)
    # set when the vote opens: the candidate's number and the vote's option; the votes once it is counted
    number = models.PositiveSmallIntegerField(_("候选编号"), null=True, blank=True)
    option = models.OneToOneField(
        "voting.Option",
        verbose_name=_("投票选项"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="nomination",
    )
    votes = models.PositiveIntegerField(_("得票数"), null=True, blank=True)
    winner = models.BooleanField(_("拟评定"), default=False)
    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)

    scope_path = "campaign__area__path"

    class Meta:
        verbose_name = _("评选提名")
        verbose_name_plural = _("评选提名")
        ordering = ["campaign", "number", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "nominee_area"],
                condition=Q(nominee_area__isnull=False) & ~Q(status="withdrawn"),
                name="virtue_nomination_area_once",
            ),
            models.UniqueConstraint(
                fields=["campaign", "nominee_user"],
                condition=Q(nominee_user__isnull=False) & ~Q(status="withdrawn"),
                name="virtue_nomination_user_once",
            ),
            models.UniqueConstraint(
                fields=["campaign", "number"],
                condition=Q(number__isnull=False),
                name="virtue_nomination_number_once",
            ),
        ]

    def __str__(self) -> str:
        return self.nominee

    def get_absolute_url(self) -> str:
        return reverse("virtue:nomination_detail", args=[self.pk])

    @property
    def nominating_unit(self) -> str:
        """提名单位 as shown: the organization's name, or the name typed on a nomination made before."""
        if self.nominating_org_id:
            return self.nominating_org.name
        return self.nominating_org_name

    @property
    def label(self) -> str:
        """The vote's option: the number keeps two nominees of one name apart."""
        return f"{self.number}号 {self.nominee}" if self.number else self.nominee


class NominationMaterial(models.Model):
    """A file of a nomination (deeds, certificates, photos): checked by its content, stored under an
    unguessable name, served only by `virtue:nomination_material` after the campaign's scope check."""

    nomination = models.ForeignKey(
        Nomination, verbose_name=_("评选提名"), on_delete=models.CASCADE, related_name="materials"
    )
    file = models.FileField(_("材料"), upload_to=RandomName("virtue"))
    name = models.CharField(_("文件名"), max_length=200)
    size = models.PositiveIntegerField(_("大小"), default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    scope_path = "nomination__campaign__area__path"

    class Meta:
        verbose_name = _("提名材料")
        verbose_name_plural = _("提名材料")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("virtue:nomination_material", args=[self.nomination_id, self.pk])


class Objection(models.Model):
    """An objection raised during the publicity (公示异议); the award waits until every one is answered."""

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("评选活动"), on_delete=models.CASCADE, related_name="objections"
    )
    nomination = models.ForeignKey(
        Nomination,
        verbose_name=_("异议对象"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="objections",
    )
    text = models.TextField(_("异议内容"))
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("异议人"), on_delete=models.PROTECT, related_name="+"
    )
    raised_at = models.DateTimeField(_("提出时间"), default=timezone.now)  # the service's `now`
    answer = models.TextField(_("答复"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("答复人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)

    scope_path = "campaign__area__path"

    class Meta:
        verbose_name = _("公示异议")
        verbose_name_plural = _("公示异议")
        ordering = ["raised_at", "pk"]

    def __str__(self) -> str:
        return self.text[:30]

    def get_absolute_url(self) -> str:
        return reverse("virtue:campaign_detail", args=[self.campaign_id]) + f"#objection-{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.answered_at is None
