"""Negotiations (协商): when residents' vital interests are in dispute, the Party organization leads a
negotiation among the self-governing organizations and the others concerned (owners' committee, property
company, units). See docs/selfgov.md "Negotiations".

- `Negotiation`: its area (a community or a courtyard/building in it), subject, the leading Party
  organization, perhaps the matter it came from; states on the workflow mechanism: 待协商 `open` → 协商中
  `in_session` → 已达成协议 `agreed` → 已跟踪落实 `followed_up` → 已结案 `closed`; from `open`/`in_session`
  协商未果 `failed` → 已结案 `closed` or 移交调解 `handed_over` (the rule-of-law part's mediation picks it up:
  docs/decisions.md, "Negotiations hand over to mediation").
- `NegotiationParty`: an organization of the one register (`cogov.Partner`) or a named party without an
  account (an organization, or a person by name and role).
- `NegotiationSession`: a gathering of kind `negotiation`, with the parties as its guests.
- `Position`: what one party holds at one session (a comment of the selfgov comment base, recorded by a
  worker).
- `FollowUp`: an item of the agreement to carry out, with the party that owns it and a due date; done with
  a note; overdue by the clock's today.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import transition

from grassroots.access.rules import perm_on
from grassroots.areas.models import Area, PartyOrg
from grassroots.files.naming import RandomName
from grassroots.portal.submissions import one_per_submission, submission_field
from grassroots.selfgov.models_base import Comment
from grassroots.workflow.fields import StateField
from grassroots.workflow.models import Notice, WorkflowModel
from grassroots.workflow.permissions import Check, step

# Who leads a negotiation's steps: selfgov.manage on its area (the community's staff, the officials above).
negotiators = perm_on("area__path", "selfgov.manage")

SESSION_KIND = "negotiation"  # the gathering kind of a negotiation session (registered in apps.py)


class NegotiationState(models.TextChoices):
    OPEN = "open", _("待协商")
    IN_SESSION = "in_session", _("协商中")
    AGREED = "agreed", _("已达成协议")
    FAILED = "failed", _("协商未果")
    FOLLOWED_UP = "followed_up", _("已跟踪落实")
    CLOSED = "closed", _("已结案")
    HANDED_OVER = "handed_over", _("移交调解")


def _has_held_session(negotiation) -> bool:
    return negotiation.sessions.filter(gathering__status="held").exists()


def _follow_ups_done(negotiation) -> bool:
    return not negotiation.follow_ups.filter(done_at__isnull=True).exists()


class Negotiation(WorkflowModel):
    community = models.ForeignKey(Area, verbose_name=_("社区"), on_delete=models.PROTECT, related_name="+")
    area = models.ForeignKey(Area, verbose_name=_("涉及范围"), on_delete=models.PROTECT, related_name="+")
    subject = models.CharField(_("协商事项"), max_length=200)
    description = models.TextField(_("争议情况"), blank=True, max_length=4000)
    party_org = models.ForeignKey(
        PartyOrg, verbose_name=_("牵头党组织"), on_delete=models.PROTECT, related_name="+"
    )
    matter = models.ForeignKey(
        "selfgov.Matter",
        verbose_name=_("来源事项"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="negotiations",
    )
    state = StateField(
        _("状态"),
        max_length=20,
        choices=NegotiationState.choices,
        default=NegotiationState.OPEN,
        protected=True,
    )
    agreement_text = models.TextField(_("协议内容"), blank=True, max_length=8000)
    agreement_file = models.FileField(_("协议文本"), upload_to=RandomName("selfgov"), blank=True)
    agreement_file_name = models.CharField(_("协议文件名"), max_length=200, blank=True)
    agreed_at = models.DateTimeField(_("达成协议时间"), null=True, blank=True)
    failure_reason = models.TextField(_("未达成协议的原因"), blank=True)
    # The hook for the rule-of-law part's mediation (docs/decisions.md): the reason it was handed over and
    # when; lawgov's dispute links back to the negotiation, selfgov never imports lawgov.
    handover_reason = models.TextField(_("移交调解的原因"), blank=True)
    handed_over_at = models.DateTimeField(_("移交调解时间"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("发起人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("发起时间"), default=timezone.now)
    state_since = models.DateTimeField(_("进入本状态时间"), default=timezone.now)
    submission = submission_field()  # the form's token: posted twice, one negotiation (portal/submissions.py)

    scope_path = "area__path"
    view_permission = "selfgov.negotiations"
    start_label = _("发起协商")
    pending_since = "state_since"
    # Awaiting those who lead it: a failed one (close it or hand it over to mediation), one whose follow-up
    # is done (close it). Overdue follow-up items are on the home block (blocks.py).
    pending_steps = ("hand_over", "close")
    pending_related = ("area",)
    pending_order = ("state_since", "pk")

    class Meta:
        verbose_name = _("矛盾协商")
        verbose_name_plural = _("矛盾协商")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["community", "state"])]
        constraints = [one_per_submission("created_by", "one_negotiation_per_submission")]

    def __str__(self) -> str:
        return self.subject

    def get_absolute_url(self) -> str:
        return reverse("selfgov:negotiation_detail", args=[self.pk])

    @classmethod
    def visible_to(cls, user):
        from grassroots.selfgov.selectors_negotiations import visible_negotiations

        return visible_negotiations(user).select_related("area", "community", "party_org")

    @classmethod
    def open_to_partners_q(cls, partner_ids) -> models.Q:
        """A unit's representatives see the negotiations their unit is a party to (the partner clause of the
        scoping function)."""
        parties = NegotiationParty.objects.filter(partner_id__in=partner_ids)
        return models.Q(pk__in=parties.values("negotiation_id"))

    @classmethod
    def pending_q(cls, user) -> models.Q:
        due = models.Q(state=NegotiationState.FAILED) | models.Q(state=NegotiationState.FOLLOWED_UP)
        return super().pending_q(user) & due

    def pending_title(self) -> str:
        return str(
            _("%(state)s：%(subject)s（%(area)s）")
            % {"state": self.state_label, "subject": self.subject, "area": self.area.name}
        )

    # --- steps (grassroots.workflow.services.transition; `convene` and `agree` are taken by the services
    # that schedule the first session and record the agreement, services/negotiations.py) -----------------
    @transition(
        field=state,
        source=NegotiationState.OPEN,
        target=NegotiationState.IN_SESSION,
        permission=negotiators,
        conditions=[Check(lambda n: n.sessions.exists(), _("请先安排协商会议。"))],
        custom=step(_("召开协商会议"), icon="people", form_url=lambda n: n.get_absolute_url() + "#sessions"),
    )
    def convene(self, *, actor, comment=""):
        self.state_since = timezone.now()

    @transition(
        field=state,
        source=NegotiationState.IN_SESSION,
        target=NegotiationState.AGREED,
        permission=negotiators,
        conditions=[
            Check(_has_held_session, _("尚无已召开的协商会议（请先在会议页面标记为已召开）。")),
            Check(lambda n: bool(n.agreement_text.strip()), _("请填写协议内容。")),
        ],
        custom=step(
            _("达成协议"),
            style="success",
            icon="check2-circle",
            form_url=lambda n: n.get_absolute_url() + "#agreement",
        ),
    )
    def agree(self, *, actor, comment=""):
        now = timezone.now()
        self.agreed_at = now
        self.state_since = now

    @transition(
        field=state,
        source=[NegotiationState.OPEN, NegotiationState.IN_SESSION],
        target=NegotiationState.FAILED,
        permission=negotiators,
        custom=step(
            _("协商未果"),
            style="danger",
            icon="x-circle",
            comment_required=True,
            comment_label=_("未达成协议的原因"),
        ),
    )
    def fail(self, *, actor, comment=""):
        self.failure_reason = comment
        self.state_since = timezone.now()

    @transition(
        field=state,
        source=NegotiationState.FAILED,
        target=NegotiationState.HANDED_OVER,
        permission=negotiators,
        custom=step(
            _("移交调解"),
            style="warning",
            icon="bank",
            comment_required=True,
            comment_label=_("移交调解的原因"),
        ),
    )
    def hand_over(self, *, actor, comment=""):
        now = timezone.now()
        self.handover_reason = comment
        self.handed_over_at = now
        self.state_since = now

    @transition(
        field=state,
        source=NegotiationState.AGREED,
        target=NegotiationState.FOLLOWED_UP,
        permission=negotiators,
        conditions=[
            Check(lambda n: n.follow_ups.exists(), _("请先列出协议的落实事项。")),
            Check(_follow_ups_done, _("还有落实事项未完成。")),
        ],
        custom=step(_("落实完毕"), style="success", icon="clipboard-check"),
    )
    def complete(self, *, actor, comment=""):
        self.state_since = timezone.now()

    @transition(
        field=state,
        source=[NegotiationState.FOLLOWED_UP, NegotiationState.FAILED],
        target=NegotiationState.CLOSED,
        permission=negotiators,
        custom=step(_("结案"), style="secondary", icon="archive"),
    )
    def close(self, *, actor, comment=""):
        self.state_since = timezone.now()

    def workflow_notices(self, name, *, actor, comment):
        if name in ("agree", "fail", "hand_over", "close") and self.created_by_id:
            messages = {
                "agree": _("协商“%(subject)s”已达成协议"),
                "fail": _("协商“%(subject)s”未达成协议"),
                "hand_over": _("协商“%(subject)s”已移交调解"),
                "close": _("协商“%(subject)s”已结案"),
            }
            return [Notice([self.created_by_id], messages[name] % {"subject": self.subject})]
        return []


class PartyKind(models.TextChoices):
    RESIDENTS_COMMITTEE = "residents_committee", _("居民委员会")
    OWNERS_COMMITTEE = "owners_committee", _("业主委员会")
    PROPERTY = "property", _("物业服务企业")
    UNIT = "unit", _("驻区单位")
    SOCIAL_ORG = "social_org", _("社会组织")
    RESIDENTS = "residents", _("居民（代表）")
    OTHER = "other", _("其他")


class NegotiationParty(models.Model):
    """A party to the negotiation: an organization of the register (`partner`), or one without an account
    (`name`: an organization's name, or a person's name with their role)."""

    negotiation = models.ForeignKey(
        Negotiation, verbose_name=_("协商"), on_delete=models.CASCADE, related_name="parties"
    )
    kind = models.CharField(_("参与方类型"), max_length=30, choices=PartyKind.choices)
    partner = models.ForeignKey(
        "cogov.Partner",
        verbose_name=_("登记的单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    name = models.CharField(_("名称或姓名"), max_length=100, blank=True)
    role = models.CharField(
        _("身份或代表"), max_length=100, blank=True, help_text=_("如“3栋业主代表”“项目经理张某”")
    )
    added_at = models.DateTimeField(_("添加时间"), default=timezone.now)

    scope_path = "negotiation__area__path"

    class Meta:
        verbose_name = _("协商参与方")
        verbose_name_plural = _("协商参与方")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(partner__isnull=False) | ~models.Q(name=""),
                name="selfgov_party_named",
                violation_error_message=_("请选择登记的单位或填写名称。"),
            ),
            models.UniqueConstraint(
                fields=["negotiation", "partner"],
                name="selfgov_one_party_per_partner",
                violation_error_message=_("该单位已是参与方。"),
            ),
        ]

    def __str__(self) -> str:
        label = self.partner.name if self.partner_id else self.name
        return f"{label}（{self.role}）" if self.role else label

    @property
    def label(self) -> str:
        return str(self)


class NegotiationSession(models.Model):
    """A session of the negotiation: a gathering of kind `negotiation` (its time, place, minutes, held)."""

    negotiation = models.ForeignKey(Negotiation, on_delete=models.CASCADE, related_name="sessions")
    gathering = models.OneToOneField(
        "gatherings.Gathering", on_delete=models.PROTECT, related_name="negotiation_session"
    )
    number = models.PositiveSmallIntegerField(_("第几次"))

    scope_path = "negotiation__area__path"

    class Meta:
        verbose_name = _("协商会议")
        verbose_name_plural = _("协商会议")
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["negotiation", "number"], name="selfgov_session_number")
        ]

    def __str__(self) -> str:
        return str(_("第 %(n)d 次协商") % {"n": self.number})


class Position(Comment):
    """What one party holds at one session (立场与诉求), recorded by a worker (`author`)."""

    session = models.ForeignKey(NegotiationSession, on_delete=models.CASCADE, related_name="positions")
    party = models.ForeignKey(NegotiationParty, on_delete=models.CASCADE, related_name="positions")
    text = models.TextField(_("立场与诉求"), max_length=2000)

    scope_path = "session__negotiation__area__path"

    class Meta(Comment.Meta):
        verbose_name = _("各方立场")
        verbose_name_plural = _("各方立场")
        constraints = [
            models.UniqueConstraint(fields=["session", "party"], name="selfgov_one_position_per_session")
        ]


class FollowUp(models.Model):
    """An item of the agreement to carry out: who (a party), by when; done with a note."""

    negotiation = models.ForeignKey(
        Negotiation, verbose_name=_("协商"), on_delete=models.CASCADE, related_name="follow_ups"
    )
    text = models.CharField(_("落实事项"), max_length=300)
    owner = models.ForeignKey(
        NegotiationParty, verbose_name=_("责任方"), on_delete=models.PROTECT, related_name="follow_ups"
    )
    due_on = models.DateField(_("完成期限"))
    done_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    done_note = models.TextField(_("落实情况"), blank=True, max_length=2000)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("办结人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reminded_on = models.DateField(
        _("逾期提醒日期"), null=True, blank=True, editable=False
    )  # the overdue reminder, once
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)

    scope_path = "negotiation__area__path"

    class Meta:
        verbose_name = _("协议落实事项")
        verbose_name_plural = _("协议落实事项")
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return self.text

    def is_overdue(self, today=None) -> bool:
        return self.done_at is None and self.due_on < (today or timezone.localdate())
