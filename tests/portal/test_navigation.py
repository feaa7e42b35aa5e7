"""The menu shows, grouped by what people do, only the pages that exist and that the user may open."""

import pytest
from django.urls import reverse

from grassroots.portal import navigation
from grassroots.portal.navigation import NavEntry, NavGroup, nav_for, phone_links
from tests.homes import open_home


@pytest.fixture
def sections(monkeypatch):
    """A navigation of our own for the test, restored afterwards."""
    declared = [
        NavGroup(
            "core",
            "一核",
            "bi-flag",
            0,
            [
                NavEntry("通知公告", "portal:notice_list", None, public=True),
                NavEntry("发布通知", "portal:notice_create", "notices.manage"),
                NavEntry("尚未建成的页面", "core:not_built_yet", None, public=True),
            ],
        ),
        NavGroup("cogov", "共治", "bi-link", 1, [NavEntry("尚未建成", "cogov:nothing", None, public=True)]),
        NavGroup("data", "数据", "bi-bar-chart", 2, [NavEntry("审计", "portal:home", "audit.view")]),
    ]
    monkeypatch.setattr(navigation, "SECTIONS", declared)
    return declared


def links(user) -> dict[str, list[str]]:
    return {section.key: [link.label for link in section.links] for section in nav_for(user)}


def test_entries_follow_the_permission(cast, sections):
    assert links(cast.worker) == {"core": ["通知公告", "发布通知"]}
    assert links(cast.auditor) == {"core": ["通知公告"], "data": ["审计"]}


def test_residents_see_public_entries_only(cast, sections):
    # the resident holds no notices.manage; the entry for audit is not public either way
    assert links(cast.resident) == {"core": ["通知公告"]}


def test_missing_url_names_and_empty_sections_are_skipped_silently(cast, sections, caplog):
    result = links(cast.admin)

    assert "尚未建成的页面" not in result["core"]
    assert "cogov" not in result  # a section with nothing built shows nothing
    assert caplog.records == []


def test_the_longest_matching_url_is_the_active_one(cast, sections):
    resolved = nav_for(cast.worker, current_path=reverse("portal:notice_create"))
    active = [link.label for section in resolved for link in section.links if link.active]
    assert active == ["发布通知"]


def test_register_adds_an_entry_once(monkeypatch):
    monkeypatch.setattr(navigation, "SECTIONS", [NavGroup("virtue", "一化", "bi-award", 110, [])])
    entry = NavEntry("活动积分", "virtue:points", "gatherings.view")

    navigation.register("virtue", entry)
    navigation.register("virtue", entry)

    assert navigation.SECTIONS[0].entries == [entry]
    with pytest.raises(KeyError):
        navigation.register("nowhere", entry)


# --- the real navigation, as rendered ---------------------------------------------------------------------


def sidebar(client) -> str:
    html = open_home(client).content.decode()
    start = html.index('id="gr-nav"')
    return html[start : html.index("</nav>", start)]


@pytest.mark.parametrize(
    ("url_name", "allowed", "refused"),
    [
        ("portal:notice_list", ["resident", "worker", "auditor"], []),
        ("gatherings:list", ["resident", "worker"], []),
        ("areas:tree", ["worker", "street_a"], ["resident"]),
        ("areas:party_org_list", ["worker"], ["resident"]),
        ("accounts:verification_queue", ["worker", "secretary"], ["resident", "auditor"]),
        ("accounts:user_list", ["secretary", "admin", "auditor"], ["resident", "worker"]),
        ("audit:log", ["auditor", "admin"], ["worker", "street_a", "resident"]),
        ("api-docs", ["admin", "street_a", "auditor"], ["resident", "worker", "secretary"]),
        ("members:worklist", ["secretary"], ["worker", "street_a", "auditor", "resident"]),
        ("duties:offices", ["street_a", "city"], ["secretary", "worker"]),
        ("duties:office_workload", ["street_a"], ["secretary", "worker"]),
    ],
)
def test_rendered_navigation_shows_each_page_to_those_who_may_open_it(
    client_for, cast, url_name, allowed, refused
):
    href = f'href="{reverse(url_name)}"'
    for who in allowed:
        assert href in sidebar(client_for(getattr(cast, who))), who
    for who in refused:
        assert href not in sidebar(client_for(getattr(cast, who))), who


