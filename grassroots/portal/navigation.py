"""The menu, grouped by what people do (党员, 组织生活, 任务与考核, 社区事务, 覆盖, 文件与标准, 投票, 系统 …).

The registry holds groups (`NavGroup`) and their entries (`NavEntry`). The portal declares the groups every
part shares; each app adds its entries from its `apps.py ready()`, and a new part adds its own group there
too, without touching a template:

    from grassroots.portal.navigation import NavEntry, register, register_group
    register_group("selfgov", _("自治"), "bi-people", order=80)
    register("selfgov", NavEntry(_("议事协商"), "selfgov:matter_list", "matters.view", "bi-chat-square-text",
                                 public=True, phone=60))

An entry names a URL (by URL name, resolved lazily) and the permission (or permissions, any of them) that
shows it, asked through the one permission function (`scoping.has_perm`), never by role names. An entry whose
URL name does not exist yet is skipped silently (no dead links), and a group with no visible entry is not
shown at all: a group shows to those who can act in it. `public=True` entries are shown to residents, Party
members and partner representatives too; the others only to people who hold a working role.
`org_secretary=True` entries are also shown to the secretaries of Party organizations (`PartyOrg.secretary`,
e.g. a grid branch's secretary who holds no working role), who hold their permissions on their organizations'
records (`ORG_SECRETARY_PERMISSIONS`); whether a user leads one comes with the user (`leads_party_org`, read
by the authentication backend in the user's own query). `phone` ranks the entry for the phone's bottom bar
(lower first; None: only under 更多): each person's bar holds the first few entries they see, so the most
used pages of their role come first.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from grassroots.access.scoping import has_perm, roles_of, secretary_orgs
from grassroots.accounts.roles import PUBLIC

PHONE_LINKS = 4  # links in the phone's bottom bar, before 更多


@dataclass(frozen=True)
class NavEntry:
    label: str
    url_name: str
    permission: str | tuple[str, ...] | None = None  # None: anyone of the entry's audience; a tuple: any
    icon: str = "bi-dot"
    public: bool = False  # shown to residents, members and partner representatives too
    phone: int | None = None  # rank in the phone's bottom bar (lower first); None: under 更多 only
    org_secretary: bool = False  # also shown to the secretaries of Party organizations (their branches' page)


@dataclass
class NavGroup:
    key: str
    label: str
    icon: str
    order: int
    entries: list[NavEntry] = field(default_factory=list)


NavSection = NavGroup  # the first skeleton's name


@dataclass(frozen=True)
class NavLink:
    """An entry resolved for one request."""

    label: str
    url: str
    icon: str
    active: bool
    phone: int | None = None


@dataclass(frozen=True)
class ResolvedSection:
    key: str
    label: str
    icon: str
    links: list[NavLink]


# The groups every part shares, by what people do. Later parts register theirs (自治 80, 共治 90, 法治 100,
# 一化 110, 数据 120) with `register_group`; 系统 stays last.
SECTIONS: list[NavGroup] = [
    NavGroup(
        "home",
        _("工作台"),
        "bi-house",
        0,
        [
            NavEntry(_("首页"), "portal:home", None, "bi-house", public=True, phone=1),
            NavEntry(_("通知公告"), "portal:notice_list", None, "bi-megaphone", public=True, phone=60),
        ],
    ),
    NavGroup("members", _("党员"), "bi-person-badge", 10),
    NavGroup(
        "orglife",
        _("组织生活"),
        "bi-calendar2-check",
        20,
        [
            NavEntry(
                _("会议活动"),
                "gatherings:list",
                "gatherings.view",
                "bi-calendar-event",
                public=True,
                phone=40,
            )
        ],
    ),
    NavGroup("tasks", _("任务与考核"), "bi-list-check", 30),
    NavGroup(
        "affairs",
        _("社区事务"),
        "bi-house-gear",
        40,
        [
            NavEntry(
                _("居民实名核验"),
                "accounts:verification_queue",
                "accounts.verify_resident",
                "bi-person-check",
                phone=30,
            ),
        ],
    ),
    NavGroup("coverage", _("覆盖"), "bi-buildings", 50),
    NavGroup("documents", _("文件与标准"), "bi-rulers", 60),
    NavGroup("voting", _("投票"), "bi-check2-square", 70),
    NavGroup(
        "areas",
        _("区域与组织"),
        "bi-diagram-3",
        190,
        [
            NavEntry(_("区域与党组织"), "areas:tree", "areas.view", "bi-diagram-3"),
            NavEntry(_("党组织"), "areas:party_org_list", "party_orgs.view", "bi-flag"),
        ],
    ),
    NavGroup(
        "system",
        _("系统"),
        "bi-gear",
        200,
        [
            # who grants roles, and the auditors who check the grants
            NavEntry(
                _("用户与授权"),
                "accounts:user_list",
                ("accounts.grant", "audit.view"),
                "bi-person-gear",
                phone=50,
            ),
            NavEntry(_("审计日志"), "audit:log", "audit.view", "bi-journal-text", phone=20),
            NavEntry(_("API 文档"), "api-docs", "api.docs", "bi-code-slash"),
            # the clock sits below the portal (docs/architecture.md, "Layers"): its entry is named here
            NavEntry(_("定时任务"), "clock:overview", "clock.view", "bi-clock-history"),
        ],
    ),
]


def register_group(key: str, label, icon: str, order: int) -> NavGroup:
    """Add a part's own group (idempotent: a key already there is returned as it is). `order` places it among
    the others (工作台 0, 党员 10 … 投票 70, 区域与组织 190, 系统 200)."""
    group = next((g for g in SECTIONS if g.key == key), None)
    if group is None:
        group = NavGroup(key, label, icon, order)
        SECTIONS.append(group)
        SECTIONS.sort(key=lambda g: g.order)
    return group


def register(group_key: str, entry: NavEntry) -> None:
    """Add a page of a part to a group (idempotent: the same label and URL name are added once)."""
    group = next((g for g in SECTIONS if g.key == group_key), None)
    if group is None:
        raise KeyError(f"unknown navigation group {group_key!r}")
    if all((e.url_name, str(e.label)) != (entry.url_name, str(entry.label)) for e in group.entries):
        group.entries.append(entry)


def may_follow(user, entry: NavEntry) -> bool:
    """Does `user` see `entry`? Its audience, then its permission (any of them), through `has_perm`; an
    `org_secretary` entry also shows to the secretaries of Party organizations."""
    if entry.org_secretary and leads_party_org(user):
        return True
    if not (entry.public or uses_console(user)):
        return False
    if entry.permission is None:
        return True
    wanted = (entry.permission,) if isinstance(entry.permission, str) else entry.permission
    return any(has_perm(user, permission) for permission in wanted)


def may_open(user, url_name: str) -> bool:
    """May `user` follow a link to the page named `url_name` from elsewhere (a handbook item, a block)? The
    menu's rule for the entries that name the page (any of them); a page no entry names is open to whoever
    is shown its link (its own view decides)."""
    entries = [entry for group in SECTIONS for entry in group.entries if entry.url_name == url_name]
    return not entries or any(may_follow(user, entry) for entry in entries)


def leads_party_org(user) -> bool:
    """Is `user` the secretary of a live Party organization? The flag the authentication backend loads with
    the signed-in user; a user loaded otherwise asks the scoping function (one query, cached per request)."""
    flag = getattr(user, "leads_party_org", None)
    if flag is None:
        return bool(secretary_orgs(user))
    return bool(flag)


def uses_console(user) -> bool:
    """Officials and workers get the console; residents, members and partner representatives do not."""
    return bool(roles_of(user) - PUBLIC)


def _url(url_name: str) -> str | None:
    try:
        return reverse(url_name)
    except NoReverseMatch:  # that part is not built yet: show nothing rather than a dead link
        return None


def _matches(url: str, current_path: str) -> bool:
    if url == "/":
        return current_path == "/"
    return current_path.startswith(url)


def nav_for(user, current_path: str = "") -> list[ResolvedSection]:
    """The sections and links `user` may see, in declaration order. No database query beyond the user's
    grants, which are cached on the user for the request."""
    if user is None or not user.is_authenticated:
        return []
    visible: list[tuple[NavGroup, list[tuple[NavEntry, str]]]] = []
    for section in sorted(SECTIONS, key=lambda g: g.order):
        entries = []
        for entry in section.entries:
            if not may_follow(user, entry):
                continue
            url = _url(entry.url_name)
            if url is not None and all(url != seen for _e, seen in entries):
                entries.append((entry, url))
        if entries:
            visible.append((section, entries))
    # The longest URL that prefixes the current path is the active one (/areas/ vs /areas/party-orgs/).
    matching = [url for _s, entries in visible for _e, url in entries if _matches(url, current_path)]
    active = max(matching, key=len, default=None)
    return [
        ResolvedSection(
            section.key,
            str(section.label),
            section.icon,
            [
                NavLink(str(entry.label), url, entry.icon, url == active, entry.phone)
                for entry, url in entries
            ],
        )
        for section, entries in visible
    ]


def phone_links(sections: list[ResolvedSection]) -> list[NavLink]:
    """The phone's bottom bar: the user's visible links with a `phone` rank, lowest first, at most
    PHONE_LINKS of them (one URL once); the rest is under 更多 (the whole menu)."""
    ranked = sorted(
        (link for section in sections for link in section.links if link.phone is not None),
        key=lambda link: link.phone,
    )
    seen: set[str] = set()
    chosen = []
    for link in ranked:
        if link.url not in seen:
            seen.add(link.url)
            chosen.append(link)
    return chosen[:PHONE_LINKS]
