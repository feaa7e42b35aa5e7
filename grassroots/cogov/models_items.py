"""Two-way service items (双向服务事项), per community and year (docs/cogov.md):

- `ServiceItem` — a line of the community's needs list (`kind` need, published by the community) or of the
  partners' resources list (`kind` resource: a partner's commitment, 承诺, to the community). Its `shares`
  split it (a need of 4 lessons may be claimed by up to 4 partners, one share each or several); `taken` is
  the number of shares held by live claims, kept by a conditional UPDATE and bounded by a database check, so
  that two partners claiming the last share at the same moment get one success and one refusal.
- `Claim` — a partner's undertaking on an item: its claim (认领) of shares of a need, or the commitment that
  comes with a resource it offers. On the workflow: 待接收 → accepted by the community (or declined with a
  reason, or withdrawn by the partner) → delivered (date, beneficiaries, evidence file) → confirmed.
- `Rating` — 跟踪问效: one rating per rater (the community's staff, the residents of the community) of a
  confirmed delivery, a score 1–5 and the verdict 满意 / 基本满意 / 不满意; it stays on the partner's record.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import transition

from grassroots.access.rules import represents, roles_on
from grassroots.accounts.roles import COMMUNITY_STAFF
from grassroots.areas.models import Area
from grassroots.cogov.models import Partner, Resource, ResourceKind
from grassroots.files.naming import RandomName
from grassroots.portal.submissions import one_per_submission, submission_field
from grassroots.workflow.fields import StateField
from grassroots.workflow.models import Notice, WorkflowModel
from grassroots.workflow.permissions import step


class ItemKind(models.TextChoices):
    NEED = "need", _("社区需求")
    RESOURCE = "resource", _("单位资源")


class ServiceItem(models.Model):
    """One line of a community's two-way service list for a year: a need it publishes or a resource a
    partner commits to it."""

    community = models.ForeignKey(Area, verbose_name=_("社区"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("年度"), db_index=True)
    kind = models.CharField(_("类型"), max_length=10, choices=ItemKind.choices)
    title = models.CharField(_("事项名称"), max_length=100)
    category = models.CharField(_("类别"), max_length=20, choices=ResourceKind.choices)
    description = models.TextField(_("说明"), blank=True, max_length=1000)
    shares = models.PositiveSmallIntegerField(
        _("份数"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("可拆分认领的份数，如 4 次讲座可由不同单位各认领 1 次；不拆分填 1。"),
    )
    unit = models.CharField(_("每份单位"), max_length=10, blank=True, help_text=_("如“次”“课时”“人”"))
    taken = models.PositiveSmallIntegerField(_("已认领份数"), default=0, editable=False)
    starts_on = models.DateField(_("开始日期"), null=True, blank=True)
    ends_on = models.DateField(_("完成期限"), null=True, blank=True)
    partner = models.ForeignKey(
        Partner,
        verbose_name=_("提供单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="service_items",
    )
    resource = models.ForeignKey(
        Resource,
        verbose_name=_("对应资源"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    published = models.BooleanField(_("已发布"), default=False)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    submission = submission_field()  # the form's token: posted twice, one need (portal/submissions.py)

    scope_path = "community__path"
    scope_partner = "partner"

    class Meta:
        verbose_name = _("双向服务事项")
        verbose_name_plural = _("双向服务事项")
        ordering = ["-year", "community__path", "kind", "pk"]
        indexes = [models.Index(fields=["community", "year", "kind"])]
        constraints = [
            one_per_submission("created_by", "one_service_item_per_submission"),
            models.CheckConstraint(
                condition=models.Q(taken__lte=models.F("shares")),
                name="cogov_item_taken_within_shares",
                violation_error_message=_("认领份数超过了事项的份数。"),
            ),
            models.CheckConstraint(
                condition=models.Q(kind="need", partner__isnull=True)
                | models.Q(kind="resource", partner__isnull=False),
                name="cogov_item_resource_has_partner",
            ),
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(starts_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="cogov_item_ends_after_start",
                violation_error_message=_("完成期限不能早于开始日期。"),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("cogov:item_detail", args=[self.pk])

    @property
    def open_shares(self) -> int:
        return self.shares - self.taken

    @classmethod
    def open_to_partners_q(cls, partner_ids) -> models.Q:
        """The needs open to the partners `partner_ids` (the scoping function's partner clause): published
        needs of the communities where one of them is located (or below the area it is located in: a county
        bureau serves the county's communities) or has signed an agreement, and the needs they claimed."""
        from grassroots.areas.subtree import ancestor_paths, under_q
        from grassroots.cogov.models import Agreement

        located = list(Partner.objects.filter(pk__in=partner_ids).values_list("area__path", flat=True))
        signed = list(
            Agreement.objects.filter(partner__in=partner_ids).values_list("party_org__area__path", flat=True)
        )
        paths = located + signed
        places = under_q(paths, "community__path") | models.Q(community__path__in=ancestor_paths(paths))
        published = models.Q(kind=ItemKind.NEED, published=True) & places
        return published | models.Q(pk__in=Claim.objects.filter(partner__in=partner_ids).values("item"))


class ClaimState(models.TextChoices):
    PENDING = "pending", _("待接收")
    ACCEPTED = "accepted", _("已接收")
    DECLINED = "declined", _("未接收")
    WITHDRAWN = "withdrawn", _("已撤回")
    DELIVERED = "delivered", _("已交付待确认")
    CONFIRMED = "confirmed", _("已确认完成")


# The states in which a claim holds its shares of the item.
HOLDING = (ClaimState.PENDING, ClaimState.ACCEPTED, ClaimState.DELIVERED, ClaimState.CONFIRMED)

# Who takes the community's steps (accept, decline, confirm): its workers and secretary.
community_staff = roles_on("item__community__path", *COMMUNITY_STAFF)
# Who takes the partner's steps (withdraw, deliver): the representatives of the claim's partner.
partner_side = represents("partner", "cogov.claim")


class Claim(WorkflowModel):
    """A partner's claim of shares of a need, or its commitment of a resource, and its delivery."""

    item = models.ForeignKey(
        ServiceItem, verbose_name=_("事项"), on_delete=models.PROTECT, related_name="claims"
    )
    partner = models.ForeignKey(
        Partner, verbose_name=_("共建单位"), on_delete=models.PROTECT, related_name="claims"
    )
    shares = models.PositiveSmallIntegerField(_("认领份数"), default=1, validators=[MinValueValidator(1)])
    planned_on = models.DateField(_("计划完成日期"))
    note = models.CharField(_("说明"), max_length=300, blank=True)
    state = StateField(
        _("状态"), max_length=12, choices=ClaimState.choices, default=ClaimState.PENDING, protected=True
    )
    decline_reason = models.TextField(_("未接收的理由"), blank=True)
    delivered_on = models.DateField(_("交付日期"), null=True, blank=True)
    beneficiaries = models.PositiveIntegerField(_("受益人数"), null=True, blank=True)
    delivery_note = models.TextField(_("交付情况"), blank=True, max_length=1000)
    evidence = models.FileField(_("佐证材料"), upload_to=RandomName("cogov"), blank=True)
    evidence_name = models.CharField(max_length=200, blank=True)
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    claimed_at = models.DateTimeField(_("认领时间"), default=timezone.now)
    step_since = models.DateTimeField(default=timezone.now, editable=False)
    # The planned date the late-delivery reminder was sent for (the clock's `cogov.remind_late_claims`).
    late_reminded_for = models.DateField(_("逾期提醒对应的计划日期"), null=True, blank=True, editable=False)

    scope_path = "item__community__path"
    scope_partner = "partner"
    view_permission = "cogov.view"
    start_label = _("认领")
    pending_since = "step_since"
    pending_steps = ("accept", "confirm", "deliver")
    pending_related = ("item", "item__community", "partner")
    pending_order = ("step_since", "pk")

    class Meta:
        verbose_name = _("认领")
        verbose_name_plural = _("认领")
        ordering = ["-claimed_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["item", "partner"],
                condition=models.Q(state__in=["pending", "accepted", "delivered", "confirmed"]),
                name="cogov_one_live_claim_per_partner",
                violation_error_message=_("本单位已认领该事项。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.partner} · {self.item}"

    def get_absolute_url(self) -> str:
        return reverse("cogov:claim_detail", args=[self.pk])

    @classmethod
    def visible_to(cls, user):
        from grassroots.cogov.selectors_items import visible_claims

        return visible_claims(user)

    def pending_title(self) -> str:
        state = self.get_state_display()
        if self.late:
            state = _("%(state)s，已过计划完成日期") % {"state": state}
        return str(
            _("%(partner)s · %(item)s（%(state)s）")
            % {"partner": self.partner.name, "item": self.item.title, "state": state}
        )

    def pending_subject(self) -> str:
        return self.pending_title()

    def pending_area(self):
        return self.item.community

    def pending_deadline(self):
        return self.planned_on if self.state == ClaimState.ACCEPTED else None

    @property
    def late(self) -> bool:
        """Accepted and not delivered past its planned date (reminded by the clock)."""
        return self.state == ClaimState.ACCEPTED and self.planned_on < timezone.localdate()

    @property
    def on_time(self) -> bool | None:
        if self.delivered_on is None:
            return None
        return self.delivered_on <= self.planned_on

    def _release(self) -> None:
        ServiceItem.objects.filter(pk=self.item_id).update(taken=models.F("taken") - self.shares)

    @transition(
        field=state,
        source=ClaimState.PENDING,
        target=ClaimState.ACCEPTED,
        permission=community_staff,
        custom=step(_("接收"), style="success", icon="check2-circle"),
    )
    def accept(self, *, actor, comment=""):
        self.step_since = timezone.now()

    @transition(
        field=state,
        source=ClaimState.PENDING,
        target=ClaimState.DECLINED,
        permission=community_staff,
        custom=step(
            _("不接收"),
            style="danger",
            icon="x-circle",
            comment_required=True,
            comment_label=_("不接收的理由"),
        ),
    )
    def decline(self, *, actor, comment=""):
        self.decline_reason = comment
        self._release()

    @transition(
        field=state,
        source=ClaimState.PENDING,
        target=ClaimState.WITHDRAWN,
        permission=partner_side,
        custom=step(_("撤回认领"), style="secondary", icon="arrow-counterclockwise"),
    )
    def withdraw(self, *, actor, comment=""):
        self._release()

    @transition(
        field=state,
        source=ClaimState.ACCEPTED,
        target=ClaimState.DELIVERED,
        permission=partner_side,
        custom=step(
            _("登记交付"),
            style="primary",
            icon="box-seam",
            form_url=lambda claim: reverse("cogov:claim_deliver", args=[claim.pk]),
        ),
    )
    def deliver(self, *, actor, comment=""):
        self.step_since = timezone.now()

    @transition(
        field=state,
        source=ClaimState.DELIVERED,
        target=ClaimState.CONFIRMED,
        permission=community_staff,
        custom=step(_("确认完成"), style="success", icon="patch-check"),
    )
    def confirm(self, *, actor, comment=""):
        self.confirmed_at = timezone.now()
        self.step_since = self.confirmed_at

    def workflow_notices(self, name, *, actor, comment):
        from grassroots.cogov.services_items import community_staff_ids

        reps = list(self.partner.representatives.values_list("pk", flat=True))
        title = self.item.title
        if name == "start":
            return [
                Notice(
                    community_staff_ids(self.item.community.path),
                    _("%(partner)s认领了“%(item)s”，请接收") % {"partner": self.partner.name, "item": title},
                )
            ]
        if name == "accept":
            return [Notice(reps, _("社区已接收您单位对“%(item)s”的认领") % {"item": title})]
        if name == "decline":
            return [
                Notice(
                    reps,
                    _("社区未接收您单位对“%(item)s”的认领：%(reason)s")
                    % {"item": title, "reason": comment[:100]},
                )
            ]
        if name == "deliver":
            return [
                Notice(
                    community_staff_ids(self.item.community.path),
                    _("%(partner)s已交付“%(item)s”，请确认") % {"partner": self.partner.name, "item": title},
                )
            ]
        if name == "confirm":
            return [Notice(reps, _("社区已确认“%(item)s”完成") % {"item": title})]
        return []


class RaterKind(models.TextChoices):
    COMMUNITY = "community", _("社区评价")
    RESIDENT = "resident", _("居民评价")


class Verdict(models.TextChoices):
    """The three-level scale of residents' satisfaction that communities report (满意率 = (满意 + 基本满意) /
    ratings); the same values as self-governance's public evaluation."""

    SATISFIED = "satisfied", _("满意")
    BASIC = "basic", _("基本满意")
    UNSATISFIED = "unsatisfied", _("不满意")


class Rating(models.Model):
    """One rater's rating of a confirmed delivery (跟踪问效): a score 1 (很不满意) … 5 (很满意) and the
    verdict 满意 / 基本满意 / 不满意."""

    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="ratings")
    # None once the rater's data is erased (privacy): the score stays on the partner's record.
    rater = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    rater_kind = models.CharField(_("评价方"), max_length=10, choices=RaterKind.choices)
    score = models.PositiveSmallIntegerField(
        _("满意度"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    verdict = models.CharField(_("满意程度"), max_length=12, choices=Verdict.choices)
    comment = models.CharField(_("评价意见"), max_length=300, blank=True)
    rated_at = models.DateTimeField(_("评价时间"), default=timezone.now)

    scope_path = "claim__item__community__path"
    scope_partner = "claim__partner"

    class Meta:
        verbose_name = _("服务评价")
        verbose_name_plural = _("服务评价")
        ordering = ["-rated_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["claim", "rater"],
                name="cogov_one_rating_per_rater",
                violation_error_message=_("您已评价过。"),
            ),
            models.CheckConstraint(
                condition=models.Q(score__gte=1, score__lte=5), name="cogov_rating_score_1_to_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.claim_id} · {self.score}"


# The score's choices are numbers (5 很满意 … 1 很不满意): their words would repeat the verdict's
# 满意 / 基本满意 / 不满意 asked beside them.
SCORES = [(n, str(n)) for n in (5, 4, 3, 2, 1)]
