"""The one scoping function. Every page, API endpoint, export and search asks here which records a user may
reach for a permission; anything outside answers 404.

A grant of a role on an area covers the area's subtree. When the user has picked a working area in the header
switcher (`user.active_area_path`, set by `CurrentAreaMiddleware`), only grants covering that area count.

Besides the area grants there is one clause by organization: the secretary of a Party organization
(`PartyOrg.secretary`) holds `ORG_SECRETARY_PERMISSIONS` on the records of that organization and of every
organization below it (`PartyOrg.parent`). A model takes part by declaring `scope_org`, the lookup from the
record to its PartyOrg (Member: "branch"); `scoped()` and `get_scoped_or_404()` then add it by themselves,
`scope_q(..., org_field=...)` adds it on request, and `has_perm()` applies it when given a PartyOrg or such a
record instead of an area.

A third clause is by partner: a partner's representative (共建单位代表, `cogov.Partner.representatives`) holds
`PARTNER_REP_PERMISSIONS` on the records of the partners they represent — the partner (`scope_partner = "pk"`)
and every record declaring `scope_partner`, the lookup to its partner ("partner") — and on the records a
model declares open to partners (a classmethod `open_to_partners_q(partner_ids)`: e.g. the needs a community
publishes). The access layer does not know the partner model: the partner part registers who represents
what with `register_partner_resolver` from its `ready()`.

A fourth clause is by person, per record: a model may name the people a record concerns, who hold a
permission on that record alone whatever their grants — `scope_people = {"lawgov.disputes": ("parties__user",
"mediators")}`: the parties of a dispute see their own case (and only it), the mediators assigned to it see it
wherever it went. `scoped()` adds it by default, `has_perm()` on such a record asks it (one query).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import Model, Q, QuerySet
from django.http import Http404

from grassroots.accounts.roles import (
    ORG_SECRETARY_PERMISSIONS,
    PARTNER_REP_PERMISSIONS,
    ROLE_PERMISSIONS,
    Role,
)
from grassroots.areas.models import Area, PartyOrg
from grassroots.areas.subtree import lies_under, nested, outermost, under_q
from grassroots.ids import as_id


def live_grants(user) -> list[tuple[str, str]]:
    """(role, area path) of the user's live grants, as every scope sees them: inactive users have none, and a
    working area picked in the header switcher narrows them to it."""
    if user is None or not user.is_authenticated or not user.is_active:
        return []
    grants = user.grants_cached()
    active = getattr(user, "active_area_path", None)
    if active:
        narrowed = [g for g in grants if nested(active, g.area.path)]
        # A grant above the chosen working area is narrowed to that area.
        return [(g.role, max(g.area.path, active, key=len)) for g in narrowed]
    return [(g.role, g.area.path) for g in grants]


def scope_paths(user, permission: str) -> list[str]:
    """The area paths whose subtrees the user may reach for `permission` (minimal set, no nesting)."""
    return outermost(path for role, path in live_grants(user) if permission in ROLE_PERMISSIONS[role])


def role_paths(user, roles) -> list[str]:
    """The area paths (minimal set) on which `user` holds any of `roles`, seen as `scope_paths` sees them."""
    wanted = set(roles)
    return outermost(path for role, path in live_grants(user) if role in wanted)


def _led_orgs_sql() -> str:
    orgs, areas = PartyOrg._meta.db_table, Area._meta.db_table
    return (
        f"WITH RECURSIVE led(id) AS ("
        f" SELECT id FROM {orgs} WHERE secretary_id = %s AND retired = %s"
        f" UNION SELECT child.id FROM {orgs} child JOIN led ON child.parent_id = led.id"
        f") SELECT o.id, a.path FROM led JOIN {orgs} o ON o.id = led.id JOIN {areas} a ON a.id = o.area_id"
    )


def secretary_orgs(user) -> dict[int, str]:
    """{PartyOrg id: its area path} of the live organizations `user` is secretary of and every organization
    below them (following `PartyOrg.parent`): one recursive query, cached on the user for the request. With a
    working area picked, only organizations inside it or above it count."""
    if user is None or not user.is_authenticated or not user.is_active:
        return {}
    cached = getattr(user, "_secretary_orgs_cache", None)
    if cached is None:
        with connection.cursor() as cursor:
            cursor.execute(_led_orgs_sql(), [user.pk, False])
            cached = dict(cursor.fetchall())
        user._secretary_orgs_cache = cached
    active = getattr(user, "active_area_path", None)
    if active:
        return {pk: path for pk, path in cached.items() if nested(path, active)}
    return cached


def secretary_org_ids(user, permission: str) -> list[int]:
    """The organizations on whose records `user` holds `permission` as a secretary (sorted ids)."""
    if permission not in ORG_SECRETARY_PERMISSIONS:
        return []
    return sorted(secretary_orgs(user))


# --- the partner representatives' clause ------------------------------------------------------------------
_partner_resolver: list[Callable] = []


def register_partner_resolver(resolver: Callable) -> None:
    """`resolver(user)` → the ids of the live partners `user` represents (one query). Registered once by the
    partner part (cogov) from its `ready()`."""
    _partner_resolver[:] = [resolver]


def represented_partner_ids(user, permission: str) -> list[int]:
    """The partners on whose records `user` holds `permission` as their representative (sorted ids), cached
    on the user for the request."""
    if permission not in PARTNER_REP_PERMISSIONS or not _partner_resolver:
        return []
    if Role.PARTNER_REP not in roles_of(user):  # named representatives hold the role: no query for the others
        return []
    cached = getattr(user, "_partner_ids_cache", None)
    if cached is None:
        cached = sorted(_partner_resolver[0](user))
        user._partner_ids_cache = cached
    return cached


def partner_q(user, permission: str, model, partner_field: str | None = None) -> Q | None:
    """The partner clause for rows of `model`: the rows of the partners the user represents (through
    `partner_field`, default the model's `scope_partner`) and those the model declares open to them; None when
    it adds nothing."""
    ids = represented_partner_ids(user, permission)
    if not ids:
        return None
    field = partner_field or getattr(model, "scope_partner", None)
    opened = getattr(model, "open_to_partners_q", None)
    parts = [Q(**{f"{field}__in": ids})] if field else []
    if opened is not None:
        parts.append(opened(ids))
    if not parts:
        return None
    q = parts[0]
    for part in parts[1:]:
        q |= part
    return q


# --- the people's clause: the persons a record names ----------------------------------------------
def people_q(user, permission: str, model) -> Q | None:
    """The rows of `model` naming `user` through one of the lookups its `scope_people` gives `permission`
    (as a subquery, so that a record naming them twice is one row); None when the model names nobody."""
    lookups = (getattr(model, "scope_people", None) or {}).get(permission)
    if not lookups or user is None or not getattr(user, "is_authenticated", False):
        return None
    named = Q()
    for lookup in lookups:
        named |= Q(**{lookup: user.pk})
    return Q(pk__in=model._default_manager.filter(named).values("pk"))


def named_on(user, permission: str, record) -> bool:
    q = people_q(user, permission, type(record))
    return q is not None and type(record)._default_manager.filter(q, pk=record.pk).exists()


def follow(record, lookup: str):
    """What `record` reaches through `lookup` ("area__path", "branch__area"); None when a hop is empty."""
    value = record
    for part in lookup.split("__"):
        value = getattr(value, part, None)
        if value is None:
            return None
    return value


def related_id(record, lookup: str) -> int | None:
    """The id of what a record names through `lookup` ("branch", "member__branch", "task__area", "pk"),
    without loading the last hop itself; None when a hop is empty."""
    *hops, last = lookup.split("__")
    owner = follow(record, "__".join(hops)) if hops else record
    if owner is None:
        return None
    return owner.pk if last == "pk" else getattr(owner, f"{last}_id", None)


def _path_and_org(target) -> tuple[str | None, int | None]:
    if isinstance(target, Area):
        return target.path, None
    if isinstance(target, PartyOrg):
        return target.area.path, target.pk
    model = type(target)
    path = follow(target, model.scope_path)
    org_lookup = getattr(model, "scope_org", None)
    return path, (related_id(target, org_lookup) if org_lookup else None)


def has_perm(user, permission: str, target=None, *, area=None) -> bool:
    """Does the user hold `permission` anywhere, or on `target`?

    `target` (also accepted as `area=`) is an Area (a grant must cover it), a PartyOrg (a grant covering its
    area, or being its secretary or the secretary of an organization above it), or a record of a model
    declaring `scope_path` (and optionally `scope_org`): the same two tests on the record's area and
    organization. Without a target, organization secretaries hold their permissions too."""
    target = target if target is not None else area
    paths = scope_paths(user, permission)
    if target is None:
        return (
            bool(paths)
            or bool(secretary_org_ids(user, permission))
            or bool(represented_partner_ids(user, permission))
        )
    path, org_id = _path_and_org(target)
    if lies_under(path, paths):
        return True
    if org_id is not None and org_id in secretary_org_ids(user, permission):
        return True
    partner_lookup = getattr(type(target), "scope_partner", None)
    if partner_lookup:
        partner_id = target.pk if partner_lookup == "pk" else related_id(target, partner_lookup)
        if partner_id is not None and partner_id in represented_partner_ids(user, permission):
            return True
    return named_on(user, permission, target) if getattr(type(target), "scope_people", None) else False


def scope_q(user, permission: str, path_field: str, org_field: str | None = None) -> Q:
    """A Q that keeps the rows whose area path lies in the user's scope for `permission`, and, when
    `org_field` names the rows' PartyOrg (e.g. "branch", or "pk" on PartyOrg itself), the rows of the
    organizations the user is secretary of (with those below them).

    When the rows reach their area through that organization (`path_field` is `f"{org_field}__area__path"`)
    and the user holds both, the two clauses are one: the rows whose organization is among those in the
    scope's areas or those led, `org IN (subquery)`. The same rows as `path OR org IN (…)`, but that OR over
    a join made SQLite drive a community secretary's member search from the status index (16.9× the floor
    at tier M; docs/performance.md). Inside the subquery `area IN (areas in range) OR pk IN (led)`: both on
    the organization's own columns, which SQLite answers from two indexes (the range over the join scanned
    every organization); and so on PartyOrg itself (`org_field="pk"`)."""
    paths = scope_paths(user, permission)
    q = under_q(paths, path_field)
    org_ids = secretary_org_ids(user, permission) if org_field else []
    if not org_ids:
        return q
    if paths and path_field == f"{org_field}__area__path":
        areas = Area.objects.filter(under_q(paths, "path"))
        orgs = PartyOrg.objects.filter(Q(area__in=areas) | Q(pk__in=org_ids))
        return Q(**{f"{org_field}__in": orgs.values("pk")})
    if paths and (path_field, org_field) == ("area__path", "pk"):  # the organizations themselves, alike
        return Q(area__in=Area.objects.filter(under_q(paths, "path"))) | Q(pk__in=org_ids)
    return q | Q(**{f"{org_field}__in": org_ids})


def holds_every_area(user, permission: str) -> bool:
    """Does the user's scope for `permission` hold every area there is: a grant on every root area (at one
    city, the city's officials)? The number of roots comes with the grants (`User.grants_cached`), so no
    query; a retired root, which no live grant holds, keeps everyone off it."""
    paths = scope_paths(user, permission)
    if not paths or any(len(path) != Area.steplen for path in paths):
        return False
    grants = user.grants_cached()
    roots = getattr(grants[0], "root_areas", None) if grants else None
    if roots is None:  # grants loaded some other way
        roots = Area.objects.filter(depth=1).count()
    return len(set(paths)) == roots


@cache
def _always_reaches_a_path(model, path_field: str) -> bool:
    """Does every row of `model` reach an area path through `path_field`: each hop a required foreign key
    (NOT NULL), the path itself required? Then a row whose path lies under no root cannot exist."""
    *hops, last = path_field.split("__")
    for hop in hops:
        field = model._meta.get_field(hop)
        if not (field.concrete and (field.many_to_one or field.one_to_one) and not field.null):
            return False
        model = field.related_model
    return model is Area and last == "path"


def holds_every_row(user, permission: str, model, path_field: str | None = None) -> bool:
    """Does the user's scope for `permission` hold every row of `model` there is: a grant on every root area,
    and every row reaching an area through required foreign keys (`path_field`, default the model's
    `scope_path`)? Then `scoped()` adds no condition: the city's officials at one city count and sort their
    lists from the table's own indexes, not through the join to 75,000 areas (docs/performance.md)."""
    field = path_field or model.scope_path
    return _always_reaches_a_path(model, field) and holds_every_area(user, permission)


