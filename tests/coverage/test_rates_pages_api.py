"""Coverage rates per subtree, per kind and per child area; the gap list; pages and API in scope; query
counts that do not grow with rows."""

import pytest

from grassroots.core.coverage import selectors, services
from grassroots.core.coverage.models import Entity
from grassroots.core.coverage.providers import coverage_rate
from tests.coverage.conftest import make_entity
from tests.factories import make_area


@pytest.fixture
def entities(tree, orgs):
    """Street A: 4 entities (3 covered), one flagged; street B: 2 (none covered)."""
    return [
        make_entity(
            "安置小区甲", tree.community_a, kind="resettlement", status="joint", party_org=orgs.community
        ),
        make_entity(
            "商务楼乙",
            tree.grid_a,
            kind="building",
            status="own",
            party_org=orgs.community,
            party_members=4,
            full_members=4,
        ),
        make_entity("企业丙", tree.courtyard_a, kind="enterprise", party_members=3, full_members=3),
        make_entity(
            "社会组织丁", tree.community_a, kind="social_org", status="joint", party_org=orgs.community
        ),
        make_entity("东城企业", tree.community_b, kind="enterprise"),
        make_entity("东城楼宇", tree.community_b, kind="building", party_members=1),
    ]


def test_rates_per_subtree_kind_and_child_area(tree, entities, django_assert_num_queries):
    everything = Entity.objects.all()
    with django_assert_num_queries(1):
        total = selectors.summary(everything.filter(area__path__startswith=tree.county.path))
    assert (total.total, total.covered, total.flagged, total.rate) == (6, 3, 1, 50.0)
    with django_assert_num_queries(1):
        kinds = {k.label: (k.covered, k.total) for k in selectors.by_kind(everything)}
    assert kinds == {"安置小区": (1, 1), "商务楼宇": (1, 2), "非公有制企业": (0, 2), "社会组织": (1, 1)}
    with django_assert_num_queries(1):  # the children of the area joined to the figures per path prefix
        children = selectors.by_child_area(everything, tree.county)
    assert [(c.label, c.covered, c.total, c.rate) for c in children] == [
        ("青江街道", 3, 4, 75.0),
        ("东城街道", 0, 2, 0.0),
    ]
    rates = selectors.per_area([tree.street_a, tree.street_b, tree.community_a])
    assert rates[tree.street_a.pk].rate == 75.0 and rates[tree.community_a.pk].total == 4
    figures = coverage_rate([tree.street_a, tree.street_b], 2025)
    assert float(figures[tree.street_a.pk].rate) == 0.75 and "3 / 4" in figures[tree.street_a.pk].detail


def test_pages_show_the_subtree_and_answer_404_outside(tree, cast, entities, client_for):
    client = client_for(cast.street_a)
    overview = client.get("/coverage/").content.decode()
    assert "青江街道" in overview and "75.0%" in overview and "echarts.min.js" in overview
    gaps = client.get("/coverage/gaps/").content.decode()
    assert gaps.index("企业丙") < gaps.index("应单独建立党支部") or "企业丙" in gaps
    assert "东城企业" not in gaps
    county = client_for(cast.city).get(f"/coverage/?area={tree.county.pk}").content.decode()
    assert "东城街道" in county and "50.0%" in county
    theirs = entities[4]
    outsider = client_for(cast.street_b)
    assert outsider.get(f"/coverage/entities/{entities[0].pk}/").status_code == 404
    assert outsider.get(f"/coverage/entities/{entities[0].pk}/edit/").status_code == 404
    assert outsider.get(f"/coverage/?area={tree.street_a.pk}").status_code == 404
    assert outsider.get(f"/coverage/entities/{theirs.pk}/").status_code == 200
    assert client_for(cast.resident).get("/coverage/").status_code == 403  # no coverage.view anywhere
    auditor = client_for(cast.auditor)
    assert auditor.get(f"/coverage/entities/{entities[0].pk}/").status_code == 200
    assert auditor.get(f"/coverage/entities/{entities[0].pk}/edit/").status_code == 403
    assert auditor.get("/coverage/entities/new/").status_code == 403


def test_registering_an_entity_through_the_page(tree, cast, client_for):
    client = client_for(cast.worker)
    data = {
        "name": "新建小区",
        "kind": "resettlement",
        "area": tree.grid_a.pk,
        "employees": 800,
        "party_members": 2,
        "full_members": 3,
        "status": "none",
    }
    response = client.post("/coverage/entities/new/", data)
    assert response.status_code == 200 and "正式党员数不能多于党员数。" in response.content.decode()
    data["party_members"] = 5
    response = client.post("/coverage/entities/new/", data)
    entity = Entity.objects.get()
    assert response.status_code == 302 and entity.should_form_branch
    assert "应单独建立党支部" in client.get(f"/coverage/entities/{entity.pk}/").content.decode()
    # An area outside the worker's scope is not a valid choice.
    data.update(name="外区", area=tree.community_b.pk)
    response = client.post("/coverage/entities/new/", data)
    assert response.status_code == 200 and Entity.objects.count() == 1