def test_sections_without_visible_entries_are_not_rendered(client_for, cast):
    resident_nav = sidebar(client_for(cast.resident))
    admin_nav = sidebar(client_for(cast.admin))

    assert 'data-section="system"' in admin_nav and 'data-section="system"' not in resident_nav
    # 社区事务 shows residents nothing (the verification queue is the community's), 投票 its public entry
    assert 'data-section="affairs"' in admin_nav and 'data-section="affairs"' not in resident_nav
    assert 'data-section="voting"' in resident_nav and 'href="/voting/"' in resident_nav
    assert f'href="{reverse("accounts:verification_queue")}"' not in resident_nav
    unbuilt = [s.key for s in navigation.SECTIONS if not any(navigation._url(e.url_name) for e in s.entries)]
    for key in unbuilt:  # e.g. 共治, 法治, 一化 until their parts exist
        assert f'data-section="{key}"' not in admin_nav


def test_every_rendered_link_resolves(client_for, cast):
    client = client_for(cast.admin)
    for section in nav_for(cast.admin):
        for link in section.links:
            assert client.get(link.url).status_code in (200, 302), link.url


# --- groups, the registry, the phone's bar ----------------------------------------------------------------


def test_a_part_adds_its_own_group_in_its_place(monkeypatch):
    monkeypatch.setattr(
        navigation,
        "SECTIONS",
        [NavGroup("home", "工作台", "bi-house", 0), NavGroup("system", "系统", "bi-gear", 200)],
    )

    group = navigation.register_group("selfgov", "自治", "bi-people", order=80)

    assert navigation.register_group("selfgov", "自治", "bi-people", order=80) is group  # once
    assert [g.key for g in navigation.SECTIONS] == ["home", "selfgov", "system"]


def test_an_entry_with_several_permissions_shows_to_holders_of_any(cast, monkeypatch):
    entry = NavEntry("用户", "accounts:user_list", ("accounts.grant", "audit.view"))
    monkeypatch.setattr(navigation, "SECTIONS", [NavGroup("system", "系统", "bi-gear", 0, [entry])])

    assert links(cast.secretary) == links(cast.auditor) == {"system": ["用户"]}
    assert links(cast.worker) == {}


def test_groups_follow_what_each_role_does(cast):
    groups = {who: [s.key for s in nav_for(getattr(cast, who))] for who in ("resident", "worker", "auditor")}

    assert "members" not in groups["resident"] and "system" not in groups["resident"]
    assert {"members", "orglife", "tasks", "affairs"} <= set(groups["worker"])
    assert "system" not in groups["worker"]  # no users to grant, no audit, no API to connect
    assert "system" in groups["auditor"]


def test_the_phone_bar_is_short_and_puts_each_roles_most_used_first(cast):
    for who in ("resident", "worker", "secretary", "street_a", "auditor", "admin"):
        bar = phone_links(nav_for(getattr(cast, who)))
        assert 1 <= len(bar) <= navigation.PHONE_LINKS, who
        assert bar[0].url == "/", who
    assert [link.label for link in phone_links(nav_for(cast.secretary))][1] == "书记工作台"
    assert "审计日志" in [link.label for link in phone_links(nav_for(cast.auditor))]


def test_the_phone_bar_is_rendered_for_officials_too(client_for, cast):
    html = open_home(client_for(cast.worker)).content.decode()
    bar = html[html.index('class="gr-bottom-nav') :]
    bar = bar[: bar.index("</nav>")]
    assert "更多" in bar and 'href="/"' in bar
