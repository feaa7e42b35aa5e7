"""The records of the five precisions around a member: contact attempts (find), study records (educate),
transfers and dues (manage), care visits (care), and dual registration with the community of residence."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField

from grassroots.areas.models import Area, PartyOrg
from grassroots.workflow.models import WorkflowModel


class ContactMethod(models.TextChoices):
    PHONE = "phone", _("电话")
    VISIT = "visit", _("上门走访")
    MESSAGE = "message", _("短信或微信")
    RELATIVE = "relative", _("亲友转达")
    UNIT = "unit", _("工作单位")
    OTHER = "other", _("其他")


class ContactAttempt(models.Model):
    """Find (寻找): one attempt to reach a mobile or lost-contact member."""

    member = models.ForeignKey("members.Member", on_delete=models.CASCADE, related_name="contact_attempts")
    attempted_on = models.DateField(_("联系日期"), default=timezone.localdate)
    method = models.CharField(_("联系方式"), max_length=10, choices=ContactMethod.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("联系人"), on_delete=models.PROTECT, related_name="+"
    )
    reached = models.BooleanField(_("是否联系上"), default=False)
    result = models.TextField(_("联系结果"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    scope_path = "member__branch__area__path"

    class Meta:
        verbose_name = _("联系记录")
        verbose_name_plural = _("联系记录")
        ordering = ["-attempted_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.member} · {self.attempted_on}"


class StudySource(models.TextChoices):
    MANUAL = "manual", _("手工登记")
    GATHERING = "gathering", _("参加会议活动")
    IMPORT = "import", _("导入")


class StudyRecord(models.Model):
    """Educate (教育): hours of study. Attendance at a gathering of organizational life or a lecture adds the
    record by itself (source = gathering, unique per member and gathering: entered once)."""

    member = models.ForeignKey("members.Member", on_delete=models.CASCADE, related_name="study_records")
    title = models.CharField(_("课程或会议"), max_length=200)
    studied_on = models.DateField(_("学习日期"))
    hours = models.DecimalField(_("学时"), max_digits=5, decimal_places=1)
    source = models.CharField(
        _("来源"), max_length=10, choices=StudySource.choices, default=StudySource.MANUAL
    )
    gathering = models.ForeignKey(
        "gatherings.Gathering", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    scope_path = "member__branch__area__path"

    class Meta:
        verbose_name = _("学习记录")
        verbose_name_plural = _("学习记录")
        ordering = ["-studied_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "gathering"],
                condition=models.Q(gathering__isnull=False),
                name="one_study_record_per_gathering",
            )
        ]
        indexes = [models.Index(fields=["member", "studied_on"])]

    def __str__(self) -> str:
        return f"{self.member} · {self.title}"


class TransferState(models.TextChoices):
    REQUESTED = "requested", _("已申请")
    RELEASED = "released", _("原支部已转出")
    RECEIVED = "received", _("新支部已接收")
    REFUSED = "refused", _("已退回")
    CANCELLED = "cancelled", _("已撤销")


class Transfer(WorkflowModel):
    """Manage (管理): a transfer of the membership relation from one branch to another: requested →
    released by the old branch (with a letter number) → received by the new one. Across scopes each side
    sees its half."""

    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="transfers")
    from_branch = models.ForeignKey(
        PartyOrg, verbose_name=_("转出支部"), on_delete=models.PROTECT, related_name="+"
    )
    to_branch = models.ForeignKey(
        PartyOrg, verbose_name=_("转入支部"), on_delete=models.PROTECT, related_name="+"
    )
    letter_number = models.CharField(_("介绍信编号"), max_length=50, blank=True)
    reason = models.TextField(_("转接原因"), blank=True)
    state = FSMField(
        _("状态"), choices=TransferState.choices, default=TransferState.REQUESTED, protected=True
    )
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    released_at = models.DateTimeField(_("转出时间"), null=True, blank=True)
    received_at = models.DateTimeField(_("接收时间"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    scope_path = "from_branch__area__path"
    view_permission = "members.view"

    class Meta:
        verbose_name = _("组织关系转接")
        verbose_name_plural = _("组织关系转接")
        ordering = ["-created_at"]


class DuesBracket(models.Model):
    """One row of the dues table: members whose monthly income lies in [income_from, income_to) pay
    `rate` percent of it (or `fixed_amount` for students, retirees on low pensions, etc.)."""

    name = models.CharField(_("档次"), max_length=50)
    income_from = models.DecimalField(_("月收入起"), max_digits=10, decimal_places=2, default=0)
    income_to = models.DecimalField(_("月收入止"), max_digits=10, decimal_places=2, null=True, blank=True)
    rate = models.DecimalField(_("比例（%）"), max_digits=4, decimal_places=2, default=0)
    fixed_amount = models.DecimalField(_("固定金额"), max_digits=8, decimal_places=2, null=True, blank=True)

    class Meta:
        verbose_name = _("党费档次")
        verbose_name_plural = _("党费档次")
        ordering = ["income_from"]

    def __str__(self) -> str:
        return self.name


class DuesPayment(models.Model):
    """A month's dues paid by a member."""

    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="dues_payments")
    year = models.PositiveSmallIntegerField(_("年度"))
    month = models.PositiveSmallIntegerField(_("月份"))
    amount = models.DecimalField(_("金额"), max_digits=8, decimal_places=2)
    paid_on = models.DateField(_("缴纳日期"), default=timezone.localdate)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    scope_path = "member__branch__area__path"

    class Meta:
        verbose_name = _("党费缴纳")
        verbose_name_plural = _("党费缴纳")
        ordering = ["-year", "-month"]
        constraints = [
            models.UniqueConstraint(fields=["member", "year", "month"], name="one_dues_payment_per_month")
        ]

    def __str__(self) -> str:
        return f"{self.member} · {self.year}-{self.month:02d}"


