"""An entity's Party members counted from the member records when it has a branch of its own; typed by
hand (手工填报) otherwise: the service, the pages, the API, the figures, the scope and the query counts."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from grassroots.core.coverage import selectors, services
from grassroots.core.coverage.models import Entity
from grassroots.core.members.models import MemberStatus
from tests.coverage.conftest import make_entity
from tests.factories import make_area, make_party_org
from tests.orglife.conftest import make_member

REFUSED = "该单位的党员数由党员档案统计，不再手工填报，请留空。"


def _register(branch, full: int, probationary: int = 0, prefix: str = "党员"):
    for i in range(full):
        make_member(f"{prefix}{i}", branch)
    for i in range(probationary):
        make_member(f"{prefix}预备{i}", branch, joined_probationary_on=date(2024, 7, 1), joined_full_on=None)


@pytest.fixture
def counted(tree, orgs):
    """星河公司: its own branch (a group under it too) with 3 full + 1 probationary members on the records,
    one deceased and one transferred out (no longer counted), and stale hand counts (9 / 9).
    瑞丰协会: no branch, counts typed by hand (5 / 4): flagged."""
    branch = make_party_org("星河公司党支部", tree.grid_a, parent=orgs.community)
    group = make_party_org("星河公司第一党小组", tree.grid_a, kind="group", parent=branch)
    _register(branch, full=2, probationary=1)
    _register(group, full=1, prefix="小组党员")
    make_member("已故党员", branch, status=MemberStatus.DECEASED)
    make_member("转出党员", branch, status=MemberStatus.TRANSFERRED_OUT)
    make_member("别家党员", orgs.community)  # the community's own member: not the company's
    own = make_entity(
        "星河公司", tree.grid_a, status="own", party_org=branch, party_members=9, full_members=9
    )
    manual = make_entity("瑞丰协会", tree.community_a, kind="social_org", party_members=5, full_members=4)
    return own, manual


def test_the_counts_come_from_the_records_for_an_own_branch_and_by_hand_otherwise(counted, settings):
    own, manual = counted
    rows = {
        e.name: (e.from_records, e.member_count, e.full_count, e.flagged)
        for e in selectors.with_flag(Entity.objects.all())
    }
    assert rows == {"星河公司": (True, 4, 3, 0), "瑞丰协会": (False, 5, 4, 1)}
    assert services.branch_counts(own) == (4, 3)
    assert (own.count_source, manual.count_source) == ("records", "manual")
    # The figures: one flagged, the hand-counted association, as the lists say.
    assert selectors.summary(Entity.objects.all()).flagged == 1
    assert [e.name for e in selectors.gaps(Entity.objects.all())] == ["瑞丰协会"]
    settings.COVERAGE_OWN_BRANCH_MIN_FULL_MEMBERS = 5
    assert not selectors.with_flag(Entity.objects.filter(pk=manual.pk)).get().flagged


def test_the_service_refuses_typed_counts_for_an_own_branch_and_checks_the_records(tree, cast, counted):
    own, manual = counted
    with pytest.raises(ValidationError) as error:
        services.update_entity(actor=cast.worker, entity=own, party_members=4, full_members=3)
    assert error.value.message_dict == {"full_members": [REFUSED], "party_members": [REFUSED]}
    services.update_entity(actor=cast.worker, entity=own, name="星河科技公司")  # counts left alone: fine
    # A new branch with two full members on its records cannot be an own branch, whatever is typed.
    small = make_party_org("小微公司党支部", tree.grid_a)
    _register(small, full=2, prefix="小微")
    fields = {
        "name": "小微公司",
        "kind": "enterprise",
        "area": tree.grid_a,
        "status": "own",
        "party_org": small,
    }
    with pytest.raises(ValidationError) as error:
        services.create_entity(actor=cast.worker, **fields)
    assert error.value.message_dict == {
        "status": ["党员档案中该党组织的正式党员不足 3 人，不能单独建立党支部，可联合建立或选派党建指导员。"]
    }
    make_member("小微第三人", small)
    entity = services.create_entity(actor=cast.worker, **fields, party_members=None)
    assert (entity.party_members, entity.full_members, entity.counts_from_records) == (0, 0, True)
    # Without a branch the hand counts are kept, and checked against each other.
    services.update_entity(actor=cast.worker, entity=manual, party_members=6, full_members=6)
    with pytest.raises(ValidationError) as error:
        services.update_entity(actor=cast.worker, entity=manual, full_members=7)
    assert error.value.message_dict == {"full_members": ["正式党员数不能多于党员数。"]}


def test_pages_show_the_counted_numbers_and_mark_the_hand_counted(counted, cast, client_for):
    own, manual = counted
    client = client_for(cast.worker)
    page = client.get("/coverage/entities/").content.decode()
    own_row = page[page.index("星河公司") :].split("</tr>")[0]
    manual_row = page[page.index("瑞丰协会") :].split("</tr>")[0]
    assert "4 / 3" in own_row and "手工填报" not in own_row
    assert "5 / 4" in manual_row and "手工填报" in manual_row
    gaps = client.get("/coverage/gaps/").content.decode()
    assert "瑞丰协会" in gaps and "手工填报" in gaps and "星河公司" not in gaps
    detail = client.get(f"/coverage/entities/{own.pk}/").content.decode()
    assert "4 / 3" in detail and "星河公司党支部党员档案统计" in detail
    assert "手工填报" in client.get(f"/coverage/entities/{manual.pk}/").content.decode()


def test_the_form_hides_the_counts_of_an_own_branch_and_refuses_them_at_the_field(
    tree, counted, cast, client_for
):
    own, manual = counted
    client = client_for(cast.worker)
    assert 'name="party_members"' not in client.get(f"/coverage/entities/{own.pk}/edit/").content.decode()
    assert 'name="party_members"' in client.get(f"/coverage/entities/{manual.pk}/edit/").content.decode()
    branch = make_party_org("新星公司党支部", tree.grid_a)
    _register(branch, full=3, prefix="新星")
    form = {
        "name": "新星公司",
        "kind": "enterprise",
        "area": tree.grid_a.pk,
        "employees": 40,
        "status": "own",
        "party_org": branch.pk,
        "party_members": 3,
        "full_members": "",
    }
    response = client.post("/coverage/entities/new/", form)
    assert response.status_code == 200 and REFUSED in response.content.decode()
    assert response.context["form"].errors == {"party_members": [REFUSED]}
    form["party_members"] = ""
    response = client.post("/coverage/entities/new/", form)
    assert response.status_code == 302
    assert Entity.objects.get(name="新星公司").counts_from_records


def test_the_api_gives_the_number_and_its_source(counted, cast, tree, api_for):
    own, manual = counted
    api = api_for(cast.worker)
    rows = {r["name"]: r for r in api.get("/api/entities/").json()["results"]}
    assert {
        n: (rows[n]["party_members"], rows[n]["full_members"], rows[n]["members_source"]) for n in rows
    } == {"星河公司": (4, 3, "records"), "瑞丰协会": (5, 4, "manual")}
    assert rows["瑞丰协会"]["members_source_label"] == "手工填报" and rows["瑞丰协会"]["should_form_branch"]
    response = api.patch(f"/api/entities/{own.pk}/", {"full_members": 3}, format="json")
    assert response.status_code == 400, response.json()
    assert response.json()["errors"] == {"full_members": [REFUSED]}
    response = api.patch(f"/api/entities/{manual.pk}/", {"party_members": 6}, format="json")
    assert response.status_code == 200 and response.json()["party_members"] == 6


def test_another_streets_entity_is_not_found(counted, cast, client_for, api_for):
    client, api = client_for(cast.street_b), api_for(cast.street_b)
    for entity in counted:
        assert client.get(f"/coverage/entities/{entity.pk}/").status_code == 404
        assert client.get(f"/coverage/entities/{entity.pk}/edit/").status_code == 404
        assert api.get(f"/api/entities/{entity.pk}/").status_code == 404
        assert api.patch(f"/api/entities/{entity.pk}/", {"name": "改"}, format="json").status_code == 404
    assert "星河公司" not in client.get("/coverage/entities/").content.decode()


# As tests/coverage/test_rates_pages_api.py's QUERIES: the counts are two subqueries in the list's one query.
QUERIES = {"/coverage/entities/": 6, "/coverage/gaps/": 6, "/api/entities/": 5}


@pytest.mark.parametrize("url", list(QUERIES))
def test_counting_from_the_records_adds_no_query_per_row(
    tree, orgs, cast, client_for, api_for, django_assert_max_num_queries, url
):
    def add(n, start):
        for i in range(start, start + n):
            grid = make_area(f"网格{i}", 5, tree.community_a)
            branch = make_party_org(f"公司{i}党支部", grid)
            make_member(f"甲{i}", branch)
            make_member(f"乙{i}", branch, joined_full_on=None)
            make_entity(f"公司{i}", grid, status="own", party_org=branch)
            make_entity(f"协会{i}", grid, party_members=4, full_members=3)

    get = (api_for if url.startswith("/api/") else client_for)(cast.street_a).get
    add(3, 0)
    get(url)
    with django_assert_max_num_queries(QUERIES[url]) as few:
        assert get(url).status_code == 200
    add(27, 3)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert get(url).status_code == 200