def scoped(
    queryset: QuerySet, user, permission: str, path_field: str | None = None, org_field: str | None = None
) -> QuerySet:
    """`queryset` cut down to the user's scope for `permission`. `path_field` defaults to the model's
    `scope_path` attribute (e.g. "area__path") and, when it is not given, `org_field` to the model's
    `scope_org` (the organization secretary's clause) and the partner clause is added (the model's
    `scope_partner` and `open_to_partners_q`; see the module's docstring)."""
    model = queryset.model
    field = path_field or model.scope_path
    if holds_every_row(user, permission, model, field):
        # Every row lies under a root the user holds, and the other clauses could only add rows.
        return queryset.all()
    by_default = path_field is None and org_field is None
    if by_default:
        org_field = getattr(model, "scope_org", None)
    q = scope_q(user, permission, field, org_field)
    if by_default:
        partners = partner_q(user, permission, model)
        if partners is not None:
            q |= partners
        people = people_q(user, permission, model)
        if people is not None:
            q |= people
    return queryset.filter(q)


def get_scoped_or_404(queryset: QuerySet, user, permission: str, **lookup) -> Model:
    """Load one record the user may reach; a record outside the scope is indistinguishable from none."""
    try:
        return scoped(queryset, user, permission).get(**lookup)
    except queryset.model.DoesNotExist as exc:
        raise Http404 from exc


