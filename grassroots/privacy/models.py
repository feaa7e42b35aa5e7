"""Consent to the privacy notice (PIPL arts. 14, 17), and a person's request about their own data (PIPL
arts. 46–47): a correction or a deletion, handled by the officials who keep the person's record
(`privacy.handle` on the person's area). submitted → done, or → refused (with the reason). Completing a
deletion request erases the person's data within the retention rules (services.erase_person)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import transition

from grassroots.access.rules import both, not_user, roles_on
from grassroots.access.scoping import scope_q
from grassroots.accounts.roles import SUPERVISORS, Role
from grassroots.areas.models import Area
from grassroots.workflow.fields import StateField
from grassroots.workflow.models import Notice, WorkflowModel
from grassroots.workflow.permissions import step

HANDLER_ROLES = SUPERVISORS | {Role.COMMUNITY_SECRETARY}
PERMISSION = "privacy.handle"

may_handle = roles_on("area__path", *HANDLER_ROLES)
# Nobody decides a request about themself.
may_decide = both(may_handle, not_user("user"))


class RequestKind(models.TextChoices):
    CORRECTION = "correction", _("更正")
    DELETION = "deletion", _("删除")


class RequestState(models.TextChoices):
    SUBMITTED = "submitted", _("已提交")
    DONE = "done", _("已办结")
    REFUSED = "refused", _("已拒绝")


class DataRequest(WorkflowModel):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("申请人"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("类型"), max_length=12, choices=RequestKind.choices)
    # Where the request is handled: the person's home area, else the highest area they hold a role on.
    area = models.ForeignKey(Area, verbose_name=_("区域"), on_delete=models.PROTECT, related_name="+")
    details = models.TextField(_("说明"), max_length=2000, blank=True)
    state = StateField(
        _("状态"), choices=RequestState.choices, default=RequestState.SUBMITTED, protected=True, db_index=True
    )
    submitted_at = models.DateTimeField(_("提交时间"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("办理人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    reply = models.TextField(_("答复"), blank=True)
    # For a deletion: what was deleted, pseudonymised or kept, part by part.
    outcome = models.TextField(_("处理结果"), blank=True)

    scope_path = "area__path"
    view_permission = PERMISSION
    start_label = _("提交申请")
    pending_since = "submitted_at"
    pending_steps = ("complete", "refuse")
    pending_related = ("area",)
    pending_order = ("submitted_at", "pk")

    class Meta:
        verbose_name = _("个人信息申请")
        verbose_name_plural = _("个人信息申请")
        ordering = ["-submitted_at", "-pk"]
        indexes = [models.Index(fields=["state", "submitted_at"], name="privacy_request_queue")]
        constraints = [  # one open request of each kind per person: a double click files one
            models.UniqueConstraint(
                fields=["user", "kind"],
                condition=models.Q(state=RequestState.SUBMITTED),
                name="privacy_one_open_request",
            )
        ]

    def __str__(self) -> str:
        return str(_("%(kind)s申请 #%(pk)s") % {"kind": self.get_kind_display(), "pk": self.pk})

    def get_absolute_url(self) -> str:
        return reverse("privacy:request_detail", args=[self.pk])

    @transition(
        field=state,
        source=RequestState.SUBMITTED,
        target=RequestState.DONE,
        permission=may_decide,
        custom=step(
            _("办结"), style="success", icon="check-circle", comment_label=_("答复（已更正的内容等）")
        ),
    )
    def complete(self, *, actor, comment=""):
        self.decided_by, self.decided_at, self.reply = actor, timezone.now(), comment
        if self.kind == RequestKind.DELETION:
            from grassroots.privacy.services import erase_person

            self.outcome = erase_person(request=self, actor=actor)

    @transition(
        field=state,
        source=RequestState.SUBMITTED,
        target=RequestState.REFUSED,
        permission=may_decide,
        custom=step(
            _("拒绝"), style="outline-danger", icon="x-circle", comment_required=True, comment_label=_("理由")
        ),
    )
    def refuse(self, *, actor, comment=""):
        self.decided_by, self.decided_at, self.reply = actor, timezone.now(), comment

    @classmethod
    def visible_to(cls, user) -> models.QuerySet:
        """Handlers in scope see the requests of their area; a person sees their own."""
        if user is None or not user.is_authenticated:
            return cls.objects.none()
        return cls.objects.filter(scope_q(user, PERMISSION, "area__path") | models.Q(user=user))

    def pending_title(self) -> str:
        return str(
            _("个人信息%(kind)s申请 #%(pk)s（%(area)s）")
            % {"kind": self.get_kind_display(), "pk": self.pk, "area": self.area.name}
        )

    def handlers(self):
        from django.contrib.auth import get_user_model

        depth = len(self.area.path) // Area.steplen
        paths = [self.area.path[: i * Area.steplen] for i in range(1, depth + 1)]
        return (
            get_user_model()
            .objects.filter(
                is_active=True,
                grants__role__in=HANDLER_ROLES,
                grants__area__path__in=paths,
                grants__area__retired=False,
            )
            .exclude(pk=self.user_id)
            .distinct()
        )

    def workflow_notices(self, name: str, *, actor, comment: str):
        if name == "start":
            verb = _("有一份个人信息%(kind)s申请（%(area)s），请办理。")
            return [Notice(self.handlers(), verb % {"kind": self.get_kind_display(), "area": self.area.name})]
        if name == "complete" and self.kind == RequestKind.CORRECTION:
            return [Notice([self.user], _("您的个人信息更正申请已办结：%(reply)s") % {"reply": comment})]
        if name == "refuse":
            verb = _("您的个人信息%(kind)s申请未获同意：%(reason)s")
            return [Notice([self.user], verb % {"kind": self.get_kind_display(), "reason": comment})]
        return []


class Consent(models.Model):
    """A person agreed to a version of the privacy notice (`notice.NOTICE_VERSION`), when and for what. Kept
    as evidence (PIPL art. 14): a deletion pseudonymises the account, not this row. A withdrawal (art. 15)
    stamps `withdrawn_at` on the person's latest consent; agreeing again writes a new row. The person's
    standing is their latest row (consent.py `standing`)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="+"
    )
    version = models.CharField(_("规则版本"), max_length=20)
    purpose = models.CharField(_("用途"), max_length=100)
    given_at = models.DateTimeField(_("同意时间"), default=timezone.now)
    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("个人信息处理同意")
        verbose_name_plural = _("个人信息处理同意")
        ordering = ["-given_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.user} · {self.version}"
