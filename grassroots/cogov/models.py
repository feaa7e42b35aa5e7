"""共治: the “1+N” co-governance mechanism (docs/cogov.md). The 1 is the street's or community's Party
organization; the N are the partners (resident units and social organizations, `Partner`, with the resources
they offer) and the volunteers (`Volunteer`). Co-building agreements (`Agreement`, with each side's
`Commitment`s) bind a Party organization and a partner for a term.

One register of organizations: a partner that is also an emerging-sector entity of coverage links that
entity (`Partner.entity`, one partner per entity), and its Party organization (`Partner.party_org`, one
partner per organization) is the unit that registers with communities in dual registration — the partner's
page shows the roles it plays from those links, never a second copy (docs/decisions.md)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grassroots.accounts.fields import EncryptedPhoneField
from grassroots.accounts.pii import phone_hash
from grassroots.areas.models import Area, PartyOrg
from grassroots.files.naming import RandomName
from grassroots.portal.submissions import one_per_submission, submission_field

# An agreement is reminded of (and listed as 即将到期) this many days before it ends.
EXPIRY_NOTICE_DAYS = 30


class PartnerKind(models.TextChoices):
    GOVERNMENT = "government", _("党政机关")
    INSTITUTION = "institution", _("事业单位")
    STATE_ENTERPRISE = "state_enterprise", _("国有企业")
    SCHOOL = "school", _("学校")
    HOSPITAL = "hospital", _("医院")
    ENTERPRISE = "enterprise", _("非公有制企业")
    SOCIAL_ORG = "social_org", _("社会组织")
    OTHER = "other", _("其他单位")


# coverage.EntityKind → the partner kind of a partner made from that entity
FROM_ENTITY_KIND = {
    "enterprise": PartnerKind.ENTERPRISE,
    "social_org": PartnerKind.SOCIAL_ORG,
    "building": PartnerKind.OTHER,
    "resettlement": PartnerKind.OTHER,
}


class Partner(models.Model):
    """A resident unit (驻区单位) or social organization taking part in co-governance: one record however
    many communities it serves."""

    name = models.CharField(_("单位名称"), max_length=150)
    kind = models.CharField(_("单位类型"), max_length=20, choices=PartnerKind.choices, db_index=True)
    area = models.ForeignKey(Area, verbose_name=_("所在区域"), on_delete=models.PROTECT, related_name="+")
    address = models.CharField(_("地址"), max_length=200, blank=True)
    entity = models.OneToOneField(
        "coverage.Entity",
        verbose_name=_("对应新兴领域单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="partner",
        help_text=_("该单位已登记为新兴领域单位时选择它，名称和所在区域随之而定。"),
    )
    party_org = models.OneToOneField(
        PartyOrg,
        verbose_name=_("单位党组织"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="partner",
        help_text=_("该单位的党组织（也是它到社区双报到的组织）。"),
    )
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    # Asked for the office phone, but it may be the contact person's own mobile (and a person's data request
    # finds partners by it: cogov/privacy.py): encrypted at rest like every phone, found by its keyed hash.
    contact_phone = EncryptedPhoneField(
        _("联系电话"), max_length=30, blank=True, help_text=_("单位办公电话，不填个人手机号。")
    )
    contact_phone_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    representatives = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("单位代表"),
        blank=True,
        related_name="represented_partners",
        help_text=_("持有账号的单位代表：可查看本单位的共建事项，维护本单位可提供的资源。"),
    )
    note = models.TextField(_("备注"), blank=True)
    retired = models.BooleanField(_("已退出"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    scope_path = "area__path"
    scope_partner = "pk"

    class Meta:
        verbose_name = _("共建单位")
        verbose_name_plural = _("共建单位")
        ordering = ["area__path", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["name", "area"],
                name="cogov_one_partner_per_name_and_area",
                violation_error_message=_("该区域已有同名的共建单位。"),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.contact_phone_hash = phone_hash(self.contact_phone)
        if kwargs.get("update_fields") is not None and "contact_phone" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "contact_phone_hash"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("cogov:partner_detail", args=[self.pk])


class ResourceKind(models.TextChoices):
    VENUE = "venue", _("场地")
    VOLUNTEERS = "volunteers", _("志愿者")
    FUNDS = "funds", _("资金")
    PROFESSIONAL = "professional", _("专业服务")
    GOODS = "goods", _("物资")
    OTHER = "other", _("其他")


class Resource(models.Model):
    """What a partner can offer: a tag (kind and name) with a quantity and its unit."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="resources")
    kind = models.CharField(_("资源类型"), max_length=20, choices=ResourceKind.choices)
    name = models.CharField(_("资源名称"), max_length=60)
    quantity = models.DecimalField(_("数量"), max_digits=10, decimal_places=1)
    unit = models.CharField(_("单位"), max_length=10, blank=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)

    scope_path = "partner__area__path"
    scope_partner = "partner"

    class Meta:
        verbose_name = _("可提供资源")
        verbose_name_plural = _("可提供资源")
        ordering = ["kind", "name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["partner", "kind", "name"],
                name="cogov_one_resource_per_tag",
                violation_error_message=_("该单位已登记这项资源，请修改其数量。"),
            ),
            models.CheckConstraint(
                condition=models.Q(quantity__gt=0), name="cogov_resource_quantity_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} {Decimal(self.quantity).normalize():f}{self.unit}"


class Availability(models.TextChoices):
    WEEKDAY = "weekday", _("工作日白天")
    EVENING = "evening", _("工作日晚上")
    WEEKEND = "weekend", _("周末")
    HOLIDAY = "holiday", _("节假日")


class Volunteer(models.Model):
    """A resident or Party member signed up as a volunteer of a community, with skills and availability.
    `hours` is their service time, kept by the volunteer activities (a later step of docs/cogov.md)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("志愿者"), on_delete=models.CASCADE, related_name="volunteer"
    )
    area = models.ForeignKey(Area, verbose_name=_("服务社区"), on_delete=models.PROTECT, related_name="+")
    skills = models.JSONField(_("技能特长"), default=list, blank=True)
    availability = models.JSONField(_("可服务时间"), default=list, blank=True)
    hours = models.DecimalField(_("服务时长（小时）"), max_digits=8, decimal_places=1, default=0)
    active = models.BooleanField(_("在册"), default=True)
    signed_up_at = models.DateTimeField(_("登记时间"), default=timezone.now)
    signed_up_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    scope_path = "area__path"

    class Meta:
        verbose_name = _("志愿者")
        verbose_name_plural = _("志愿者")
        ordering = ["area__path", "-signed_up_at", "pk"]

    def __str__(self) -> str:
        return self.user.get_full_name() or self.user.username

    def get_availability_display(self) -> str:
        labels = dict(Availability.choices)
        return "、".join(str(labels.get(a, a)) for a in self.availability)


class AgreementStatus(models.TextChoices):
    UPCOMING = "upcoming", _("未生效")
    ACTIVE = "active", _("履行中")
    EXPIRING = "expiring", _("即将到期")
    ENDED = "ended", _("已结束")


class AgreementQuerySet(models.QuerySet):
    def with_status(self, status: str, today: date | None = None):
        today = today or timezone.localdate()
        soon = today + timedelta(days=EXPIRY_NOTICE_DAYS)
        live = models.Q(terminated_on__isnull=True) & models.Q(ends_on__gte=today)
        if status == AgreementStatus.UPCOMING:
            return self.filter(live, starts_on__gt=today)
        if status == AgreementStatus.ACTIVE:
            return self.filter(live, starts_on__lte=today, ends_on__gt=soon)
        if status == AgreementStatus.EXPIRING:
            return self.filter(live, starts_on__lte=today, ends_on__lte=soon)
        if status == AgreementStatus.ENDED:
            return self.exclude(live)
        return self


class Agreement(models.Model):
    """A co-building agreement (共建协议) between a street's or community's Party organization and a partner,
    for a term: each side's commitments, the signed date and the signed file, and its renewal."""

    party_org = models.ForeignKey(
        PartyOrg, verbose_name=_("街道（社区）党组织"), on_delete=models.PROTECT, related_name="+"
    )
    partner = models.ForeignKey(
        Partner, verbose_name=_("共建单位"), on_delete=models.PROTECT, related_name="agreements"
    )
    title = models.CharField(_("协议名称"), max_length=150)
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("截止日期"))
    signed_on = models.DateField(_("签订日期"))
    file = models.FileField(_("协议文本"), upload_to=RandomName("cogov"), blank=True)
    file_name = models.CharField(max_length=200, blank=True)
    renewed_from = models.OneToOneField(
        "self",
        verbose_name=_("续签自"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="renewal",
    )
    terminated_on = models.DateField(_("终止日期"), null=True, blank=True)
    end_reason = models.TextField(_("终止原因"), blank=True)
    reminded_for = models.DateField(null=True, blank=True, editable=False)  # the ends_on last reminded of
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    submission = submission_field()  # the form's token: posted twice, one agreement (portal/submissions.py)

    objects = AgreementQuerySet.as_manager()

    scope_path = "party_org__area__path"
    scope_partner = "partner"

    class Meta:
        verbose_name = _("共建协议")
        verbose_name_plural = _("共建协议")
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="cogov_agreement_ends_after_start",
                violation_error_message=_("截止日期不能早于开始日期。"),
            ),
            one_per_submission("created_by", "one_agreement_per_submission"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("cogov:agreement_detail", args=[self.pk])

    def status_on(self, today: date | None = None) -> str:
        today = today or timezone.localdate()
        if self.terminated_on is not None or self.ends_on < today:
            return AgreementStatus.ENDED
        if self.starts_on > today:
            return AgreementStatus.UPCOMING
        if self.ends_on <= today + timedelta(days=EXPIRY_NOTICE_DAYS):
            return AgreementStatus.EXPIRING
        return AgreementStatus.ACTIVE

    @property
    def status(self) -> str:
        return self.status_on()

    def get_status_display(self) -> str:
        return str(AgreementStatus(self.status).label)


class Side(models.TextChoices):
    ORG = "org", _("党组织一方")
    PARTNER = "partner", _("共建单位一方")


class Commitment(models.Model):
    """One commitment of one side of an agreement, as a listed item."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="commitments")
    side = models.CharField(_("承诺方"), max_length=10, choices=Side.choices)
    text = models.CharField(_("承诺事项"), max_length=300)
    position = models.PositiveSmallIntegerField(default=0)

    scope_path = "agreement__party_org__area__path"
    scope_partner = "agreement__partner"

    class Meta:
        verbose_name = _("共建承诺")
        verbose_name_plural = _("共建承诺")
        ordering = ["side", "position", "pk"]

    def __str__(self) -> str:
        return self.text


from grassroots.cogov.models_activities import ServiceHours  # noqa: E402,F401  (volunteer activities)

# The two-way service items live in their own module (models_items.py); Django finds them through this one.
from grassroots.cogov.models_items import (  # noqa: E402, F401
    Claim,
    ClaimState,
    ItemKind,
    RaterKind,
    Rating,
    ServiceItem,
    Verdict,
)
from grassroots.cogov.models_meetings import (  # noqa: E402, F401
    ActionItem,
    ActionState,
    JointBody,
    JointMeeting,
    UnitAttendance,
)