def working_area(user, permission: str) -> Area | None:
    """The area the user works on for `permission`: the working area picked in the header (the scope is
    narrowed to it), else the top of their scope (the first, if they hold several subtrees). None when they
    hold `permission` on no area. No query when it is the area of a grant (they are cached), else one."""
    paths = scope_paths(user, permission)
    if not paths:
        return None
    granted = next((g.area for g in user.grants_cached() if g.area.path == paths[0]), None)
    return granted or Area.objects.filter(path=paths[0]).first()


def area_from_request(
    request, permission: str, *, required: bool = False, param: str = "area"
) -> Area | None:
    """The area a page or endpoint is asked about: `?area=<id>` (or a posted `area`), which must be an area
    inside the user's scope for `permission` — else 404, a hidden area, a missing one and a malformed id
    alike. Without it: None, the whole scope (which a working area picked in the header narrows already);
    with `required=True` (pages that show one area) the user's `working_area`, and 403 when they hold
    `permission` on no area."""
    raw = request.GET.get(param) or request.POST.get(param)
    if raw in (None, ""):
        if not required:
            return None
        area = working_area(request.user, permission)
        if area is None:
            raise PermissionDenied
        return area
    pk = as_id(raw)  # "²", "abc" and a number past MAX_ID are no id: 404 like a missing area
    if pk is None:
        raise Http404
    return get_scoped_or_404(Area.objects.all(), request.user, permission, pk=pk)


def roles_of(user) -> set[str]:
    return {role for role, _path in live_grants(user)}


def is_resident_only(user) -> bool:
    return roles_of(user) <= {Role.RESIDENT}


def is_operator(user) -> bool:
    """The operator: a system admin on a root area (a whole city). Only the operator creates a root area (a
    new city, by import or by form); it then holds the system admin role on that root too, and grants its
    first officials on the web. Whatever working area is picked: it is a property of the person."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return any(g.role == Role.SYSTEM_ADMIN and g.area.depth == 1 for g in user.grants_cached())
