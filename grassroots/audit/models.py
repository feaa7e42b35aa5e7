"""The audit trail's own tables. Changes to records are django-auditlog's `LogEntry` rows; next to them:

- `AuditEvent`: logins, logouts, failed logins, two-factor failures, password changes and exports
  (who, when, from where, what, how many rows).
- `AuditScope`: the area path of the record a `LogEntry` is about, so that the audit page scopes change
  entries with the same one prefix query as everything else.

- `ChainLink` / `ChainHead`: the hash chain over `AuditEvent` and `LogEntry` rows (grassroots/audit/chain.py).
- `Redaction`: a row of the trail pseudonymised after a deletion request (grassroots/audit/redaction.py).

Every table of the trail is append-only: rows are inserted, never updated; they are deleted only by the
retention job (`services.prune_audit`), which is the one path that opens `allow_prune()`. The one path that
updates rows is the redaction of a deleted person's identifiers (`redaction.redact`, `allow_redaction()`).
"""

from __future__ import annotations

import contextlib
from contextvars import ContextVar

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

_pruning: ContextVar[bool] = ContextVar("grassroots_audit_pruning", default=False)
_redacting: ContextVar[bool] = ContextVar("grassroots_audit_redacting", default=False)


class AppendOnlyError(PermissionDenied):
    """Raised when code tries to change or delete a row of the audit trail."""

    def __init__(self, message: str | None = None):
        super().__init__(message or _("审计日志只能追加，不能修改或删除。"))


@contextlib.contextmanager
def allow_prune():
    """Open the one deletion path of the audit trail (used only by the retention job), in the ORM and in the
    database (the triggers of dbguard.py)."""
    from grassroots.audit.dbguard import opened

    token = _pruning.set(True)
    try:
        with opened():
            yield
    finally:
        _pruning.reset(token)


def pruning() -> bool:
    return _pruning.get()


@contextlib.contextmanager
def allow_redaction():
    """Open the one update path of the audit trail (used only by redaction.redact), in the ORM and in the
    database (dbguard.py)."""
    from grassroots.audit.dbguard import opened

    token = _redacting.set(True)
    try:
        with opened():
            yield
    finally:
        _redacting.reset(token)


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        if not _redacting.get():
            raise AppendOnlyError()
        return super().update(**kwargs)

    def delete(self):
        if not pruning():
            raise AppendOnlyError()
        return super().delete()


class AppendOnlyModel(models.Model):
    """Rows are written once. Cascaded deletes are refused by the pre_delete receiver in receivers.py."""

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError()
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if not pruning():
            raise AppendOnlyError()
        return super().delete(*args, **kwargs)


