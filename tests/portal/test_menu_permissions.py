"""A page answers exactly those its menu entry is shown to (issue 13): 书记工作台 asks `members.worklist`,
街道科室 and 三办工作量 (page and API) `duties.offices`, the API docs page `api.docs`. The others get the
Chinese refusal page, not a page the menu hid from them."""

import pytest

from tests.homes import open_home

PAGES = [
    ("/members/worklist/", ["secretary"], ["worker", "street_a", "city", "auditor", "resident"]),
    ("/duties/offices/", ["street_a", "city", "admin"], ["secretary", "worker", "auditor", "resident"]),
    ("/duties/offices/workload/", ["street_a", "city"], ["secretary", "worker", "resident"]),
    ("/api/docs/", ["street_a", "city", "auditor", "admin"], ["secretary", "worker", "resident"]),
]


@pytest.mark.parametrize(("url", "holders", "others"), PAGES, ids=[p[0] for p in PAGES])
def test_a_page_answers_whom_its_menu_entry_names(client_for, cast, url, holders, others):
    for name in holders:
        assert client_for(getattr(cast, name)).get(url).status_code == 200, name
    for name in others:
        response = client_for(getattr(cast, name)).get(url)
        assert response.status_code == 403, name
        assert "无权操作" in response.content.decode(), name


def test_the_api_docs_ask_a_visitor_to_sign_in_while_the_schema_stays_public(db, client):
    response = client.get("/api/docs/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert client.get("/api/schema/").status_code == 200


def test_the_offices_api_follows_the_same_permission(api_for, cast, tree):
    street = api_for(cast.street_a)
    assert (
        street.post(
            "/api/offices/", {"area": tree.street_a.pk, "kind": "services", "name": "服务办"}
        ).status_code
        == 201
    )
    assert street.get("/api/offices/").json()["count"] == 1
    assert street.get(f"/api/offices/workload/?area={tree.street_a.pk}").status_code == 200
    secretary = api_for(cast.secretary)
    assert secretary.get("/api/offices/").json()["count"] == 0
    assert secretary.get("/api/offices/workload/").status_code == 403
    refused = secretary.post(
        "/api/offices/", {"area": tree.community_a.pk, "kind": "services", "name": "服务办"}
    )
    assert refused.status_code in (400, 403)


def test_a_branch_secretary_finds_their_branchs_pages_in_the_menu(client_for, cast, tree):
    """A grid branch's secretary (PartyOrg.secretary) holding no working role, only the member role: the menu
    shows 书记工作台, 党员档案 and 组织生活 and each opens; the flag comes with the user's own query (the
    same number of queries as for a member who leads nothing)."""
    from grassroots.accounts.roles import Role
    from tests.factories import make_party_org, make_user

    community_org = make_party_org("桥楼社区党委", tree.community_a, kind="committee")
    branch = make_party_org("第一网格党支部", tree.grid_a, parent=community_org)
    leader = make_user("leader", Role.MEMBER, tree.community_a)
    follower = make_user("follower", Role.MEMBER, tree.community_a)
    branch.secretary = leader
    branch.save()

    web = client_for(leader)
    home = open_home(web).content.decode()
    for href in ("/members/worklist/", "/members/", "/orglife/"):
        assert f'href="{href}"' in home, href
        assert web.get(href).status_code == 200, href
    other = client_for(follower)
    page = open_home(other).content.decode()
    assert 'href="/members/worklist/"' not in page
    assert other.get("/members/worklist/").status_code == 403
    assert 'href="/members/worklist/"' not in open_home(client_for(cast.worker)).content.decode()

    def queries(client) -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            client.get("/privacy/mine/")
        return len(captured.captured_queries)

    assert queries(web) == queries(other)
