"""Signal receivers of the audit trail, connected in `AuditConfig.ready()`:

- Django's user_logged_in / user_logged_out / user_login_failed → `AuditEvent` rows;
- auditlog's post_log → the `AuditScope` row of each new change entry;
- pre_save / pre_delete guards that refuse to change or delete any row of the trail;
- post_save of `LogEntry` → its link of the hash chain (chain.py), in the transaction that wrote it:
  auditlog's two writers (`LogEntryManager.log_create`, `log_m2m_changes`) are wrapped in a transaction.
"""

import functools

from auditlog.models import LogEntry, LogEntryManager
from auditlog.signals import post_log
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db import transaction
from django.db.models.signals import post_save, pre_delete, pre_save

from grassroots.audit import chain, services
from grassroots.audit.models import AppendOnlyError, AuditEvent, AuditScope, pruning


def on_logged_in(sender, request, user, **kwargs):
    services.record_access(kind=AuditEvent.Kind.LOGIN, user=user, request=request)


def on_logged_out(sender, request, user, **kwargs):
    if user is not None:
        services.record_access(kind=AuditEvent.Kind.LOGOUT, user=user, request=request)


def on_login_failed(sender, credentials, request=None, **kwargs):
    User = get_user_model()
    username = str(credentials.get(User.USERNAME_FIELD) or credentials.get("username") or "")[:150]
    user = User._default_manager.filter(**{User.USERNAME_FIELD: username}).first() if username else None
    services.record_access(kind=AuditEvent.Kind.LOGIN_FAILED, user=user, username=username, request=request)


def on_change_logged(sender, instance, log_entry=None, log_created=False, **kwargs):
    if log_created and log_entry is not None:
        services.attach_scope(entry=log_entry, instance=instance)


def refuse_log_entry_update(sender, instance, raw=False, **kwargs):
    if not instance._state.adding:
        raise AppendOnlyError()


def refuse_delete(sender, instance, **kwargs):
    if not pruning():
        raise AppendOnlyError()


def chain_change(sender, instance, created=False, raw=False, **kwargs):
    if created and not raw:
        chain.append(instance)


def _in_one_transaction(method):
    @functools.wraps(method)
    def wrapped(*args, **kwargs):
        with transaction.atomic(savepoint=False):
            return method(*args, **kwargs)

    wrapped.grassroots_atomic = True
    return wrapped


def make_log_writes_atomic() -> None:
    """auditlog writes a change entry in autocommit when its caller has no transaction: wrap its writers so
    that the entry and its chain link commit together (a crash cannot leave an unlinked entry)."""
    for name in ("log_create", "log_m2m_changes"):
        method = getattr(LogEntryManager, name)
        if not getattr(method, "grassroots_atomic", False):
            setattr(LogEntryManager, name, _in_one_transaction(method))


def connect() -> None:
    from grassroots.audit.actor import name_the_request_user

    # Before auditlog's per-request receiver (connected later, per request): API users named (actor.py).
    pre_save.connect(name_the_request_user, sender=LogEntry, dispatch_uid="audit.logentry_request_user")
    user_logged_in.connect(on_logged_in, dispatch_uid="audit.logged_in")
    user_logged_out.connect(on_logged_out, dispatch_uid="audit.logged_out")
    user_login_failed.connect(on_login_failed, dispatch_uid="audit.login_failed")
    post_log.connect(on_change_logged, dispatch_uid="audit.change_scope")
    pre_save.connect(refuse_log_entry_update, sender=LogEntry, dispatch_uid="audit.logentry_no_update")
    post_save.connect(chain_change, sender=LogEntry, dispatch_uid="audit.logentry_chain")
    make_log_writes_atomic()
    for model in (LogEntry, AuditEvent, AuditScope):
        pre_delete.connect(refuse_delete, sender=model, dispatch_uid=f"audit.no_delete.{model._meta.label}")
