from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError

from grassroots.access.scoping import has_perm
from grassroots.accounts.roles import missing_permission_message


class _Unset:
    """Marks an argument that was not given (None is a meaningful value: "clear this field")."""

    def __repr__(self) -> str:
        return "UNSET"

    def __bool__(self) -> bool:
        return False


UNSET = _Unset()


def require(actor, permission: str, area) -> None:
    """`actor` must hold `permission` on an area covering `area`. `actor=None` is the system."""
    if actor is None:
        return
    if area is None or not has_perm(actor, permission, area):
        raise PermissionDenied(missing_permission_message(permission, area))


def raise_if(errors: dict[str, list[str]]) -> None:
    errors = {field: messages for field, messages in errors.items() if messages}
    if errors:
        raise ValidationError(errors)


def forget_grants(actor) -> None:
    """Drop the actor's cached grants (their areas' paths change when a branch of the tree moves)."""
    if actor is not None:
        actor.__dict__.pop("_grants_cache", None)
