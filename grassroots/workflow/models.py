"""The shared workflow mechanism: the abstract base every process with steps inherits, the append-only
transition log with its attachments, and in-app notifications. See docs/workflow.md."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMFieldMixin

from grassroots.access.scoping import scoped
from grassroots.files.naming import random_name


@dataclass(frozen=True)
class Notice:
    """Who to tell about a transition, and what. `url` defaults to the record's page."""

    recipients: Iterable[Any]
    verb: str
    url: str = ""


@dataclass(frozen=True)
class PendingItem:
    """A record awaiting a transition the user may take (for home pages and the notification centre).
    `kind` names the model ("app_label.model"), `kind_label` its name; `subject` is what the item is about
    without its area (items of one kind with the same subject are one piece of work in several areas, shown
    once on the home page); `area` and `deadline` when the record has them."""

    title: str
    url: str
    state_label: str
    since: datetime
    kind: str = ""
    kind_label: str = ""
    subject: str = ""
    area: Any = None
    deadline: Any = None


@functools.cache
def _state_fields(model) -> tuple:
    return tuple(f for f in model._meta.fields if isinstance(f, FSMFieldMixin))


class WorkflowModel(ConcurrentTransitionMixin, models.Model):
    """Abstract base of every record that moves through steps.

    A subclass declares `state = StateField(choices=…, default=…, protected=True)`, its transitions with
    `@transition(field=state, …, permission=roles_on(…), conditions=[Check(…)], custom=step(…))`, each
    transition method taking keyword-only `actor` and `comment`, its `scope_path`, and
    `get_absolute_url()`. It may override the hooks below. Transitions are taken only through
    `grassroots.workflow.services.transition`, which checks, saves, logs and notifies in one transaction.
    ConcurrentTransitionMixin refuses to save a record whose state changed since it was loaded.
    """

    state_field = "state"
    # The permission that lets a user see the record (and so reach the generic transition view).
    view_permission = "workflow.view"
    # The timeline's label for the record's creation (see services.start).
    start_label = _("创建")
    # The field telling since when a record has waited in its current state (PendingItem.since).
    pending_since = "created_at"
    # The worklist ("what awaits me"), derived from the transitions: a record awaits a user when it is in a
    # source state of one of `pending_steps` and that step's permission admits the user (its `q(user)`).
    # () = the model keeps no worklist. `pending_related` is select_related (what `pending_title` reads),
    # `pending_order` the order (oldest first).
    pending_steps: tuple[str, ...] = ()
    pending_related: tuple[str, ...] = ()
    pending_order: tuple[str, ...] = ("pk",)

    class Meta:
        abstract = True

    # --- hooks ------------------------------------------------------------------------------------------
    @classmethod
    def visible_to(cls, user) -> models.QuerySet:
        """The records `user` may see; everything else answers 404."""
        return scoped(cls._default_manager.all(), user, cls.view_permission)

    @classmethod
    def pending_q(cls, user) -> models.Q:
        """The filter of the worklist: the `pending_steps` that `user` may take (override to add work that is
        no transition, e.g. a reviewer's score)."""
        from grassroots.workflow.engine import waiting_q  # the engine reads this module's models

        return waiting_q(cls, cls.pending_steps, user)

    @classmethod
    def pending_for(cls, user) -> models.QuerySet | None:
        """The records awaiting a transition `user` may take, oldest first, in one query (None: this model
        keeps no worklist)."""
        if not cls.pending_steps:
            return None
        if user is None or not user.is_authenticated:
            return cls._default_manager.none()
        return (
            cls._default_manager.filter(cls.pending_q(user))
            .select_related(*cls.pending_related)
            .order_by(*cls.pending_order)
        )

    def workflow_notices(self, name: str, *, actor, comment: str) -> Iterable[Notice]:
        """The notifications transition `name` (or "start" for the record's creation) sends. The actor is
        never notified of their own action."""
        return ()

    def pending_title(self) -> str:
        return str(self)

    def pending_subject(self) -> str:
        """What the item is about without its area and deadline (the title by default)."""
        return self.pending_title()

    def pending_area(self):
        """The area the item concerns: the record's `area` when it is select_related (`pending_related`)."""
        return self.area if "area" in self.pending_related else None

    def pending_deadline(self):
        """The date by which the step is due, when the record has one."""
        return None

    def refresh_from_db(self, using=None, fields=None, from_queryset=None):
        """Reload from the database without django-fsm-2's way of allowing it: the library switches the
        state field's `protected` flag off and on again on the field object, which all threads share, so
        two records refreshed at once (two people deciding on one record) could make a third refresh fail
        with "Direct state modification is not allowed". Dropping the instance's own state value first lets
        Django set it like any unloaded field, and touches nothing shared."""
        protected = self._get_protected_fsm_fields()
        if fields is None:  # all loaded fields, and forget cached relations as Django does for None
            deferred = self.get_deferred_fields()
            fields = [f.attname for f in self._meta.concrete_fields if f.attname not in deferred]
            self._prefetched_objects_cache = {}
            for relation in (*self._meta.related_objects, *self._meta.private_fields):
                if relation.is_relation and relation.is_cached(self):
                    relation.delete_cached_value(self)
        # Every protected field, not only those asked for: the copy Django reads the values from loads its
        # state in __init__ (ConcurrentTransitionMixin), so Django sets the state even when reloading one
        # deferred field (`only("pk")` then `.name`). A value Django did not reload is put back.
        kept = {name: self.__dict__.pop(name) for name in protected if name in self.__dict__}
        models.Model.refresh_from_db(self, using=using, fields=fields, from_queryset=from_queryset)
        for name, value in kept.items():
            self.__dict__.setdefault(name, value)
        self._update_initial_state()

    def clean_fields(self, exclude=None):
        """`full_clean()` without the protected state field: Django would assign its cleaned value back,
        which django-fsm refuses ("Direct state modification is not allowed"); the state only ever takes the
        values the transitions declare."""
        exclude = {*(exclude or ()), *self._get_protected_fsm_fields()}
        super().clean_fields(exclude=exclude)

    @property
    def state_fields(self) -> tuple:
        """django-fsm's state fields of the model, found once per model class: the library filters every
        field of the model through a lambda on each instance's creation (ConcurrentTransitionMixin keeps
        the state as loaded), a sixth of the time to build a member."""
        return _state_fields(type(self))

    # --- helpers ----------------------------------------------------------------------------------------
    @property
    def state_value(self) -> str:
        return getattr(self, self.state_field)

    @property
    def state_label(self) -> str:
        return state_label(type(self), self.state_value)

    def as_pending_item(self) -> PendingItem:
        return PendingItem(
            title=self.pending_title(),
            url=self.get_absolute_url(),
            state_label=self.state_label,
            since=getattr(self, self.pending_since),
            kind=self._meta.label_lower,
            kind_label=str(self._meta.verbose_name),
            subject=self.pending_subject(),
            area=self.pending_area(),
            deadline=self.pending_deadline(),
        )


