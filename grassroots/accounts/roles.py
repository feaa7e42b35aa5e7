"""Roles and the permissions each one carries. Declared once; pages, the API and templates ask
`grassroots.access.scoping` with these names."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    RESIDENT = "resident", _("居民")
    MEMBER = "member", _("党员")
    PARTNER_REP = "partner_rep", _("共建单位代表")
    GRID_WORKER = "grid_worker", _("网格员")
    MEDIATOR = "mediator", _("调解员")
    LEGAL_WORKER = "legal_worker", _("法律工作者")
    COMMUNITY_WORKER = "community_worker", _("社区工作者")
    COMMUNITY_SECRETARY = "community_secretary", _("社区书记")
    STREET_OFFICIAL = "street_official", _("街道干部")
    COUNTY_OFFICIAL = "county_official", _("县（区）干部")
    CITY_OFFICIAL = "city_official", _("市级干部")
    AUDITOR = "auditor", _("审计员")
    SYSTEM_ADMIN = "system_admin", _("系统管理员")


# A grantor may grant a role whose rank is at or below the highest rank they hold on an area covering
# the target area.
RANK: dict[str, int] = {
    Role.RESIDENT: 0,
    Role.MEMBER: 1,
    Role.PARTNER_REP: 1,
    Role.GRID_WORKER: 2,
    Role.MEDIATOR: 2,
    Role.LEGAL_WORKER: 2,
    Role.COMMUNITY_WORKER: 3,
    Role.COMMUNITY_SECRETARY: 4,
    Role.STREET_OFFICIAL: 5,
    Role.COUNTY_OFFICIAL: 6,
    Role.AUDITOR: 6,
    Role.CITY_OFFICIAL: 7,
    Role.SYSTEM_ADMIN: 9,
}

# --- named role groups: say a group by its name, never by typing its roles out again ---------------------
# Residents, Party members and partner representatives: the public side, with no office of their own.
PUBLIC = frozenset({Role.RESIDENT, Role.MEMBER, Role.PARTNER_REP})
# The grid's, the mediation's and the law's workers: they serve an area but keep no part's records.
FIELD_WORKERS = frozenset({Role.GRID_WORKER, Role.MEDIATOR, Role.LEGAL_WORKER})
# The community's own workers and secretary (they decide what the community decides).
COMMUNITY_STAFF = frozenset({Role.COMMUNITY_WORKER, Role.COMMUNITY_SECRETARY})
# The officials of the levels above a community: street, county (district) and city.
HIGHER_OFFICIALS = frozenset({Role.STREET_OFFICIAL, Role.COUNTY_OFFICIAL, Role.CITY_OFFICIAL})
# Who does the work of an area: its community staff and the officials of the levels above.
LINE_OFFICIALS = COMMUNITY_STAFF | HIGHER_OFFICIALS
# Who keeps the records of each part: the line officials and the system admin.
OFFICIALS = LINE_OFFICIALS | {Role.SYSTEM_ADMIN}
# Who reviews, checks and issues to the levels below: the higher officials and the system admin.
SUPERVISORS = HIGHER_OFFICIALS | {Role.SYSTEM_ADMIN}
# Roles that act as officials: they get the console home page and, when the setting asks, two-factor login.
CONSOLE_ROLES = OFFICIALS | {Role.AUDITOR}

_STAFF_READ = {"areas.view", "party_orgs.view", "accounts.view", "gatherings.view", "workflow.view"}
_WORKER = _STAFF_READ | {"gatherings.manage", "accounts.verify_resident"}
_MANAGER = _WORKER | {
    "areas.change",
    "party_orgs.change",
    "accounts.grant",
    "areas.export",
    "areas.import",
    "accounts.change",
    "people.view_pii",
}

# permission name → what it allows, for the docs and the role matrix page.
PERMISSIONS: dict[str, str] = {
    "areas.view": _("查看区域"),
    "areas.change": _("新建、编辑、移动、撤销区域"),
    "areas.import": _("导入区域与党组织"),
    "areas.export": _("导出区域与党组织"),
    "party_orgs.view": _("查看党组织"),
    "party_orgs.change": _("编辑党组织"),
    "accounts.view": _("查看用户"),
    "accounts.change": _("编辑用户"),
    "accounts.grant": _("授予角色"),
    "accounts.verify_resident": _("实名核验居民"),
    # One permission for every person's full ID and phone numbers (users, members, verification): pii.py
    "people.view_pii": _("查看完整身份证号和手机号"),
    "gatherings.view": _("查看会议活动"),
    "gatherings.manage": _("组织会议活动"),
    "workflow.view": _("查看流程记录"),
    "audit.view": _("查看审计日志"),
}

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.RESIDENT: frozenset({"areas.view", "gatherings.view"}),
    Role.MEMBER: frozenset({"areas.view", "party_orgs.view", "gatherings.view"}),
    Role.PARTNER_REP: frozenset({"areas.view", "party_orgs.view", "gatherings.view"}),
    Role.GRID_WORKER: frozenset(_STAFF_READ | {"accounts.verify_resident"}),
    Role.MEDIATOR: frozenset(_STAFF_READ),
    Role.LEGAL_WORKER: frozenset(_STAFF_READ),
    Role.COMMUNITY_WORKER: frozenset(_WORKER),
    Role.COMMUNITY_SECRETARY: frozenset(_MANAGER),
    Role.STREET_OFFICIAL: frozenset(_MANAGER),
    Role.COUNTY_OFFICIAL: frozenset(_MANAGER),
    Role.CITY_OFFICIAL: frozenset(_MANAGER),
    Role.AUDITOR: frozenset(_STAFF_READ | {"audit.view"}),
    Role.SYSTEM_ADMIN: frozenset(set(PERMISSIONS)),
}


# The secretary of a Party organization (`PartyOrg.secretary`) holds these permissions on the records of that
# organization and of every organization below it (`PartyOrg.parent`), whatever role grants they hold: "a
# branch secretary sees only their branch", and a general branch's secretary sees its branches. A model takes
# part by declaring `scope_org` (the lookup to its PartyOrg, e.g. "branch"); see scoping.py and
# docs/decisions.md. Later parts add theirs with `register_permission(..., org_secretary=True)`.
ORG_SECRETARY_PERMISSIONS: set[str] = {
    "members.view",
    "members.change",
    "people.view_pii",
    "gatherings.view",
}


# A partner's representative (共建单位代表: `cogov.Partner.representatives`) holds these permissions on the
# records of the partners they represent — the partner itself and the records declaring `scope_partner` (the
# lookup to the partner) — and on the records a model declares open to partners (`open_to_partners_q`),
# whatever grants they hold. The partner part adds its permissions with
# `register_permission(..., partner_rep=True)`; see scoping.py.
PARTNER_REP_PERMISSIONS: set[str] = set()


def missing_permission_message(permission: str | None, target=None) -> str:
    """A refusal that says what is missing: "您没有在“桥楼社区”维护党员信息的权限。" (`target`: an area, an
    organization or a record, named by its str; without one: "您没有……的权限。")."""
    from django.utils.translation import gettext

    label = PERMISSIONS.get(permission or "", "") or gettext("执行此操作")
    if target is None:
        return gettext("您没有%(action)s的权限。") % {"action": label}
    return gettext("您没有在“%(target)s”%(action)s的权限。") % {"target": target, "action": label}


def roles_with(permission: str) -> frozenset[str]:
    if permission not in PERMISSIONS:
        raise KeyError(f"unknown permission {permission!r}")
    return frozenset(role for role, perms in ROLE_PERMISSIONS.items() if permission in perms)


def register_permission(
    name: str, label, roles: set[str], *, org_secretary: bool = False, partner_rep: bool = False
) -> None:
    """Let a later part add its own permission to the catalog, naming the roles that carry it.
    `org_secretary=True` also gives it to Party organization secretaries on their organizations' records,
    `partner_rep=True` to partner representatives on their partners' records."""
    PERMISSIONS[name] = label
    for role in roles:
        ROLE_PERMISSIONS[role] = ROLE_PERMISSIONS[role] | {name}
    if org_secretary:
        ORG_SECRETARY_PERMISSIONS.add(name)
    if partner_rep:
        PARTNER_REP_PERMISSIONS.add(name)
