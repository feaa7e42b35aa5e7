"""What a transition declares beside its source and target: who may take it (`by_roles`, `by_user`,
`any_of`), the checks it needs (`Check`), and how it shows on the record's page (`step`).

    @transition(
        field=state, source=State.PENDING, target=State.VERIFIED,
        permission=by_roles(Role.COMMUNITY_WORKER, Role.GRID_WORKER),
        conditions=[Check(lambda r: not r.area.retired, _("地址已撤销"))],
        custom=step(_("核验通过"), style="success"),
    )
    def verify(self, *, actor, comment=""): ...

A permission here is the callable django-fsm expects: `permission(record, user) -> bool`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Q

from grassroots.accounts.scoping import has_perm, role_paths, scope_q
from grassroots.areas.subtree import lies_under, under_q


def record_path(record) -> str:
    """The area path of a record, following the model's `scope_path` (e.g. "area__path")."""
    value: Any = record
    for part in type(record).scope_path.split("__"):
        value = getattr(value, part)
    return value


class by_roles:
    """The actor must hold one of `roles` on an area covering the record's area.

    Besides deciding for one record, it builds the queryset filter of the records a user may act on
    (`q(user)`), which the model's `pending_for` uses: one declaration, used both ways."""

    def __init__(self, *roles: str) -> None:
        if not roles:
            raise ValueError("by_roles needs at least one role")
        self.roles = frozenset(roles)

    def __call__(self, record, user) -> bool:
        return lies_under(record_path(record), role_paths(user, self.roles))

    def q(self, user, path_field: str) -> Q:
        return under_q(role_paths(user, self.roles), path_field)

    def __repr__(self) -> str:
        return f"by_roles({', '.join(sorted(self.roles))})"


class by_perm:
    """The actor holds `permission` on the record, as the scoping function decides it (`has_perm`): a role
    grant covering the record's area (`scope_path`), or, for a model declaring `scope_org`, being the
    secretary of its organization or of one above. For steps any holder of a permission may take (a
    gathering is cancelled by whoever may manage gatherings there) rather than named roles."""

    def __init__(self, permission: str) -> None:
        self.permission = permission

    def __call__(self, record, user) -> bool:
        return has_perm(user, self.permission, record)

    def q(self, user, path_field: str) -> Q:
        return scope_q(user, self.permission, path_field)

    def __repr__(self) -> str:
        return f"by_perm({self.permission!r})"


class by_user:
    """The actor must be the user the record names in `field` (e.g. the resident who submitted it)."""

    def __init__(self, field: str) -> None:
        self.field = field

    def __call__(self, record, user) -> bool:
        return user.is_authenticated and getattr(record, f"{self.field}_id") == user.pk

    def __repr__(self) -> str:
        return f"by_user({self.field!r})"


class any_of:
    """Any one of several permissions is enough."""

    def __init__(self, *permissions: Callable[[Any, Any], bool]) -> None:
        self.permissions = permissions

    def __call__(self, record, user) -> bool:
        return any(permission(record, user) for permission in self.permissions)


class Check:
    """A condition with the message shown when it fails. django-fsm calls it with the record."""

    def __init__(self, test: Callable[[Any], bool], message) -> None:
        self.test = test
        self.message = message

    def __call__(self, record) -> bool:
        return bool(self.test(record))


def step(
    label,
    *,
    style: str = "primary",
    icon: str = "",
    comment_required: bool = False,
    comment_label=None,
    attachments: bool = True,
    form_url: Callable[[Any], str] | None = None,
) -> dict[str, Any]:
    """How a transition shows on the record's page; pass as `custom=` to `@transition`.

    label             the button and timeline text, e.g. _("核验通过")
    style             Bootstrap colour of the button (primary, success, danger, secondary…)
    icon              bootstrap-icons name without the "bi-" prefix
    comment_required  the transition refuses an empty comment (e.g. a rejection needs its reason)
    comment_label     what the comment box asks for (default "说明")
    attachments       whether the button's form offers file attachments
    form_url          record → URL of a page of its own, for a transition that needs more than a comment
                      (the buttons then link there instead of posting)
    """
    return {
        "label": label,
        "style": style,
        "icon": icon,
        "comment_required": comment_required,
        "comment_label": comment_label,
        "attachments": attachments,
        "form_url": form_url,
    }