def state_label(model: type[models.Model], value: str) -> str:
    if not value:
        return ""
    field = model._meta.get_field(getattr(model, "state_field", "state"))
    return str(dict(field.flatchoices).get(value, value))


class AppendOnlyError(Exception):
    """Raised on any attempt to change or delete a row of an append-only log."""


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError(f"{self.model.__name__} is append-only: rows cannot be updated")

    def delete(self):
        raise AppendOnlyError(f"{self.model.__name__} is append-only: rows cannot be deleted")


class AppendOnlyModel(models.Model):
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError(f"{type(self).__name__} is append-only: rows cannot be updated")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(f"{type(self).__name__} is append-only: rows cannot be deleted")


class TransitionLog(AppendOnlyModel):
    """One step of one record: who moved it, when, from which state to which, and why. Written only by
    `grassroots.workflow.services`; never changed or deleted."""

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("content_type", "object_id")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("时间"), default=timezone.now)
    transition = models.CharField(_("操作"), max_length=50)
    from_state = models.CharField(_("原状态"), max_length=50, blank=True)
    to_state = models.CharField(_("新状态"), max_length=50)
    comment = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("流程记录")
        verbose_name_plural = _("流程记录")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["content_type", "object_id", "at"], name="workflow_log_timeline")]

    def __str__(self) -> str:
        return f"{self.transition}: {self.from_state or '∅'} → {self.to_state}"


def attachment_path(instance: TransitionAttachment, filename: str) -> str:
    """workflow/<year>/<month>/<random>.<ext>: the stored name reveals nothing; `name` keeps the original."""
    return random_name("workflow", filename)


class TransitionAttachment(AppendOnlyModel):
    """A file attached to one transition (evidence, minutes, a photo). Served only through the scoped
    download view, never straight from MEDIA_URL."""

    log = models.ForeignKey(TransitionLog, on_delete=models.PROTECT, related_name="attachments")
    file = models.FileField(_("文件"), upload_to=attachment_path, max_length=255)
    name = models.CharField(_("文件名"), max_length=255)
    size = models.PositiveBigIntegerField(_("大小"), default=0)

    class Meta:
        verbose_name = _("流程附件")
        verbose_name_plural = _("流程附件")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class Notification(models.Model):
    """An in-app notification: "`verb`", about `target`, linking to `url`."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("接收人"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    verb = models.CharField(_("内容"), max_length=255)
    target_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    target_id = models.PositiveBigIntegerField(null=True, blank=True)
    target = GenericForeignKey("target_type", "target_id")
    url = models.CharField(_("链接"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("时间"), default=timezone.now)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="workflow_notif_recipient"),
            models.Index(
                fields=["recipient"],
                condition=models.Q(read_at__isnull=True),
                name="workflow_notif_unread",
            ),
        ]

    def __str__(self) -> str:
        return self.verb

    @property
    def is_read(self) -> bool:
        return self.read_at is not None
