"""The three-level dispute mediation platform (三级矛盾纠纷调解平台). See docs/lawgov.md "Disputes".

- `Dispute`: one case with one number for life (纠纷-2026-0001, `DisputeCounter` per year); received online
  from a resident, by a grid worker or at a legal service station; its parties, category, area, what
  happened, urgency and the 可能激化 flag. It is handled at a level (community, street, county: `handler` is
  that area) by a kind of mediation (people's, administrative, judicial); staff may receive it directly at a
  level above the community and as another kind (`start_level` keeps the level that received it). States on
  the workflow mechanism:
  已受理 `received` → 调解中 `mediating` → 调解成功 `settled` → 已回访 `visited`; from `received`/`mediating`
  上移 `escalate` (the next level) and 转办 `refer` (another kind) go back to `received` on the same case with
  the reason; 终结 `close` (advice to litigate or arbitrate) ends it unsettled.
- `DisputeStage`: one assignment (level, kind, handling area) with its start, end, outcome and reason: the
  timeline across levels and kinds.
- `DisputeParty`: an applicant or respondent, perhaps a resident's account (the per-record clause: a party
  sees their own case).
- `MediationSession`: one mediation session (when, where, who, the record of mediation).
"""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import transition

from grassroots.access.rules import perm_on
from grassroots.accounts.fields import EncryptedPhoneField
from grassroots.areas.models import Area
from grassroots.files.naming import RandomName
from grassroots.portal.submissions import one_per_submission, submission_field
from grassroots.workflow.engine import TransitionRefused
from grassroots.workflow.fields import StateField
from grassroots.workflow.models import Notice, WorkflowModel
from grassroots.workflow.permissions import Check, step

# Who takes a case's steps: lawgov.mediate on the area handling it now (a community's committee, the
# street's, the county's): a case escalated to the street leaves the community's mediators' hands.
mediating = perm_on("handler__path", "lawgov.mediate")


class DisputeCategory(models.TextChoices):
    NEIGHBOURS = "neighbours", _("邻里纠纷")
    FAMILY = "family", _("婚姻家庭纠纷")
    PROPERTY_MANAGEMENT = "property_management", _("物业管理纠纷")
    LABOUR = "labour", _("劳动争议")
    CONTRACT = "contract", _("合同纠纷")
    LAND_HOUSING = "land_housing", _("土地房屋纠纷")
    OTHER = "other", _("其他纠纷")


class DisputeLevel(models.IntegerChoices):
    """The level handling a case; the values follow areas.Level (county 2, street 3, community 4)."""

    COUNTY = 2, _("县（区）级")
    STREET = 3, _("街道（乡镇）级")
    COMMUNITY = 4, _("社区级")


class DisputeKind(models.TextChoices):
    PEOPLES = "peoples", _("人民调解")
    ADMINISTRATIVE = "administrative", _("行政调解")
    JUDICIAL = "judicial", _("司法调解")


class Urgency(models.TextChoices):
    NORMAL = "normal", _("一般")
    URGENT = "urgent", _("紧急")


class Channel(models.TextChoices):
    ONLINE = "online", _("居民网上申请")
    GRID = "grid", _("网格员登记")
    STATION = "station", _("法律服务站登记")
    NEGOTIATION = "negotiation", _("协商移交")


class Advice(models.TextChoices):
    LITIGATION = "litigation", _("建议诉讼")
    ARBITRATION = "arbitration", _("建议仲裁")
    OTHER = "other", _("其他途径")


class DisputeState(models.TextChoices):
    RECEIVED = "received", _("已受理")
    MEDIATING = "mediating", _("调解中")
    SETTLED = "settled", _("调解成功")
    VISITED = "visited", _("已回访")
    CLOSED = "closed", _("调解终结")


class DisputeCounter(models.Model):
    """The last case number given in a year (the number is taken under a row lock: services.next_number)."""

    year = models.PositiveSmallIntegerField(_("年份"), unique=True)
    last = models.PositiveIntegerField(_("最后编号"), default=0)

    class Meta:
        verbose_name = _("纠纷编号计数")
        verbose_name_plural = _("纠纷编号计数")

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


