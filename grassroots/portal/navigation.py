"""The navigation, declared once, by the model's parts (一核 / 自治 / 共治 / 法治 / 一化 / 数据).

Each entry names a URL (by URL name, resolved lazily) and the permission that shows it. An entry whose URL
name does not exist yet is skipped silently, so a part that is not built shows nothing (no dead links), and a
section with no visible entry is not shown at all. Later parts add their pages from their `apps.py ready()`:

    from grassroots.portal.navigation import NavEntry, register
    register("selfgov", NavEntry(_("议事协商"), "selfgov:matter_list", "matters.view", "bi-chat-square-text",
                                 public=True))

`public=True` entries are shown to residents, Party members and partner representatives too; the others only
to people who hold a working role (grid worker and above, auditors, admins).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from grassroots.access.scoping import has_perm, roles_of
from grassroots.accounts.roles import PUBLIC

# Roles that are not working roles: their holders get the resident layout (phones first) and see only the
# `public` entries.


@dataclass(frozen=True)
class NavEntry:
    label: str
    url_name: str
    permission: str | None = None  # None: any signed-in user who sees the entry's audience
    icon: str = "bi-dot"
    public: bool = False  # shown to residents, members and partner representatives too


@dataclass
class NavSection:
    key: str
    label: str
    icon: str
    entries: list[NavEntry] = field(default_factory=list)


@dataclass(frozen=True)
class NavLink:
    """An entry resolved for one request."""

    label: str
    url: str
    icon: str
    active: bool


@dataclass(frozen=True)
class ResolvedSection:
    key: str
    label: str
    icon: str
    links: list[NavLink]


SECTIONS: list[NavSection] = [
    NavSection(
        "home",
        _("工作台"),
        "bi-house",
        [
            NavEntry(_("首页"), "portal:home", None, "bi-house", public=True),
            NavEntry(_("通知公告"), "portal:notice_list", None, "bi-megaphone", public=True),
        ],
    ),
    NavSection(
        "core",
        _("一核"),
        "bi-flag",
        [
            NavEntry(_("区域与党组织"), "areas:tree", "areas.view", "bi-diagram-3"),
            NavEntry(_("党组织"), "areas:party_org_list", "party_orgs.view", "bi-flag"),
            NavEntry(_("会议活动"), "gatherings:list", "gatherings.view", "bi-calendar-event", public=True),
        ],
    ),
    NavSection(
        "selfgov",
        _("自治"),
        "bi-people",
        [
            NavEntry(
                _("居民实名核验"),
                "accounts:verification_queue",
                "accounts.verify_resident",
                "bi-person-check",
            ),
        ],
    ),
    NavSection("cogov", _("共治"), "bi-link-45deg", []),
    NavSection("lawgov", _("法治"), "bi-bank", []),
    NavSection("virtue", _("一化"), "bi-award", []),
    NavSection(
        "data",
        _("数据"),
        "bi-bar-chart",
        [
            NavEntry(_("用户与授权"), "accounts:user_list", "accounts.view", "bi-person-gear"),
            NavEntry(_("审计日志"), "audit:log", "audit.view", "bi-journal-text"),
            NavEntry(_("API 文档"), "api-docs", None, "bi-code-slash"),
            # the clock sits below the portal (docs/architecture.md, "Layers"): its entry is named here
            NavEntry(_("定时任务"), "clock:overview", "clock.view", "bi-clock-history"),
        ],
    ),
]


def register(section_key: str, entry: NavEntry) -> None:
    """Add a page of a later part to a section (idempotent: the same URL name is added once)."""
    section = next((s for s in SECTIONS if s.key == section_key), None)
    if section is None:
        raise KeyError(f"unknown navigation section {section_key!r}")
    if all(e.url_name != entry.url_name for e in section.entries):
        section.entries.append(entry)


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
    console = uses_console(user)
    visible: list[tuple[NavSection, list[tuple[NavEntry, str]]]] = []
    for section in SECTIONS:
        entries = []
        for entry in section.entries:
            if not (console or entry.public):
                continue
            if entry.permission and not has_perm(user, entry.permission):
                continue
            url = _url(entry.url_name)
            if url is not None:
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
            [NavLink(str(entry.label), url, entry.icon, url == active) for entry, url in entries],
        )
        for section, entries in visible
    ]