class CareVisitKind(models.TextChoices):
    HOLIDAY = "holiday", _("节日慰问")
    ILLNESS = "illness", _("探望病患")
    HARDSHIP = "hardship", _("困难帮扶")
    BIRTHDAY = "birthday", _("政治生日")
    OTHER = "other", _("其他")


class CareVisit(models.Model):
    """Care (关爱): a visit to a member who needs care."""

    member = models.ForeignKey("members.Member", on_delete=models.CASCADE, related_name="care_visits")
    visited_on = models.DateField(_("走访日期"), default=timezone.localdate)
    visitor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("走访人"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("类型"), max_length=10, choices=CareVisitKind.choices)
    help_given = models.TextField(_("帮扶内容"), blank=True)
    notes = models.TextField(_("备注"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    scope_path = "member__branch__area__path"

    class Meta:
        verbose_name = _("关爱走访")
        verbose_name_plural = _("关爱走访")
        ordering = ["-visited_on", "-pk"]
        indexes = [models.Index(fields=["member", "visited_on"])]

    def __str__(self) -> str:
        return f"{self.member} · {self.visited_on}"


class RegistrationState(models.TextChoices):
    PENDING = "pending", _("待确认")
    CONFIRMED = "confirmed", _("已报到")
    REJECTED = "rejected", _("已退回")
    ENDED = "ended", _("已结束")


class Registration(WorkflowModel):
    """Dual registration (双报到), member side: an in-service member registers with the community where they
    live, or a unit's Party organization with the community where it is located; the community confirms.
    Service hours come from activities in later parts (`service_hours` is kept up to date by them)."""

    member = models.ForeignKey(
        "members.Member", null=True, blank=True, on_delete=models.CASCADE, related_name="registrations"
    )
    party_org = models.ForeignKey(
        PartyOrg,
        verbose_name=_("单位党组织"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="registrations",
    )
    community = models.ForeignKey(
        Area, verbose_name=_("报到社区"), on_delete=models.PROTECT, related_name="+"
    )
    services_offered = models.TextField(_("可提供的服务"), blank=True)
    state = FSMField(
        _("状态"), choices=RegistrationState.choices, default=RegistrationState.PENDING, protected=True
    )
    service_hours = models.DecimalField(_("服务时长"), max_digits=7, decimal_places=1, default=0)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    scope_path = "community__path"
    view_permission = "members.view"

    class Meta:
        verbose_name = _("双报到")
        verbose_name_plural = _("双报到")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(member__isnull=False, party_org__isnull=True)
                | models.Q(member__isnull=True, party_org__isnull=False),
                name="registration_member_xor_org",
            )
        ]