def _has_session(dispute) -> bool:
    return dispute.sessions.filter(level=dispute.level, kind=dispute.kind).exists()


def _next_level_exists(dispute) -> bool:
    return dispute.level > DisputeLevel.COUNTY


def _next_handler_exists(dispute) -> bool:
    from grassroots.lawgov.services_disputes import handler_at

    return dispute.level <= DisputeLevel.COUNTY or handler_at(dispute.area, dispute.level - 1) is not None


class Dispute(WorkflowModel):
    number = models.CharField(_("案件编号"), max_length=20, unique=True, editable=False)
    year = models.PositiveSmallIntegerField(_("年份"), editable=False)
    serial = models.PositiveIntegerField(_("序号"), editable=False)
    community = models.ForeignKey(Area, verbose_name=_("社区"), on_delete=models.PROTECT, related_name="+")
    area = models.ForeignKey(Area, verbose_name=_("发生地"), on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("纠纷事由"), max_length=200)
    category = models.CharField(_("纠纷类别"), max_length=30, choices=DisputeCategory.choices)
    description = models.TextField(_("纠纷经过"), max_length=8000)
    request = models.TextField(_("当事人请求"), blank=True, max_length=4000)
    urgency = models.CharField(_("紧急程度"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL)
    at_risk = models.BooleanField(
        _("可能激化"), default=False, help_text=_("可能激化的纠纷走快速通道，并提醒街道。")
    )
    channel = models.CharField(_("受理渠道"), max_length=20, choices=Channel.choices)
    level = models.PositiveSmallIntegerField(
        _("调解层级"), choices=DisputeLevel.choices, default=DisputeLevel.COMMUNITY
    )
    kind = models.CharField(
        _("调解类型"), max_length=20, choices=DisputeKind.choices, default=DisputeKind.PEOPLES
    )
    # the level that received the case (set at intake, never moved): the figures' escalations are
    # Σ (start_level − level), a case received at the street counting none
    start_level = models.PositiveSmallIntegerField(
        _("受理层级"), choices=DisputeLevel.choices, default=DisputeLevel.COMMUNITY, editable=False
    )
    handler = models.ForeignKey(
        Area, verbose_name=_("承办单位所在区域"), on_delete=models.PROTECT, related_name="+"
    )
    mediators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("承办调解员"), blank=True, related_name="+"
    )
    due_on = models.DateField(_("调解期限"))
    state = StateField(
        _("状态"),
        max_length=20,
        choices=DisputeState.choices,
        default=DisputeState.RECEIVED,
        protected=True,
    )
    agreement_text = models.TextField(_("调解协议内容"), blank=True, max_length=8000)
    agreement_file = models.FileField(_("调解协议书"), upload_to=RandomName("lawgov"), blank=True)
    agreement_file_name = models.CharField(_("协议文件名"), max_length=200, blank=True)
    settled_at = models.DateTimeField(_("调解成功时间"), null=True, blank=True)
    # days from the receipt to the settlement (local dates), kept on write for the figures' median
    settle_days = models.PositiveIntegerField(_("调解用时（天）"), null=True, blank=True, editable=False)
    confirmed_on = models.DateField(_("司法确认日期"), null=True, blank=True)
    confirmed_by = models.CharField(_("司法确认法院"), max_length=100, blank=True)
    advice = models.CharField(_("终结建议"), max_length=20, choices=Advice.choices, blank=True)
    close_reason = models.TextField(_("终结原因"), blank=True, max_length=4000)
    closed_at = models.DateTimeField(_("终结时间"), null=True, blank=True)
    visit_due_on = models.DateField(_("回访期限"), null=True, blank=True)
    visited_at = models.DateTimeField(_("回访时间"), null=True, blank=True)
    visit_note = models.TextField(_("回访情况"), blank=True, max_length=4000)
    carried_out = models.BooleanField(_("协议已履行"), null=True, blank=True)
    # the hook of 自治's negotiations: a negotiation handed over to mediation becomes this case
    negotiation = models.OneToOneField(
        "selfgov.Negotiation",
        verbose_name=_("来源协商"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="dispute",
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("受理时间"), default=timezone.now)
    state_since = models.DateTimeField(_("进入本状态时间"), default=timezone.now)
    reminded_on = models.DateField(_("期限提醒日期"), null=True, blank=True, editable=False)
    submission = submission_field()  # the form's token: posted twice, one case (portal/submissions.py)

    scope_path = "area__path"
    # the per-record clause of the scoping function: the parties (their accounts) and the assigned mediators
    # see the case whatever their grants (access/scoping.py, "people named on the record")
    scope_people = {"lawgov.disputes": ("parties__user", "mediators")}
    view_permission = "lawgov.disputes"
    start_label = _("受理纠纷")
    pending_since = "state_since"
    pending_steps = ("start_mediation", "settle", "visit")
    pending_related = ("area", "handler")
    pending_order = ("due_on", "pk")

    class Meta:
        verbose_name = _("矛盾纠纷")
        verbose_name_plural = _("矛盾纠纷")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["year", "serial"], name="lawgov_dispute_number_per_year"),
            one_per_submission("filed_by", "one_dispute_per_submission"),
        ]
        indexes = [
            models.Index(fields=["state", "due_on"]),
            models.Index(fields=["community", "state"]),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("lawgov:dispute_detail", args=[self.pk])

    @classmethod
    def visible_to(cls, user):
        from grassroots.lawgov.selectors_disputes import visible_disputes

        return visible_disputes(user)

    def pending_title(self) -> str:
        return str(
            _("%(state)s：%(number)s %(title)s")
            % {"state": self.state_label, "number": self.number, "title": self.title}
        )

    def pending_deadline(self):
        return self.visit_due_on if self.state == DisputeState.SETTLED else self.due_on

    @property
    def is_open(self) -> bool:
        return self.state in (DisputeState.RECEIVED, DisputeState.MEDIATING)

    def is_overdue(self, today: date | None = None) -> bool:
        return self.is_open and self.due_on < (today or timezone.localdate())

    def days_taken(self) -> int | None:
        end = self.settled_at or self.closed_at
        if end is None:
            return None
        return (timezone.localdate(end) - timezone.localdate(self.created_at)).days

    # --- steps (grassroots.workflow.services.transition; services_disputes.py wraps each) ------------------
    @transition(
        field=state,
        source=DisputeState.RECEIVED,
        target=DisputeState.MEDIATING,
        permission=mediating,
        conditions=[Check(_has_session, _("请先安排本级的调解会。"))],
        custom=step(_("开始调解"), icon="people", form_url=lambda d: d.get_absolute_url() + "#start"),
    )
    def start_mediation(self, *, actor, comment=""):
        self.state_since = timezone.now()

    @transition(
        field=state,
        source=DisputeState.MEDIATING,
        target=DisputeState.SETTLED,
        permission=mediating,
        custom=step(
            _("调解成功"),
            style="success",
            icon="check2-circle",
            form_url=lambda d: d.get_absolute_url() + "#agreement",
        ),
    )
    def settle(self, *, actor, comment=""):
        """The agreement's text is the step's form (services_disputes.settle sets it): the button is listed
        in the mediating state, and the step refused here without it, as `refer` is without its kind."""
        if not self.agreement_text.strip():
            raise TransitionRefused(_("请填写调解协议内容。"), code="condition")
        now = timezone.now()
        self.settled_at = now
        self.settle_days = max((timezone.localdate(now) - timezone.localdate(self.created_at)).days, 0)
        self.state_since = now
        self.visit_due_on = timezone.localdate(now) + timedelta(days=settings.LAWGOV_VISIT_AFTER_DAYS)
        self.reminded_on = None  # the visit's reminder is a new one
        self._end_stage(DisputeStage.Outcome.SETTLED, comment, now)

    @transition(
        field=state,
        source=[DisputeState.RECEIVED, DisputeState.MEDIATING],
        target=DisputeState.RECEIVED,
        permission=mediating,
        conditions=[
            Check(_next_level_exists, _("县（区）级已是最高层级，请转办或终结。")),
            Check(_next_handler_exists, _("找不到上一级的调解组织。")),
        ],
        custom=step(
            _("上移下一级"),
            style="warning",
            icon="arrow-up-circle",
            comment_required=True,
            comment_label=_("上移的原因"),
            form_url=lambda d: d.get_absolute_url() + "#escalate",
        ),
    )
    def escalate(self, *, actor, comment=""):
        """The next level's committee (community → street → county) takes the case: same number, a new
        stage with its own time limit, no mediators assigned yet."""
        from grassroots.lawgov.services_disputes import handler_at

        self._next_stage(DisputeStage.Outcome.ESCALATED, comment, level=self.level - 1)
        self.handler = handler_at(self.area, self.level)
        self.open_stage()

    @transition(
        field=state,
        source=[DisputeState.RECEIVED, DisputeState.MEDIATING],
        target=DisputeState.RECEIVED,
        permission=mediating,
        custom=step(
            _("转办其他调解"),
            style="warning",
            icon="arrow-left-right",
            comment_required=True,
            comment_label=_("转办的原因"),
            form_url=lambda d: d.get_absolute_url() + "#refer",
        ),
    )
    def refer(self, *, actor, comment=""):
        """Another kind of mediation at the same level (`next_kind`, set by services_disputes.refer; the
        step is listed to everyone who may take it, and refused here without its field)."""
        if not getattr(self, "next_kind", ""):
            raise TransitionRefused(_("请选择转办的调解类型。"), code="condition")
        self._next_stage(DisputeStage.Outcome.REFERRED, comment, kind=self.next_kind)
        self.open_stage()

    @transition(
        field=state,
        source=[DisputeState.RECEIVED, DisputeState.MEDIATING],
        target=DisputeState.CLOSED,
        permission=mediating,
        custom=step(
            _("终结调解"),
            style="danger",
            icon="x-circle",
            comment_required=True,
            comment_label=_("终结原因"),
            form_url=lambda d: d.get_absolute_url() + "#close",
        ),
    )
    def close(self, *, actor, comment=""):
        if not self.advice:
            raise TransitionRefused(_("请选择终结建议（诉讼、仲裁或其他途径）。"), code="condition")
        now = timezone.now()
        self.close_reason = comment
        self.closed_at = now
        self.state_since = now
        self._end_stage(DisputeStage.Outcome.CLOSED, comment, now)

    @transition(
        field=state,
        source=DisputeState.SETTLED,
        target=DisputeState.VISITED,
        permission=mediating,
        custom=step(
            _("回访"),
            style="success",
            icon="telephone",
            form_url=lambda d: d.get_absolute_url() + "#visit",
        ),
    )
    def visit(self, *, actor, comment=""):
        if not self.visit_note.strip():  # the step's form (services_disputes.visit), as for `settle`
            raise TransitionRefused(_("请填写回访情况。"), code="condition")
        now = timezone.now()
        self.visited_at = now
        self.state_since = now

    # --- stages: the timeline across levels and kinds ---------------------------------------------------
    def _end_stage(self, outcome: str, reason: str, now) -> None:
        DisputeStage.objects.filter(dispute=self, ended_at__isnull=True).update(
            ended_at=now, outcome=outcome, reason=(reason or "")[:4000]
        )

    def _next_stage(self, outcome: str, reason: str, *, level=None, kind=None) -> None:
        from grassroots.lawgov.services_disputes import due_date

        now = timezone.now()
        self._end_stage(outcome, reason, now)
        self.level = level or self.level
        self.kind = kind or self.kind
        self.due_on = due_date(self.kind, timezone.localdate(now), at_risk=self.at_risk)
        self.reminded_on = None
        self.state_since = now
        self.mediators.clear()

    def open_stage(self) -> DisputeStage:
        return DisputeStage.objects.create(
            dispute=self,
            level=self.level,
            kind=self.kind,
            handler=self.handler,
            started_at=self.state_since,
            due_on=self.due_on,
        )

    def workflow_notices(self, name, *, actor, comment):
        party_users = [p.user_id for p in self.parties.all() if p.user_id]
        messages = {
            "escalate": _("您的纠纷 %(number)s 已上移至上一级调解"),
            "refer": _("您的纠纷 %(number)s 已转办其他调解"),
            "settle": _("您的纠纷 %(number)s 已调解成功"),
            "close": _("您的纠纷 %(number)s 已终结调解"),
        }
        if name in messages and party_users:
            return [Notice(party_users, messages[name] % {"number": self.number})]
        return []


class PartyRole(models.TextChoices):
    APPLICANT = "applicant", _("申请人")
    RESPONDENT = "respondent", _("被申请人")
    THIRD = "third", _("第三人")


class DisputeParty(models.Model):
    """A party: a person (perhaps a resident's account) or an organization; their phone and address are
    personal data (masked where the role does not need them: selectors_disputes.party_rows)."""

    dispute = models.ForeignKey(
        Dispute, verbose_name=_("纠纷"), on_delete=models.CASCADE, related_name="parties"
    )
    role = models.CharField(_("当事人地位"), max_length=20, choices=PartyRole.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("居民账号"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="dispute_parties",
    )
    name = models.CharField(_("姓名或名称"), max_length=100)
    phone = EncryptedPhoneField(_("联系电话"), max_length=20, blank=True)  # encrypted at rest
    address = models.CharField(_("住址"), max_length=200, blank=True)

    scope_path = "dispute__area__path"

    class Meta:
        verbose_name = _("纠纷当事人")
        verbose_name_plural = _("纠纷当事人")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.get_role_display()}：{self.name}"


class DisputeStage(models.Model):
    """One assignment of the case: a level, a kind and the area handling it, from `started_at` to
    `ended_at`; how it ended (`outcome`: escalated, referred, settled, closed) and why."""

    class Outcome(models.TextChoices):
        ESCALATED = "escalated", _("上移")
        REFERRED = "referred", _("转办")
        SETTLED = "settled", _("调解成功")
        CLOSED = "closed", _("终结")

    dispute = models.ForeignKey(Dispute, on_delete=models.CASCADE, related_name="stages")
    level = models.PositiveSmallIntegerField(_("调解层级"), choices=DisputeLevel.choices)
    kind = models.CharField(_("调解类型"), max_length=20, choices=DisputeKind.choices)
    handler = models.ForeignKey(Area, verbose_name=_("承办区域"), on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField(_("开始时间"), default=timezone.now)
    due_on = models.DateField(_("期限"))
    ended_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    outcome = models.CharField(_("结果"), max_length=20, choices=Outcome.choices, blank=True)
    reason = models.TextField(_("原因"), blank=True, max_length=4000)

    scope_path = "dispute__area__path"

    class Meta:
        verbose_name = _("调解阶段")
        verbose_name_plural = _("调解阶段")
        ordering = ["started_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_level_display()} · {self.get_kind_display()}"


class MediationSession(models.Model):
    """One mediation session of a case, at the level and kind handling it then: when, where, the mediators
    present, and the record of mediation (调解笔录) the printable record is drafted from."""

    dispute = models.ForeignKey(
        Dispute, verbose_name=_("纠纷"), on_delete=models.CASCADE, related_name="sessions"
    )
    level = models.PositiveSmallIntegerField(_("调解层级"), choices=DisputeLevel.choices, editable=False)
    kind = models.CharField(_("调解类型"), max_length=20, choices=DisputeKind.choices, editable=False)
    held_at = models.DateTimeField(_("调解时间"))
    place = models.CharField(_("调解地点"), max_length=200)
    mediator_names = models.CharField(_("调解员"), max_length=200)
    record = models.TextField(_("调解笔录"), blank=True, max_length=8000)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("记录人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("记录时间"), default=timezone.now)

    scope_path = "dispute__area__path"

    class Meta:
        verbose_name = _("调解会")
        verbose_name_plural = _("调解会")
        ordering = ["held_at", "pk"]

    def __str__(self) -> str:
        return f"{self.dispute.number} {timezone.localtime(self.held_at):%Y-%m-%d %H:%M}"