class AuditEvent(AppendOnlyModel):
    class Kind(models.TextChoices):
        LOGIN = "login", _("登录")
        LOGOUT = "logout", _("退出登录")
        LOGIN_FAILED = "login_failed", _("登录失败")
        OTP_FAILED = "otp_failed", _("两步验证失败")
        OTP_ENROLLED = "otp_enrolled", _("启用两步验证")
        PASSWORD_CHANGED = "password_changed", _("修改密码")
        EXPORT = "export", _("导出")
        PRUNE = "prune", _("清理过期日志")
        PERSONAL_DATA = "personal_data", _("个人信息处理")

    kind = models.CharField(_("类别"), max_length=20, choices=Kind.choices, db_index=True)
    timestamp = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The username as typed or as it was at the time: kept when the user is unknown or later removed.
    username = models.CharField(_("用户名"), max_length=150, blank=True)
    ip = models.GenericIPAddressField(_("IP 地址"), null=True, blank=True)
    user_agent = models.CharField(_("浏览器"), max_length=300, blank=True)
    what = models.CharField(_("内容"), max_length=200, blank=True)
    count = models.PositiveIntegerField(_("行数"), null=True, blank=True)
    unmasked = models.BooleanField(_("未脱敏"), default=False)
    # Area path of the person or data concerned ("" when unknown: visible to auditors of a whole tree).
    scope_path = models.CharField(_("区域路径"), max_length=255, blank=True, db_index=True)

    class Meta:
        verbose_name = _("访问与导出记录")
        verbose_name_plural = _("访问与导出记录")
        ordering = ["-timestamp", "-pk"]
        default_permissions = ("view",)

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.username} · {self.timestamp:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        """Insert the row and its link of the hash chain in one transaction (chain.py)."""
        from grassroots.audit import chain

        with transaction.atomic(savepoint=False):
            super().save(*args, **kwargs)
            chain.append(self)


class AuditScope(AppendOnlyModel):
    """The area path of the record an auditlog `LogEntry` is about ("" when it belongs to no area)."""

    entry = models.OneToOneField(
        "auditlog.LogEntry", primary_key=True, on_delete=models.CASCADE, related_name="audit_scope"
    )
    area_path = models.CharField(_("区域路径"), max_length=255, blank=True, db_index=True)

    class Meta:
        verbose_name = _("变更记录范围")
        verbose_name_plural = _("变更记录范围")
        default_permissions = ("view",)

    def __str__(self) -> str:
        return self.area_path


class ChainLinkQuerySet(AppendOnlyQuerySet):
    """Links are only marked pruned and removed by the retention job (inside `allow_prune()`)."""

    def update(self, **kwargs):
        if not pruning():
            raise AppendOnlyError()
        return models.QuerySet.update(self, **kwargs)


class ChainLink(AppendOnlyModel):
    """One link of the audit hash chain: the hash of one row of the trail (`content_hash`), chained to the
    link before it: `hash = sha256(prev_hash + content_hash)`. `seq` has no gaps."""

    class Source(models.TextChoices):
        EVENT = "event", _("访问与导出记录")
        CHANGE = "change", _("数据变更")
        SCOPE = "scope", _("变更记录范围")

    seq = models.BigIntegerField(primary_key=True)
    source = models.CharField(max_length=10, choices=Source.choices)
    row_id = models.BigIntegerField()
    # The row's actor when it was written: a user deleted later (SET_NULL) is no tampering.
    actor_id = models.BigIntegerField(null=True, blank=True)
    content_hash = models.CharField(max_length=64)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)
    # The row was deleted by the retention job: the link stays until the whole prefix is anchored.
    pruned = models.BooleanField(default=False)

    objects = ChainLinkQuerySet.as_manager()

    class Meta:
        verbose_name = _("审计哈希链")
        verbose_name_plural = _("审计哈希链")
        default_permissions = ("view",)
        constraints = [models.UniqueConstraint(fields=["source", "row_id"], name="audit_chainlink_row")]

    def __str__(self) -> str:
        return f"#{self.seq} {self.source} {self.row_id}"


class Redaction(AppendOnlyModel):
    """A row of the trail whose personal identifiers were replaced after a deletion request: the row's new
    content hash. The link keeps the hash the row was written with; the verifier accepts the row's new
    content when it matches this hash and this redaction is vouched for by its `event` — an `AuditEvent`
    written in the same transaction, itself on the chain, whose text ends with the digest of all the
    redactions it made (redaction.py)."""

    source = models.CharField(max_length=10, choices=ChainLink.Source.choices)
    row_id = models.BigIntegerField()
    content_hash = models.CharField(max_length=64)
    # The AuditEvent recording the redaction (an id, not a key: the retention job deletes events).
    event_id = models.BigIntegerField(db_index=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("审计记录假名化")
        verbose_name_plural = _("审计记录假名化")
        default_permissions = ("view",)
        indexes = [models.Index(fields=["source", "row_id"], name="audit_redaction_row")]

    def __str__(self) -> str:
        return f"{self.source} {self.row_id}"


class ChainHead(models.Model):
    """The one row (pk=1) every writer locks to append: the last link (`seq`, `hash`) and the anchor of the
    pruned prefix (`anchor_seq`, `anchor_hash`: the last link removed by the retention job)."""

    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64, default="0" * 64)
    anchor_seq = models.BigIntegerField(default=0)
    anchor_hash = models.CharField(max_length=64, default="0" * 64)

    class Meta:
        verbose_name = _("审计哈希链头")
        verbose_name_plural = _("审计哈希链头")
        default_permissions = ("view",)

    def __str__(self) -> str:
        return f"#{self.seq} {self.hash}"
