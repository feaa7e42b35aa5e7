"""Who the audit trail names for a write or a read of personal data.

`AuditlogMiddleware` names the signed-in user of a page request, but not of an API request authenticated
by token (DRF authenticates after the middleware ran), nor of a background task or a shell. `acting_as(actor)`
names the actor for the writes inside it (keeping the request's address when it is the same person) and
restores the previous context afterwards (auditlog's own `set_actor`, used bare, would leave the
middleware's context disconnected for the rest of the request).
"""

from __future__ import annotations

import contextlib

from auditlog.context import auditlog_value, set_actor
from auditlog.signals import accessed


@contextlib.contextmanager
def acting_as(actor):
    if actor is None or not getattr(actor, "is_authenticated", False):
        yield
        return
    previous = auditlog_value.get(None)
    same_request = bool(previous) and getattr(previous.get("actor"), "pk", None) == actor.pk
    network = (
        {k: v for k, v in previous.items() if k in ("remote_addr", "remote_port")} if same_request else {}
    )
    try:
        with set_actor(actor, **network):
            yield
    finally:
        if previous is not None:
            auditlog_value.set(previous)


def log_access(*, actor, instance) -> None:
    """An ACCESS entry in the change log ("查看"): someone opened the unmasked personal data of `instance`."""
    with acting_as(actor):
        accessed.send(sender=type(instance), instance=instance)
