"""The one rule language: who may act on a record, said once and read two ways.

Every rule answers
- `rule(record, user) -> bool` — may this user act on this record? (what django-fsm asks a transition's
  `permission`, and what services and pages ask), and
- `rule.q(user) -> Q` — which records may they act on? (the same rule as a queryset filter: worklists,
  pending lists, "what awaits me").

The rules read the user's live grants as the scoping function does (inactive users hold none; the header's
working area narrows them). Each names the path from the record to what it tests ("area__path",
"branch__area__path", "task__area", "branch__secretary"), so one rule serves every model.

    roles_on(path, *roles)        one of `roles` on an area covering the record's area (a grant above counts)
    perm_on(path, permission)     `permission` through a grant on an area covering the record's area (and,
                                  with org=, as the secretary of the record's organization): has_perm
    roles_at(field, *roles)       one of `roles` on the very area the record names (a grant on it, not above)
    is_user(field)                the user the record names ("reporter", "branch__secretary")
    not_user(field)               anyone but the user the record names (nobody approves their own request)
    unset(field)                  the record names nothing through `field` (an empty foreign key)
    org_secretary(field, perm)    secretary of the Party organization the record names, or of one above it
    represents(field, perm)       a representative of the partner the record names (the partner clause)
    either(*rules), both(*rules)  any one / every one of them; also `a | b` and `a & b`
"""

from __future__ import annotations

from django.db.models import Q

from grassroots.access.scoping import (
    follow,
    related_id,
    represented_partner_ids,
    role_paths,
    scope_paths,
    scope_q,
    secretary_org_ids,
    secretary_orgs,
)
from grassroots.areas.subtree import lies_under, nested, under_q

NOTHING = Q(pk__in=[])


def _signed_in(user) -> bool:
    return user is not None and user.is_authenticated


class Rule:
    """A rule: callable `(record, user) -> bool` with `q(user) -> Q` for the same records."""

    def __call__(self, record, user) -> bool:
        raise NotImplementedError

    def q(self, user) -> Q:
        raise NotImplementedError

    def __or__(self, other: Rule) -> either:
        return either(self, other)

    def __and__(self, other: Rule) -> both:
        return both(self, other)


class either(Rule):
    """Any one of the rules; `q` is the OR of theirs (no rule: nobody)."""

    def __init__(self, *rules: Rule) -> None:
        self.rules = rules

    def __call__(self, record, user) -> bool:
        return any(rule(record, user) for rule in self.rules)

    def q(self, user) -> Q:
        q = NOTHING
        for rule in self.rules:
            q |= rule.q(user)
        return q

    def __repr__(self) -> str:
        return f"either({', '.join(map(repr, self.rules))})"


class both(Rule):
    """Every one of the rules; `q` is the AND of theirs."""

    def __init__(self, first: Rule, *rest: Rule) -> None:
        self.rules = (first, *rest)

    def __call__(self, record, user) -> bool:
        return all(rule(record, user) for rule in self.rules)

    def q(self, user) -> Q:
        q = self.rules[0].q(user)
        for rule in self.rules[1:]:
            q &= rule.q(user)
        return q

    def __repr__(self) -> str:
        return f"both({', '.join(map(repr, self.rules))})"


class _covering(Rule):
    """The user reaches, through a grant on an area covering it, the area path the record names through
    `path`. Subclasses say which grants count (`paths(user)`: the minimal set of covering paths)."""

    def __init__(self, path: str) -> None:
        self.path = path

    def paths(self, user) -> list[str]:
        raise NotImplementedError

    def __call__(self, record, user) -> bool:
        return lies_under(follow(record, self.path), self.paths(user))

    def q(self, user) -> Q:
        return under_q(self.paths(user), self.path)


class roles_on(_covering):
    """One of `roles` on an area covering the record's area (`path`, e.g. "area__path")."""

    def __init__(self, path: str, *roles: str) -> None:
        if not roles:
            raise ValueError("roles_on needs at least one role")
        super().__init__(path)
        self.roles = frozenset(roles)

    def paths(self, user) -> list[str]:
        return role_paths(user, self.roles)

    def __repr__(self) -> str:
        return f"roles_on({self.path!r}, {', '.join(sorted(self.roles))})"


class perm_on(_covering):
    """`permission` on the record as the scoping function decides it: a role grant on an area covering the
    record's area (`path`), or, with `org` (the lookup to the record's Party organization), being the
    secretary of that organization or of one above it when secretaries hold `permission` — `has_perm` on
    one record, `scope_q` as the filter."""

    def __init__(self, path: str, permission: str, *, org: str | None = None) -> None:
        super().__init__(path)
        self.permission = permission
        self.org = org

    def paths(self, user) -> list[str]:
        return scope_paths(user, self.permission)

    def __call__(self, record, user) -> bool:
        if super().__call__(record, user):
            return True
        if self.org is None:
            return False
        org_id = related_id(record, self.org)
        return org_id is not None and org_id in secretary_org_ids(user, self.permission)

    def q(self, user) -> Q:
        return scope_q(user, self.permission, self.path, self.org)

    def __repr__(self) -> str:
        return f"perm_on({self.path!r}, {self.permission!r}, org={self.org!r})"