def test_instructor_and_team_pages(tree, cast, orgs, entities, client_for):
    client = client_for(cast.street_a)
    response = client.post(
        "/coverage/instructors/new/",
        {
            "name": "周指导员",
            "position": "街道党建办干部",
            "sent_by": orgs.street.pk,
            "area": tree.street_a.pk,
            "appointed_on": "2025-03-01",
        },
    )
    instructor = services.Instructor.objects.get()
    assert response.status_code == 302
    target = entities[2]
    client.post(f"/coverage/instructors/{instructor.pk}/", {"action": "assign", "entity": target.pk})
    target.refresh_from_db()
    assert target.status == "instructor"
    client.post(
        f"/coverage/instructors/{instructor.pk}/",
        {"action": "visit", "entity": target.pk, "visited_on": "2025-03-05", "content": "宣讲党的政策"},
    )
    assert "宣讲党的政策" in client.get(f"/coverage/entities/{target.pk}/").content.decode()
    assert client_for(cast.street_b).get(f"/coverage/instructors/{instructor.pk}/").status_code == 404
    assert (
        client_for(cast.auditor)
        .post(f"/coverage/instructors/{instructor.pk}/", {"action": "visit"})
        .status_code
        == 403
    )

    response = client.post(
        "/coverage/teams/new/",
        {
            "name": "青江组团服务队",
            "area": tree.street_a.pk,
            "members": "刘医生，全科医生\n陈律师,法律顾问",
            "entities": [target.pk],
        },
    )
    team = services.ServiceTeam.objects.get()
    assert response.status_code == 302 and team.members.count() == 2
    client.post(
        f"/coverage/teams/{team.pk}/",
        {"served_on": "2025-03-06", "entity": target.pk, "content": "义诊", "participants": 4},
    )
    assert team.records.get().participants == 4
    assert client_for(cast.street_b).get(f"/coverage/teams/{team.pk}/").status_code == 404


def test_api_is_scoped(tree, cast, orgs, entities, client_for):
    instructor = services.appoint_instructor(
        actor=cast.street_a, name="吴指导员", sent_by=orgs.street, area=tree.street_a
    )
    services.assign_instructor(actor=cast.street_a, instructor=instructor, entity=entities[2])
    services.record_cross_appointment(
        actor=cast.street_a,
        person_name="孙书记",
        org=orgs.community,
        position="书记",
        other_entity=entities[1],
        other_position="兼职委员",
        starts_on=tree.city.created_at.date(),
    )
    services.create_team(actor=cast.street_a, name="服务队", area=tree.street_a, entities=[entities[0]])
    a, b = client_for(cast.street_a), client_for(cast.street_b)
    rows = a.get("/api/entities/").json()["results"]
    assert {r["name"] for r in rows} == {"安置小区甲", "商务楼乙", "企业丙", "社会组织丁"}
    # 企业丙 has 3 full members: an instructor covers it, but it should still form its own branch.
    assert [r["name"] for r in a.get("/api/entities/?should_form_branch=true").json()["results"]] == [
        "企业丙"
    ]
    assert {r["name"] for r in b.get("/api/entities/").json()["results"]} == {"东城企业", "东城楼宇"}
    assert b.get(f"/api/entities/{entities[0].pk}/").status_code == 404
    assert a.get(f"/api/entities/?under={tree.grid_a.pk}").json()["count"] == 2
    for url in ("/api/instructors/", "/api/cross-appointments/", "/api/service-teams/"):
        assert a.get(url).json()["count"] == 1, url
        assert b.get(url).json()["count"] == 0, url
    assert a.get("/api/instructors/").json()["results"][0]["assignments"][0]["entity_name"] == "企业丙"


# Every one: session, user, grants. Then the entity and instructor lists and the gaps: count, the header's
# unread badge, the page (areas joined). The overview: the children of the area joined to their figures
# (one statement), the subtree's total, the figures by kind, the unread badge. The API: count, the page.
QUERIES = {
    "/coverage/entities/": 6,
    "/coverage/gaps/": 6,
    "/coverage/": 7,
    "/api/entities/": 5,
    "/coverage/instructors/": 6,
}


@pytest.mark.parametrize("url", list(QUERIES))
def test_query_counts_do_not_grow(tree, cast, orgs, client_for, django_assert_max_num_queries, url):
    client = client_for(cast.street_a)

    def add(n, start):
        for i in range(start, start + n):
            grid = make_area(f"网格{i}", 5, tree.community_a)
            entity = make_entity(f"单位{i}", grid, party_members=4, full_members=3)
            instructor = services.appoint_instructor(
                actor=cast.street_a, name=f"指导员{i}", sent_by=orgs.street, area=grid
            )
            services.assign_instructor(actor=cast.street_a, instructor=instructor, entity=entity)

    add(3, 0)
    client.get(url)
    with django_assert_max_num_queries(QUERIES[url]) as few:
        assert client.get(url).status_code == 200
    add(27, 3)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize(
    "query",
    ["", "should_form_branch=true", "should_form_branch=false", "kind=enterprise", "status=joint", "q=楼"],
)
def test_the_page_and_the_api_filter_entities_alike(entities, cast, tree, client_for, api_for, query):
    """One FilterSet (coverage/filters.py) for both: the page lists what the API returns."""
    api_rows = api_for(cast.street_a).get(f"/api/entities/?{query}").json()["results"]
    page = client_for(cast.street_a).get(f"/coverage/entities/?area={tree.street_a.pk}&{query}")
    listed = {e.name for e in page.context["page"]}
    assert listed == {row["name"] for row in api_rows} and listed


