"""Signal receivers of the audit trail, connected in `AuditConfig.ready()`:

- Django's user_logged_in / user_logged_out / user_login_failed → `AuditEvent` rows;
- auditlog's post_log → the `AuditScope` row of each new change entry;
- pre_save / pre_delete guards that refuse to change or delete any row of the trail;
- post_save of `LogEntry` → its link of the hash chain (chain.py), in the transaction that wrote it:
  auditlog's two writers (`LogEntryManager.log_create`, `log_m2m_changes`) are wrapped in a transaction;
- auditlog's `accessed` → `log_access_entries`, the one writer of ACCESS entries (查看), for one record
  (actor.log_access, through the signal: registry.on_accessed) or a page of them (actor.log_access_many).
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


def log_access_entries(instances) -> None:
    """ACCESS entries ("查看") of `instances` (records of tracked models; whatever their scope path follows
    loaded), each with its area scope and their links of the hash chain — entry, then its scope, as a change
    entry is linked, so a page gives the links N single reads would — written in bulk: a page costs the same
    few queries whatever its length. The actor is the context's (acting_as, the middleware) or the API's
    authenticated user, as for a change entry (pre_save of LogEntry, sent as save() would)."""
    from auditlog.cid import get_cid
    from django.contrib.contenttypes.models import ContentType
    from django.db import router
    from django.utils.encoding import smart_str

    from grassroots.audit.registry import scope_path_of

    instances = [i for i in dict.fromkeys(instances) if i.pk is not None]
    if not instances:
        return
    using = router.db_for_write(LogEntry)
    with transaction.atomic(using=using, savepoint=False):
        entries = []
        for instance in instances:
            entry = LogEntry(
                content_type=ContentType.objects.get_for_model(instance),
                object_pk=str(instance.pk),
                object_id=instance.pk if isinstance(instance.pk, int) else None,
                object_repr=smart_str(instance),
                serialized_data=LogEntry.objects._get_serialized_data_or_none(instance),
                action=LogEntry.Action.ACCESS,
                changes=None,
                cid=get_cid(),
            )
            get_additional_data = getattr(instance, "get_additional_data", None)
            if callable(get_additional_data):
                entry.additional_data = get_additional_data()
            # What save() would do before the insert: the context's actor, address and port (auditlog's
            # receiver) or the API's authenticated user (actor.name_the_request_user).
            pre_save.send(sender=LogEntry, instance=entry, raw=False, using=using, update_fields=None)
            entries.append(entry)
        LogEntry.objects.bulk_create(entries)
        scopes = AuditScope.objects.bulk_create(
            AuditScope(entry=entry, area_path=scope_path_of(instance))
            for entry, instance in zip(entries, instances, strict=True)
        )
        chain.append_many([row for pair in zip(entries, scopes, strict=True) for row in pair])


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
