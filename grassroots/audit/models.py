"""The audit trail's own tables. Changes to records are django-auditlog's `LogEntry` rows; next to them:

- `AuditEvent`: logins, logouts, failed logins, two-factor failures, password changes and exports
  (who, when, from where, what, how many rows).
- `AuditScope`: the area path of the record a `LogEntry` is about, so that the audit page scopes change
  entries with the same one prefix query as everything else.

Every table of the trail is append-only: rows are inserted, never updated; they are deleted only by the
retention job (`services.prune_audit`), which is the one path that opens `allow_prune()`.
"""

from __future__ import annotations

import contextlib
from contextvars import ContextVar

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

_pruning: ContextVar[bool] = ContextVar("grassroots_audit_pruning", default=False)


class AppendOnlyError(PermissionDenied):
    """Raised when code tries to change or delete a row of the audit trail."""

    def __init__(self, message: str | None = None):
        super().__init__(message or _("审计日志只能追加，不能修改或删除。"))


@contextlib.contextmanager
def allow_prune():
    """Open the one deletion path of the audit trail (used only by the retention job)."""
    token = _pruning.set(True)
    try:
        yield
    finally:
        _pruning.reset(token)


def pruning() -> bool:
    return _pruning.get()


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError()

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
