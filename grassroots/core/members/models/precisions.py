"""The records of the five precisions around a member: contact attempts (find), study records (educate),
transfers and dues (manage), care visits (care), and dual registration with the community of residence."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import transition

from grassroots.access.rules import either, is_user
from grassroots.access.scoping import scope_q
from grassroots.areas.models import PartyOrg
from grassroots.core.members.models import workflow_rules as rules
from grassroots.core.members.models.member import ChoiceLabels
from grassroots.portal.submissions import one_per_submission, submission_field
from grassroots.workflow.fields import StateField
from grassroots.workflow.models import Notice, WorkflowModel
from grassroots.workflow.permissions import Check, step


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
    submission = submission_field()  # the form's token: posted twice, one attempt (portal/submissions.py)

    scope_path = "member__branch__area__path"
    scope_org = "member__branch"

    class Meta:
        verbose_name = _("联系记录")
        verbose_name_plural = _("联系记录")
        ordering = ["-attempted_on", "-pk"]
        constraints = [one_per_submission("by", "one_contact_attempt_per_submission")]

    def __str__(self) -> str:
        return f"{self.member} · {self.attempted_on}"


class StudySource(models.TextChoices):
    MANUAL = "manual", _("手工登记")
    GATHERING = "gathering", _("参加会议活动")
    IMPORT = "import", _("导入")


class StudyRecord(ChoiceLabels, models.Model):
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
    scope_org = "member__branch"

    class Meta:
        verbose_name = _("学习记录")
        verbose_name_plural = _("学习记录")
        ordering = ["-studied_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "gathering"],
                condition=models.Q(gathering__isnull=False),
                name="one_study_record_per_gathering",
            ),
            # A record by hand is one course or meeting on one day: posting the same form twice (a double
            # click, six tabs) gives the same record, not six (services/educate.py).
            models.UniqueConstraint(
                fields=["member", "studied_on", "title"],
                condition=models.Q(source="manual"),
                name="one_manual_study_record_per_member_day_title",
            ),
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


# A member whose relation may move: not lost, not gone.
TRANSFERABLE_STATUSES = ("normal", "mobile", "found")
OPEN_TRANSFER_STATES = (TransferState.REQUESTED, TransferState.RELEASED)


class Transfer(WorkflowModel):
    """Manage (管理): a transfer of the membership relation from one branch to another: requested (by the old
    branch's side or the member) → released by the old branch (with a letter number) → received by the new
    one (the member's branch changes, status normal); or refused with a reason by either side, or cancelled
    while requested. Across scopes each side sees its half: the old branch's scope always (its requests and
    its history), the new branch's scope from the release on (see `visible_to`)."""

    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="transfers")
    from_branch = models.ForeignKey(
        PartyOrg, verbose_name=_("转出支部"), on_delete=models.PROTECT, related_name="+"
    )
    to_branch = models.ForeignKey(
        PartyOrg, verbose_name=_("转入支部"), on_delete=models.PROTECT, related_name="+"
    )
    letter_number = models.CharField(_("介绍信编号"), max_length=50, blank=True)
    reason = models.TextField(_("转接原因"), blank=True)
    state = StateField(
        _("状态"), choices=TransferState.choices, default=TransferState.REQUESTED, protected=True
    )
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    released_at = models.DateTimeField(_("转出时间"), null=True, blank=True)
    received_at = models.DateTimeField(_("接收时间"), null=True, blank=True)
    refusal_reason = models.TextField(_("退回理由"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    scope_path = "from_branch__area__path"
    scope_org = "from_branch"
    view_permission = "members.view"
    start_label = _("申请转接")
    pending_since = "waiting_since"
    pending_steps = ("release", "refuse_release", "receive", "refuse_receipt")  # not the requester's cancel
    pending_related = ("member", "from_branch", "to_branch")
    pending_order = ("created_at", "pk")

    class Meta:
        verbose_name = _("组织关系转接")
        verbose_name_plural = _("组织关系转接")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["member"],
                condition=models.Q(state__in=["requested", "released"]),
                name="one_open_transfer_per_member",
                violation_error_message=_("该党员已有一项正在办理的组织关系转接。"),
            )
        ]
        indexes = [models.Index(fields=["state", "created_at"])]

    def __str__(self) -> str:
        return str(
            _("%(member)s：%(old)s → %(new)s")
            % {"member": self.member, "old": self.from_branch, "new": self.to_branch}
        )

    def get_absolute_url(self) -> str:
        return reverse("members:transfer_detail", args=[self.pk])

    @property
    def waiting_since(self):
        return self.released_at if self.state == TransferState.RELEASED else self.created_at

    # --- transitions ----------------------------------------------------------------------------------------
    @transition(
        field=state,
        source=TransferState.REQUESTED,
        target=TransferState.RELEASED,
        permission=rules.old_side,
        custom=step(
            _("转出"),
            style="success",
            icon="box-arrow-right",
            form_url=lambda t: reverse("members:transfer_release", args=[t.pk]),
        ),
    )
    def release(self, *, actor, comment=""):
        rules.require_letter_number(self)
        self.released_at = timezone.now()

    @transition(
        field=state,
        source=TransferState.REQUESTED,
        target=TransferState.REFUSED,
        permission=rules.old_side,
        custom=step(
            _("不予转出"),
            style="outline-danger",
            icon="x-circle",
            comment_required=True,
            comment_label=_("退回理由"),
        ),
    )
    def refuse_release(self, *, actor, comment=""):
        self.refusal_reason = comment

    @transition(
        field=state,
        source=TransferState.REQUESTED,
        target=TransferState.CANCELLED,
        permission=either(is_user("requested_by"), rules.old_side),
        custom=step(_("撤销申请"), style="outline-secondary", icon="arrow-counterclockwise"),
    )
    def cancel(self, *, actor, comment=""):
        pass

    @transition(
        field=state,
        source=TransferState.RELEASED,
        target=TransferState.RECEIVED,
        permission=rules.new_side,
        conditions=[
            Check(
                lambda t: t.member.status in TRANSFERABLE_STATUSES,
                _("该党员当前状态不能办理转入，请与原支部核实。"),
            )
        ],
        custom=step(_("接收"), style="success", icon="box-arrow-in-right"),
    )
    def receive(self, *, actor, comment=""):
        from grassroots.workflow.services import transition as take

        self.received_at = timezone.now()
        member = self.member
        member.branch = self.to_branch
        member._receiving_transfer = True
        try:
            take(member, "transfer_in", actor=actor, comment=comment or str(self))
        finally:
            member._receiving_transfer = False

    @transition(
        field=state,
        source=TransferState.RELEASED,
        target=TransferState.REFUSED,
        permission=rules.new_side,
        custom=step(
            _("不予接收"),
            style="outline-danger",
            icon="x-circle",
            comment_required=True,
            comment_label=_("退回理由"),
        ),
    )
    def refuse_receipt(self, *, actor, comment=""):
        self.refusal_reason = comment

    # --- workflow hooks -------------------------------------------------------------------------------------
    @classmethod
    def visible_to(cls, user) -> models.QuerySet:
        if user is None or not user.is_authenticated:
            return cls.objects.none()
        return cls.objects.filter(cls.visibility_q(user))

    @classmethod
    def visibility_q(cls, user) -> models.Q:
        """Each side sees its half: the old branch's scope (areas and the organization clause) sees every
        transfer out of it, from the request on; the new branch's scope sees it from the release on (it has
        nothing to do before). The member and the requester see their own."""
        old = scope_q(user, cls.view_permission, "from_branch__area__path", "from_branch")
        new = scope_q(user, cls.view_permission, "to_branch__area__path", "to_branch") & models.Q(
            released_at__isnull=False
        )
        return old | new | models.Q(requested_by=user) | models.Q(member__user=user)

    def pending_title(self) -> str:
        return str(_("组织关系转接：%(transfer)s") % {"transfer": self})

    def workflow_notices(self, name: str, *, actor, comment: str):
        text = {"transfer": str(self)}
        people = [self.requested_by_id, self.member.user_id]
        if name == "start":
            return [Notice([self.from_branch.secretary_id], _("组织关系转接申请待办理：%(transfer)s") % text)]
        if name == "release":
            return [
                Notice([self.to_branch.secretary_id], _("组织关系已转出，请接收：%(transfer)s") % text),
                Notice(people, _("组织关系已由原支部转出：%(transfer)s") % text),
            ]
        if name == "receive":
            return [
                Notice([*people, self.from_branch.secretary_id], _("组织关系已接收：%(transfer)s") % text)
            ]
        if name in ("refuse_release", "refuse_receipt"):
            recipients = [*people, self.from_branch.secretary_id] if name == "refuse_receipt" else people
            verb = _("组织关系转接被退回：%(transfer)s（%(reason)s）") % {**text, "reason": comment}
            return [Notice(recipients, verb)]
        if name == "cancel":
            return [Notice([self.from_branch.secretary_id], _("组织关系转接申请已撤销：%(transfer)s") % text)]
        return []


