"""Joint meetings (联席会议) and their follow-up (跟踪问效), docs/cogov.md.

- `JointBody`: the joint-meeting body of a street or community — hosted by the area's Party organization
  (`host`), its member units the partners (`members`).
- `JointMeeting`: one meeting of a body; the meeting itself is a gathering of the gatherings mechanism (kind
  `joint_meeting`: time, place, agenda as its description, minutes, held/cancelled), this row ties it to the
  body and carries the member units' attendance (`UnitAttendance`).
- `ActionItem`: a decision of a meeting to carry out, with its owner (a member unit and/or a person) and
  deadline, on the workflow mechanism: open → done (evidence: the step's note and files) → verified by the
  host, or sent back (with the reason) to open. Overdue: open past its deadline (reminded by the clock)."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import transition

from grassroots.access.rules import either, is_user, represents, roles_at
from grassroots.access.scoping import has_perm
from grassroots.accounts.roles import LINE_OFFICIALS
from grassroots.areas.models import Area, PartyOrg
from grassroots.workflow.fields import StateField
from grassroots.workflow.models import Notice, WorkflowModel
from grassroots.workflow.permissions import step

VIEW, MANAGE = "cogov.view", "cogov.manage"


class JointBody(models.Model):
    """The joint-meeting body (联席会议) of a street or community: the area's Party organization hosts it,
    the partners are its member units."""

    area = models.ForeignKey(Area, verbose_name=_("街道（社区）"), on_delete=models.PROTECT, related_name="+")
    host = models.ForeignKey(
        PartyOrg, verbose_name=_("牵头党组织"), on_delete=models.PROTECT, related_name="joint_bodies"
    )
    name = models.CharField(_("名称"), max_length=100)
    members = models.ManyToManyField(
        "cogov.Partner", verbose_name=_("成员单位"), blank=True, related_name="joint_bodies"
    )
    note = models.TextField(_("议事规则与说明"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    scope_path = "area__path"

    class Meta:
        verbose_name = _("联席会议")
        verbose_name_plural = _("联席会议")
        ordering = ["area__path", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["area", "name"],
                name="cogov_one_joint_body_per_name",
                violation_error_message=_("该区域已有同名的联席会议。"),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("cogov:joint_body_detail", args=[self.pk])

    @classmethod
    def open_to_partners_q(cls, partner_ids) -> models.Q:
        """A member unit's representatives see the bodies their unit sits in."""
        through = cls.members.through.objects.filter(partner_id__in=partner_ids)
        return models.Q(pk__in=through.values("jointbody_id"))


