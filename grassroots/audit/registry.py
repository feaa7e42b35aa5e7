"""Which models the audit trail tracks, and how each change entry finds its area.

Later parts register their personal-data models from their app's `ready()`::

    from grassroots.audit.registry import track

    class MembersConfig(AppConfig):
        def ready(self):
            from .models import Member
            track(Member, include_fields=["full_name", "phone", "id_number_hash", "area"],
                  mask_fields=["id_number_hash"])

The scope of an entry (the area path the audit page filters on) comes from the `scope` callable if given,
else from the model's `scope_path` declaration (e.g. "area__path"), read from the instance at the time of
the change. A model that belongs to no area gets "" (seen only by auditors of a whole tree).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from auditlog.registry import auditlog
from auditlog.signals import accessed
from django.db import models

from grassroots.access.scoping import follow

ScopeFunction = Callable[[models.Model], str]

_scopes: dict[type[models.Model], ScopeFunction] = {}


def on_accessed(sender, instance, **kwargs) -> None:
    """auditlog's `accessed` signal, for every tracked model: the trail's one writer of ACCESS entries
    (receivers.log_access_entries), which also writes a page of them in bulk, so that one read and a page of
    reads give the same rows and links."""
    from grassroots.audit.receivers import log_access_entries

    log_access_entries([instance])


# Every model `track` registers connects `accessed` to this receiver instead of auditlog's own (set before
# any registration: this module is imported by the first `track`).
auditlog._signals[accessed] = on_accessed


def track(
    model: type[models.Model],
    *,
    include_fields: Sequence[str] | None = None,
    exclude_fields: Sequence[str] | None = None,
    mask_fields: Sequence[str] | None = None,
    mask_callable: str | None = None,
    scope: ScopeFunction | None = None,
) -> None:
    """Log every create, update and delete of `model`, append-only, with old and new values of
    `include_fields` (default: every concrete field but the primary key and `exclude_fields`); `mask_fields`
    are stored masked (by `mask_callable`, a dotted path, e.g. "grassroots.accounts.pii.mask_phone").
    Reverse relations are never tracked."""
    if include_fields is None:
        excluded = set(exclude_fields or ())
        include_fields = [
            f.name
            for f in model._meta.concrete_fields
            if not f.primary_key and f.name not in excluded and f.attname not in excluded
        ]
    auditlog.register(
        model,
        include_fields=list(include_fields),
        mask_fields=list(mask_fields) if mask_fields else None,
        mask_callable=mask_callable,
    )
    if scope is not None:
        _scopes[model] = scope


def tracked_models() -> list[type[models.Model]]:
    return sorted(auditlog.get_models(), key=lambda m: m._meta.label)


def scope_path_of(instance: models.Model) -> str:
    """The area path a change to `instance` belongs to ("" when none)."""
    function = _scopes.get(type(instance))
    if function is not None:
        return function(instance) or ""
    lookup = getattr(type(instance), "scope_path", None)
    if isinstance(lookup, str) and lookup:
        try:
            path = follow(instance, lookup)
            return "" if path is None else str(path)
        except models.ObjectDoesNotExist:
            return ""
    return ""


def user_scope_path(user) -> str:
    """Where a person belongs for the audit trail: their home area; else the highest area they hold a
    role on; else "" (unknown)."""
    if user is None or not getattr(user, "pk", None):
        return ""
    if user.home_area_id:
        try:
            return user.home_area.path
        except models.ObjectDoesNotExist:
            return ""
    paths = [
        g.area.path for g in user.grants.select_related("area").order_by("area__depth", "area__path")[:1]
    ]
    return paths[0] if paths else ""


def register_foundation() -> None:
    """The foundation's tracked models below the audit trail: areas and Party organizations. People and their
    role grants are tracked by accounts (its `ready()`): accounts sits above the audit trail
    (docs/architecture.md, "Layers")."""
    from grassroots.areas.models import Area, PartyOrg

    track(Area, include_fields=["name", "level", "code", "retired", "path"])
    track(PartyOrg, exclude_fields=["created_at"])