class DuesBracket(models.Model):
    """One row of the dues table. A row with a `rate`: members whose monthly income (after tax) lies in
    (income_from, income_to] — `income_to` empty: no upper limit — pay `rate` percent of it. A row with a
    `fixed_amount` is a category chosen by name instead of by income (students, the unemployed: 0.2 yuan).
    The standard table is seeded by a migration; see services/manage.py and docs/members.md."""

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
    scope_org = "member__branch"

    class Meta:
        verbose_name = _("党费缴纳")
        verbose_name_plural = _("党费缴纳")
        ordering = ["-year", "-month"]
        constraints = [
            models.UniqueConstraint(fields=["member", "year", "month"], name="one_dues_payment_per_month")
        ]

    def __str__(self) -> str:
        return f"{self.member} · {self.year}-{self.month:02d}"


class ConversionReminder(models.Model):
    """A reminder sent that a probationary member's conversion is due on `due_on`: one per member and due
    date, so the daily reminder task never repeats itself (see services/manage.py)."""

    member = models.ForeignKey("members.Member", on_delete=models.CASCADE, related_name="+")
    due_on = models.DateField(_("转正到期日"))
    sent_at = models.DateTimeField(_("提醒时间"), default=timezone.now)

    class Meta:
        verbose_name = _("转正提醒")
        verbose_name_plural = _("转正提醒")
        constraints = [
            models.UniqueConstraint(fields=["member", "due_on"], name="one_conversion_reminder_per_due_date")
        ]

    def __str__(self) -> str:
        return f"{self.member_id} · {self.due_on}"


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
    submission = submission_field()  # the form's token: posted twice, one visit (portal/submissions.py)

    scope_path = "member__branch__area__path"
    scope_org = "member__branch"

    class Meta:
        verbose_name = _("关爱走访")
        verbose_name_plural = _("关爱走访")
        ordering = ["-visited_on", "-pk"]
        indexes = [models.Index(fields=["member", "visited_on"])]
        constraints = [one_per_submission("visitor", "one_care_visit_per_submission")]

    def __str__(self) -> str:
        return f"{self.member} · {self.visited_on}"