class JointMeeting(models.Model):
    """One meeting of a joint-meeting body: its gathering (kind `joint_meeting`) and the units' attendance."""

    body = models.ForeignKey(
        JointBody, verbose_name=_("联席会议"), on_delete=models.PROTECT, related_name="meetings"
    )
    gathering = models.OneToOneField(
        "gatherings.Gathering", verbose_name=_("会议"), on_delete=models.PROTECT, related_name="joint_meeting"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    scope_path = "body__area__path"

    class Meta:
        verbose_name = _("联席会议会议")
        verbose_name_plural = _("联席会议会议")
        ordering = ["-gathering__starts_at", "-pk"]

    def __str__(self) -> str:
        return self.gathering.title

    def get_absolute_url(self) -> str:
        return reverse("cogov:joint_meeting_detail", args=[self.pk])

    @classmethod
    def open_to_partners_q(cls, partner_ids) -> models.Q:
        """The meetings of the bodies a represented unit sits in."""
        return models.Q(body__in=JointBody.objects.filter(JointBody.open_to_partners_q(partner_ids)))


class UnitAttendance(models.Model):
    """Whether a member unit attended a meeting, and who came for it."""

    meeting = models.ForeignKey(
        JointMeeting, verbose_name=_("会议"), on_delete=models.CASCADE, related_name="attendance"
    )
    partner = models.ForeignKey("cogov.Partner", verbose_name=_("成员单位"), on_delete=models.PROTECT)
    present = models.BooleanField(_("出席"))
    attendee = models.CharField(_("参会人员"), max_length=100, blank=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)

    scope_path = "meeting__body__area__path"
    scope_partner = "partner"

    class Meta:
        verbose_name = _("成员单位出席")
        verbose_name_plural = _("成员单位出席")
        ordering = ["partner__name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "partner"], name="cogov_one_attendance_per_unit"),
        ]

    def __str__(self) -> str:
        return f"{self.partner_id}: {self.present}"


class ActionState(models.TextChoices):
    OPEN = "open", _("待落实")
    DONE = "done", _("已完成待核验")
    VERIFIED = "verified", _("已核验")


# The host: the staff of the body's own area (a community's workers and secretary, a street's officials).
host_staff = roles_at("area", *LINE_OFFICIALS)
# The owner: the person named, or the owning unit's representatives.
owner_side = either(is_user("owner_user"), represents("owner_partner", VIEW))


class ActionItem(WorkflowModel):
    """A decision of a joint meeting to carry out (督办事项): owner, deadline, and its follow-up."""

    meeting = models.ForeignKey(
        JointMeeting, verbose_name=_("会议"), on_delete=models.PROTECT, related_name="action_items"
    )
    decision = models.OneToOneField(
        "gatherings.Decision",
        verbose_name=_("决定事项"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="action_item",
    )
    area = models.ForeignKey(Area, verbose_name=_("街道（社区）"), on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("落实事项"), max_length=1000)
    owner_partner = models.ForeignKey(
        "cogov.Partner",
        verbose_name=_("责任单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="action_items",
    )
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("责任人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    due_on = models.DateField(_("完成期限"))
    state = StateField(
        _("状态"), max_length=10, choices=ActionState.choices, default=ActionState.OPEN, protected=True
    )
    done_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    done_note = models.TextField(_("完成情况"), blank=True)
    verified_at = models.DateTimeField(_("核验时间"), null=True, blank=True)
    sent_back_reason = models.TextField(_("退回理由"), blank=True)
    reminded_on = models.DateField(null=True, blank=True, editable=False)  # last overdue reminder
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)

    scope_path = "area__path"
    scope_partner = "owner_partner"
    view_permission = VIEW
    start_label = _("会议决定")
    pending_steps = ("complete", "verify")
    pending_related = ("area", "owner_partner")
    pending_order = ("due_on", "pk")

    class Meta:
        verbose_name = _("会议督办事项")
        verbose_name_plural = _("会议督办事项")
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["state", "due_on"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(owner_partner__isnull=False) | models.Q(owner_user__isnull=False),
                name="cogov_action_item_has_owner",
                violation_error_message=_("请指定责任单位或责任人。"),
            ),
        ]

    def __str__(self) -> str:
        return self.text[:40]

    def get_absolute_url(self) -> str:
        return reverse("cogov:action_item_detail", args=[self.pk])

    @classmethod
    def pending_for(cls, user):
        """No query for those who hold no `cogov.view` (residents, members): nothing can await them."""
        if not has_perm(user, VIEW):
            return cls._default_manager.none()
        return super().pending_for(user)

    @classmethod
    def visible_to(cls, user):
        from grassroots.cogov.selectors_meetings import visible_action_items

        return visible_action_items(user)

    def pending_title(self) -> str:
        return str(_("督办事项：%(text)s") % {"text": self.text[:30]})

    def pending_deadline(self):
        return self.due_on

    def is_overdue(self, today: date | None = None) -> bool:
        return self.state == ActionState.OPEN and self.due_on < (today or timezone.localdate())

    @property
    def overdue(self) -> bool:
        return self.is_overdue()

    @property
    def on_time(self) -> bool | None:
        """Done by its deadline (None while not done)."""
        if self.done_at is None:
            return None
        return timezone.localdate(self.done_at) <= self.due_on

    def owner_label(self) -> str:
        people = [p for p in (self.owner_partner, self.owner_user) if p is not None]
        return "、".join(
            (getattr(p, "full_name", "") or getattr(p, "username", "")) if p is self.owner_user else str(p)
            for p in people
        )

    # --- steps (grassroots.workflow.services.transition) ------------------------------------------------
    @transition(
        field=state,
        source=ActionState.OPEN,
        target=ActionState.DONE,
        permission=owner_side,
        custom=step(
            _("报告完成"),
            style="success",
            icon="check2-circle",
            comment_required=True,
            comment_label=_("完成情况"),
        ),
    )
    def complete(self, *, actor, comment=""):
        self.done_at = timezone.now()
        self.done_note = comment

    @transition(
        field=state,
        source=ActionState.DONE,
        target=ActionState.VERIFIED,
        permission=host_staff,
        custom=step(_("核验通过"), style="success", icon="patch-check", attachments=False),
    )
    def verify(self, *, actor, comment=""):
        self.verified_at = timezone.now()

    @transition(
        field=state,
        source=ActionState.DONE,
        target=ActionState.OPEN,
        permission=host_staff,
        custom=step(
            _("退回"),
            style="danger",
            icon="arrow-counterclockwise",
            comment_required=True,
            comment_label=_("退回理由"),
            attachments=False,
        ),
    )
    def send_back(self, *, actor, comment=""):
        self.sent_back_reason = comment
        self.done_at = None

    def owner_ids(self) -> set[int]:
        ids = {self.owner_user_id} if self.owner_user_id else set()
        if self.owner_partner_id:
            ids |= set(self.owner_partner.representatives.values_list("pk", flat=True))
        return ids

    def workflow_notices(self, name, *, actor, comment):
        if name == "start":
            return [Notice(self.owner_ids(), _("联席会议交办事项：%(text)s") % {"text": self.text[:60]})]
        if name == "complete":
            from grassroots.cogov.selectors_meetings import host_people

            return [
                Notice(host_people(self.area), _("督办事项已报告完成：%(text)s") % {"text": self.text[:60]})
            ]
        if name == "send_back":
            verb = _("督办事项被退回：%(reason)s") % {"reason": comment[:100]}
            return [Notice(self.owner_ids(), verb)]
        if name == "verify":
            return [Notice(self.owner_ids(), _("督办事项已核验：%(text)s") % {"text": self.text[:60]})]
        return []
