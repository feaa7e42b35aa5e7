"""Dual registration (双报到), member side: an in-service member registers with the community where they
live, a unit's Party organization with the community where it is located; the community confirms or returns
it; either side may end it later. See docs/members.md (双报到)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import transition

from grassroots.access.rules import either, is_user, perm_on, roles_on
from grassroots.access.scoping import scope_q
from grassroots.accounts.roles import COMMUNITY_STAFF
from grassroots.areas.models import Area, PartyOrg
from grassroots.areas.subtree import ancestor_paths
from grassroots.workflow.fields import StateField
from grassroots.workflow.models import Notice, WorkflowModel
from grassroots.workflow.permissions import Check, step


class RegistrationState(models.TextChoices):
    PENDING = "pending", _("待确认")
    CONFIRMED = "confirmed", _("已报到")
    REJECTED = "rejected", _("已退回")
    ENDED = "ended", _("已结束")


OPEN_STATES = (RegistrationState.PENDING, RegistrationState.CONFIRMED)

# The community decides: its workers and secretary (a grant on the community or above it, like the
# verification of residents). Officials above see the registrations of their subtree but do not decide.
COMMUNITY_ROLES = COMMUNITY_STAFF
may_decide = roles_on("community__path", *COMMUNITY_ROLES)
# The registrant's side: the member themself, or whoever keeps the member's record (or the unit
# organization's) — their branch secretary included (a registration names a member or an organization).
registrant_side = either(
    is_user("member__user"),
    perm_on("member__branch__area__path", "members.change", org="member__branch"),
    perm_on("party_org__area__path", "members.change", org="party_org"),
)
may_end = either(may_decide, registrant_side)
community_live = Check(lambda r: not r.community.retired, _("该社区已撤销，不能确认报到。"))


class Registration(WorkflowModel):
    """One registration of a member (`member`) or of a unit's Party organization (`party_org`) with
    `community`. pending → confirmed (or → rejected with a reason); pending or confirmed → ended. Service
    hours come from activities in later parts (`service_hours` is kept up to date by them)."""

    member = models.ForeignKey(
        "members.Member",
        verbose_name=_("党员"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="registrations",
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
    state = StateField(
        _("状态"), choices=RegistrationState.choices, default=RegistrationState.PENDING, protected=True
    )
    service_hours = models.DecimalField(_("服务时长"), max_digits=7, decimal_places=1, default=0)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("确认人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reason = models.TextField(_("退回理由"), blank=True)
    ended_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    scope_path = "community__path"
    view_permission = "members.view"
    pending_steps = ("confirm", "reject")  # the community decides; ending is no one's pending work
    pending_related = ("member", "party_org", "community")
    pending_order = ("created_at", "pk")
    start_label = _("申请报到")

    class Meta:
        verbose_name = _("双报到")
        verbose_name_plural = _("双报到")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(member__isnull=False, party_org__isnull=True)
                | models.Q(member__isnull=True, party_org__isnull=False),
                name="registration_member_xor_org",
            ),
            models.UniqueConstraint(
                fields=["member"],
                condition=models.Q(member__isnull=False, state__in=OPEN_STATES),
                name="one_open_registration_per_member",
                violation_error_message=_("该党员已有一项待确认或有效的报到。"),
            ),
            models.UniqueConstraint(
                fields=["party_org", "community"],
                condition=models.Q(party_org__isnull=False, state__in=OPEN_STATES),
                name="one_open_registration_per_org_and_community",
                violation_error_message=_("该党组织已在这个社区报到或正在等待确认。"),
            ),
        ]
        indexes = [models.Index(fields=["community", "state"], name="members_reg_community_state")]

    def __str__(self) -> str:
        return f"{self.subject_name} → {self.community}"

    def get_absolute_url(self) -> str:
        return reverse("members:registration_detail", args=[self.pk])

    @property
    def is_member(self) -> bool:
        return self.member_id is not None

    @property
    def subject_name(self) -> str:
        return self.member.name if self.member_id is not None else self.party_org.name

    # --- transitions ----------------------------------------------------------------------------------------
    @transition(
        field=state,
        source=RegistrationState.PENDING,
        target=RegistrationState.CONFIRMED,
        permission=may_decide,
        conditions=[community_live],
        custom=step(_("确认报到"), style="success", icon="check-circle"),
    )
    def confirm(self, *, actor, comment=""):
        self.confirmed_at, self.decided_by, self.reason = timezone.now(), actor, ""

    @transition(
        field=state,
        source=RegistrationState.PENDING,
        target=RegistrationState.REJECTED,
        permission=may_decide,
        custom=step(
            _("退回"),
            style="outline-danger",
            icon="x-circle",
            comment_required=True,
            comment_label=_("退回理由"),
        ),
    )
    def reject(self, *, actor, comment=""):
        self.decided_by, self.reason = actor, comment

    @transition(
        field=state,
        source=list(OPEN_STATES),
        target=RegistrationState.ENDED,
        permission=may_end,
        custom=step(_("结束报到"), style="outline-secondary", icon="box-arrow-right"),
    )
    def end(self, *, actor, comment=""):
        self.ended_at = timezone.now()

    # --- workflow hooks -------------------------------------------------------------------------------------
    @classmethod
    def visible_to(cls, user) -> models.QuerySet:
        """The community's side (members.view on the community), the registrant's side (members.view on the
        member or the unit's organization, their secretaries included) and the member themself."""
        if user is None or not user.is_authenticated:
            return cls.objects.none()
        q = (
            scope_q(user, cls.view_permission, "community__path")
            | scope_q(user, cls.view_permission, "member__branch__area__path", org_field="member__branch")
            | scope_q(user, cls.view_permission, "party_org__area__path", org_field="party_org")
            | models.Q(member__user=user)
        )
        return cls.objects.filter(q)

    def pending_title(self) -> str:
        return str(
            _("双报到：%(name)s（%(community)s）")
            % {"name": self.subject_name, "community": self.community.name}
        )

    def deciders(self) -> models.QuerySet:
        """The active users who may confirm: a community worker or secretary on the community or above."""
        paths = ancestor_paths(self.community.path)
        return (
            get_user_model()
            .objects.filter(
                is_active=True,
                grants__role__in=COMMUNITY_ROLES,
                grants__area__path__in=paths,
                grants__area__retired=False,
            )
            .distinct()
        )

    def registrants(self) -> list:
        people = [self.registered_by_id]
        if self.member_id is not None and self.member.user_id is not None:
            people.append(self.member.user_id)
        return people

    def workflow_notices(self, name: str, *, actor, comment: str):
        names = {"name": self.subject_name, "community": self.community.name}
        if name == "start":
            verb = _("%(name)s 申请到%(community)s报到，请确认。") % names
            return [Notice(self.deciders(), verb)]
        if name == "confirm":
            return [Notice(self.registrants(), _("%(name)s 到%(community)s的报到已确认。") % names)]
        if name == "reject":
            verb = _("%(name)s 到%(community)s的报到被退回：%(reason)s") % {**names, "reason": comment}
            return [Notice(self.registrants(), verb)]
        if name == "end":
            verb = _("%(name)s 在%(community)s的报到已结束。") % names
            return [Notice([*self.registrants(), *self.deciders()], verb)]
        return []
