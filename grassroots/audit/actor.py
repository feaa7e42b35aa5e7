"""Who the audit trail names for a change or a read.

- **Pages**: `AuditActorMiddleware` (auditlog's middleware) names the signed-in user and the address (the
  project's `client_ip`: X-Forwarded-For only from TRUSTED_PROXIES).
- **The API**: DRF authenticates a token *after* the middleware ran, so auditlog saw an anonymous request.
  DRF then sets the authenticated user on the Django request (`Request.user`'s setter), and the receiver
  `name_the_request_user` reads it from there when a change entry is written without an actor — for every
  viewset and every authentication class, with nothing to declare per view.
- **Services**: `acting_as(actor)` names the actor for the writes inside it (keeping the request's address
  when it is the same person) and restores the previous context afterwards (auditlog's own `set_actor`, used
  bare, would leave the middleware's context disconnected for the rest of the request).
- **Background tasks**: `@acting_for_job(Model)` on the function that runs a recorded job names the job's
  `created_by` for every write of the job (imports and exports); periodic tasks with no person behind them
  write with no actor (the system).
"""

from __future__ import annotations

import contextlib
import functools
from contextvars import ContextVar

from auditlog.context import auditlog_value, set_actor
from auditlog.middleware import AuditlogMiddleware
from auditlog.signals import accessed
from django.conf import settings
from django.contrib.auth import get_user_model

from grassroots.accounts.addresses import client_ip, is_trusted_proxy, parse_ip

_request: ContextVar = ContextVar("grassroots_audit_request", default=None)


class AuditActorMiddleware(AuditlogMiddleware):
    """auditlog's middleware, remembering the request so that an API user authenticated later is named, and
    taking the address from the project's one reading (accounts/addresses.py): auditlog's own believes any
    X-Forwarded-For (and X-Forwarded-Port), so a client could write any address into the change log."""

    @staticmethod
    def _get_remote_addr(request):
        return None if settings.AUDITLOG_DISABLE_REMOTE_ADDR else client_ip(request)

    @staticmethod
    def _get_remote_port(request) -> int | None:
        if not is_trusted_proxy(parse_ip(request.META.get("REMOTE_ADDR"))):
            return None  # a port named by the client proves nothing
        return AuditlogMiddleware._get_remote_port(request)

    def __call__(self, request):
        token = _request.set(request)
        try:
            return super().__call__(request)
        finally:
            _request.reset(token)


def request_user():
    """The authenticated user of the current request as it stands now (after DRF's authentication), or
    None outside a request or for an anonymous one."""
    request = _request.get()
    if request is None:
        return None
    user = getattr(request, "user", None)
    if isinstance(user, get_user_model()) and user.is_authenticated:
        return user
    return None


def name_the_request_user(sender, instance, **kwargs):
    """pre_save of auditlog's LogEntry (connected before auditlog's own per-request receiver): a change
    written during a request whose context names nobody gets the request's authenticated user."""
    if not instance._state.adding or instance.actor_id is not None:
        return
    context = auditlog_value.get(None)
    if context is not None and context.get("actor") is not None:
        return  # the middleware or acting_as() named someone: auditlog fills it in
    user = request_user()
    if user is None:
        return
    if context is not None:
        context["actor"] = user  # the rest of this request's entries too
    instance.actor = user
    instance.actor_email = getattr(user, "email", None)


@contextlib.contextmanager
def acting_as(actor):
    """Name `actor` on every change entry written inside the block (no-op for None or anonymous)."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        yield
        return
    previous = auditlog_value.get(None)
    same_request = bool(previous) and getattr(previous.get("actor") or request_user(), "pk", None) == actor.pk
    network = (
        {k: v for k, v in previous.items() if k in ("remote_addr", "remote_port")} if same_request else {}
    )
    try:
        with set_actor(actor, **network):
            yield
    finally:
        if previous is not None:
            auditlog_value.set(previous)


def acting_for_job(model, field: str = "created_by"):
    """Decorate `run(*, job_id, ...)`: the job's `field` (its requester) is the actor of what it writes."""

    def decorate(run):
        @functools.wraps(run)
        def wrapped(*args, job_id, **kwargs):
            actor_id = model.objects.filter(pk=job_id).values_list(f"{field}_id", flat=True).first()
            actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id else None
            with acting_as(actor):
                return run(*args, job_id=job_id, **kwargs)

        return wrapped

    return decorate


def log_access(*, actor, instance) -> None:
    """An ACCESS entry in the change log ("查看"): `actor` read the unmasked personal data of `instance`
    (a tracked model)."""
    with acting_as(actor):
        accessed.send(sender=type(instance), instance=instance)


def log_access_many(*, actor, instances) -> None:
    """`log_access` for every record of a page read at once (an API list of case files): the same ACCESS
    entries through the same writer (receivers.log_access_entries), in bulk, so that a page costs the same
    few queries whatever its length. `instances` must have what their scope path follows loaded
    (select_related) and be of models tracked by the audit trail."""
    from grassroots.audit.receivers import log_access_entries

    with acting_as(actor):
        log_access_entries(instances)