def acting_area_ids(user, roles) -> frozenset[int]:
    """The ids of the areas on which `user` holds one of `roles` directly (no query: grants are cached). With
    a working area picked, a grant counts when it covers that area or lies inside it."""
    if user is None or not user.is_authenticated or not user.is_active:
        return frozenset()
    active = getattr(user, "active_area_path", None)
    return frozenset(
        g.area_id
        for g in user.grants_cached()
        if g.role in roles and (not active or nested(active, g.area.path))
    )


class roles_at(Rule):
    """One of `roles` held on the very area the record names through `field` ("area", "task__area"): a grant
    on that area itself, not above it (who does a duty assignment, who checks it)."""

    def __init__(self, field: str, *roles: str) -> None:
        self.field = field
        self.roles = frozenset(roles)

    def __call__(self, record, user) -> bool:
        return related_id(record, self.field) in acting_area_ids(user, self.roles)

    def q(self, user) -> Q:
        ids = acting_area_ids(user, self.roles)
        return Q(**{f"{self.field}__in": sorted(ids)}) if ids else NOTHING

    def __repr__(self) -> str:
        return f"roles_at({self.field!r}, {', '.join(sorted(self.roles))})"


class is_user(Rule):
    """The user the record names through `field` ("user", "reporter", "branch__secretary")."""

    def __init__(self, field: str) -> None:
        self.field = field

    def __call__(self, record, user) -> bool:
        return _signed_in(user) and related_id(record, self.field) == user.pk

    def q(self, user) -> Q:
        return Q(**{self.field: user}) if _signed_in(user) else NOTHING

    def __repr__(self) -> str:
        return f"is_user({self.field!r})"


class not_user(Rule):
    """Anyone but the user the record names through `field` (nobody reviews what they filed themselves)."""

    def __init__(self, field: str) -> None:
        self.field = field

    def __call__(self, record, user) -> bool:
        return related_id(record, self.field) != getattr(user, "pk", None)

    def q(self, user) -> Q:
        return ~Q(**{self.field: user}) if _signed_in(user) else Q()

    def __repr__(self) -> str:
        return f"not_user({self.field!r})"


class unset(Rule):
    """The record names nothing through `field` ("source"): an empty foreign key, whoever the user. Combined
    with `both(…)` where who acts depends on the record's kind (a street-allotted funds row is paid by the
    street, any other by the county)."""

    def __init__(self, field: str) -> None:
        self.field = field

    def __call__(self, record, user) -> bool:
        return related_id(record, self.field) is None

    def q(self, user) -> Q:
        return Q(**{f"{self.field}__isnull": True})

    def __repr__(self) -> str:
        return f"unset({self.field!r})"


class org_secretary(Rule):
    """The secretary of the Party organization the record names through `field` ("branch", "to_branch"), or
    of an organization above it (`PartyOrg.parent`). With `permission`, only when secretaries hold it
    (`ORG_SECRETARY_PERMISSIONS`, the scoping function's organization clause)."""

    def __init__(self, field: str, permission: str | None = None) -> None:
        self.field = field
        self.permission = permission

    def org_ids(self, user) -> list[int]:
        if self.permission is None:
            return sorted(secretary_orgs(user))
        return secretary_org_ids(user, self.permission)

    def __call__(self, record, user) -> bool:
        org_id = related_id(record, self.field)
        return org_id is not None and org_id in self.org_ids(user)

    def q(self, user) -> Q:
        ids = self.org_ids(user)
        return Q(**{f"{self.field}__in": ids}) if ids else NOTHING

    def __repr__(self) -> str:
        return f"org_secretary({self.field!r}, {self.permission!r})"


class represents(Rule):
    """A representative of the partner the record names through `field` ("partner", "claim__partner"),
    holding `permission` on their partners' records (the scoping function's partner clause)."""

    def __init__(self, field: str, permission: str) -> None:
        self.field = field
        self.permission = permission

    def __call__(self, record, user) -> bool:
        partner_id = related_id(record, self.field)
        return partner_id is not None and partner_id in represented_partner_ids(user, self.permission)

    def q(self, user) -> Q:
        ids = represented_partner_ids(user, self.permission)
        return Q(**{f"{self.field}__in": ids}) if ids else NOTHING

    def __repr__(self) -> str:
        return f"represents({self.field!r}, {self.permission!r})"