def test_the_instructors_cross_appointments_and_teams_export_and_none_of_another_street(
    tree, cast, orgs, entities, client_for
):
    from django.urls import reverse

    from tests.imports.helpers import read_xlsx

    services.appoint_instructor(actor=cast.street_a, name="吴指导员", sent_by=orgs.street, area=tree.street_a)
    services.appoint_instructor(
        actor=cast.street_b, name="东城指导员", sent_by=orgs.street_b, area=tree.street_b
    )
    for actor, org in ((cast.street_a, orgs.community), (cast.street_b, orgs.street_b)):
        services.record_cross_appointment(
            actor=actor,
            person_name="孙书记" if org == orgs.community else "东城书记",
            org=org,
            position="书记",
            other_entity=entities[1] if org == orgs.community else entities[-1],
            other_position="兼职委员",
            starts_on=tree.city.created_at.date(),
        )
    services.create_team(actor=cast.street_a, name="服务队", area=tree.street_a, entities=[entities[0]])
    services.create_team(actor=cast.street_b, name="东城服务队", area=tree.street_b, entities=[])
    client = client_for(cast.street_a)
    for page, kind, sheet, name in (
        ("coverage:instructor_list", "coverage-instructors", "党建指导员", "吴指导员"),
        ("coverage:cross_list", "coverage-cross", "双向交叉任职", "孙书记"),
        ("coverage:team_list", "coverage-teams", "组团服务", "服务队"),
    ):
        assert f'data-export="{kind}"' in client.get(reverse(page)).content.decode()
        response = client.post(reverse("imports:list_export", args=[kind]))
        assert response.status_code == 200, kind
        rows = read_xlsx(b"".join(response.streaming_content))[sheet]
        assert [r[0] for r in rows[1:]] == [name], kind  # none of 东城
        export = reverse("imports:list_export", args=[kind]) + f"?area={tree.street_b.pk}"
        assert client.post(export).status_code == 404


def test_the_gaps_export_holds_the_areas_gaps_and_none_of_another_street(tree, cast, entities, client_for):
    from django.urls import reverse

    from tests.imports.helpers import read_xlsx

    make_entity("=企业戊", tree.community_a, kind="enterprise")
    client = client_for(cast.street_a)
    page = client.get(reverse("coverage:gaps")).content.decode()
    assert 'data-export="coverage-gaps"' in page and f"area={tree.street_a.pk}" in page  # the area pinned
    url = reverse("imports:list_export", args=["coverage-gaps"])
    rows = read_xlsx(b"".join(client.post(url).streaming_content))["覆盖空白"]
    assert rows[0][:4] == ["单位", "类型", "所在区域", "从业人员"]
    assert rows[0][4:] == ["党员", "正式党员", "党员数为手工填报", "覆盖情况", "应单独建立党支部"]
    assert [(r[0], r[8]) for r in rows[1:]] == [("企业丙", "是"), ("=企业戊", "否")]  # the flagged first
    theirs = read_xlsx(b"".join(client_for(cast.street_b).post(url).streaming_content))["覆盖空白"]
    assert sorted(r[0] for r in theirs[1:]) == ["东城企业", "东城楼宇"]
    assert client.post(url + f"?area={tree.street_b.pk}").status_code == 404
    assert client_for(cast.resident).post(url).status_code == 403


@pytest.mark.parametrize(
    ("kind", "sheet", "header", "line"),
    [
        (
            "coverage-overview",
            "覆盖情况（按下级区域）",
            ["区域", "单位", "已覆盖"],
            ["桥楼社区", 4, 3, 1, 1, 75.0],
        ),
        (
            "coverage-kinds",
            "覆盖情况（按类型）",
            ["类型", "单位", "单独建立"],
            ["非公有制企业", 1, 0, 0, 0, 1, 0.0],
        ),
    ],
)
def test_the_overviews_tables_export_the_lines_of_street_a(
    tree, cast, entities, client_for, kind, sheet, header, line
):
    from django.urls import reverse

    from tests.imports.helpers import read_xlsx

    client = client_for(cast.street_a)
    assert f'data-export="{kind}"' in client.get(reverse("coverage:overview")).content.decode()
    url = reverse("imports:list_export", args=[kind])
    rows = read_xlsx(b"".join(client.post(url + f"?area={tree.street_a.pk}").streaming_content))[sheet]
    assert rows[0][:3] == header and line in rows[1:]
    assert not any("东城" in str(r[0]) for r in rows)  # street B's entities counted nowhere
    assert sum(r[1] for r in rows[1:]) == 4
    assert client.post(url + f"?area={tree.street_b.pk}").status_code == 404
