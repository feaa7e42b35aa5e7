"""The grid worker's visit log: recorded within their grid, refused outside it at the field, invisible to
another area, the page's and the API's list."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError

from grassroots.accounts.roles import Role
from grassroots.gridwork.models import Visit
from grassroots.gridwork.services import record_visit
from tests.factories import Level, make_area, make_user
from tests.homes import open_home


@pytest.fixture
def grid_worker(tree):
    return make_user("grid_worker", Role.GRID_WORKER, tree.grid_a)


def test_grid_worker_records_a_visit_in_their_grid(client_for, tree, cast, grid_worker, today):
    client = client_for(grid_worker)
    response = client.post(
        "/gridwork/visits/",
        {
            "area": tree.courtyard_a.pk,
            "resident": cast.resident.pk,
            "visited_on": today.isoformat(),
            "heard": "楼道灯坏了",
            "follow_up": "on",
            "follow_up_note": "联系物业更换",
        },
    )
    assert response.status_code == 302
    visit = Visit.objects.get()
    assert (visit.worker, visit.area, visit.resident, visit.follow_up) == (
        grid_worker,
        tree.courtyard_a,
        cast.resident,
        True,
    )
    page = client.get("/gridwork/visits/").content.decode()
    assert "楼道灯坏了" in page and "联系物业更换" in page
    home = open_home(client).content.decode()
    assert 'data-block="my_visits"' in home and "楼道灯坏了" in home


def test_a_visit_outside_the_grid_is_refused_at_the_area_field(client_for, tree, grid_worker, today):
    other_grid = make_area("第二网格", Level.GRID, tree.community_a)
    with pytest.raises(ValidationError) as refused:
        record_visit(actor=grid_worker, area=other_grid, visited_on=today, heard="情况")
    assert "只能记录您负责的网格" in refused.value.message_dict["area"][0]
    # the page's form offers only the worker's areas: another one is a choice error at the field
    response = client_for(grid_worker).post(
        "/gridwork/visits/", {"area": other_grid.pk, "visited_on": today.isoformat(), "heard": "情况"}
    )
    assert response.status_code == 200 and response.context["form"].errors["area"]
    assert not Visit.objects.exists()


def test_follow_up_needs_a_note_and_the_date_is_not_in_the_future(grid_worker, tree, today):
    with pytest.raises(ValidationError) as refused:
        record_visit(
            actor=grid_worker,
            area=tree.grid_a,
            visited_on=today + timedelta(days=1),
            heard="情况",
            follow_up=True,
        )
    assert set(refused.value.message_dict) == {"visited_on", "follow_up_note"}
    assert not Visit.objects.exists()


def test_api_records_refuses_elsewhere_and_hides_other_areas(api_for, tree, cast, grid_worker, today):
    api = api_for(grid_worker)
    body = {"area": tree.grid_a.pk, "visited_on": today.isoformat(), "heard": "民情"}
    created = api.post("/api/visits/", body, format="json")
    assert created.status_code == 201, created.content
    assert created.json()["worker"] == grid_worker.pk
    refused = api.post(
        "/api/visits/",
        {"area": tree.community_b.pk, "visited_on": today.isoformat(), "heard": "民情"},
        format="json",
    )
    assert refused.status_code == 400 and "area" in refused.json()["errors"]
    # street B's grid worker sees none of it: the list is empty, the record 404
    grid_b = make_area("育才第一网格", Level.GRID, tree.community_b)
    outsider = make_user("grid_b", Role.GRID_WORKER, grid_b)
    other = api_for(outsider)
    assert other.get("/api/visits/").json()["results"] == []
    assert other.get(f"/api/visits/{created.json()['id']}/").status_code == 404
    # the community's secretary reads it
    assert len(api_for(cast.secretary).get("/api/visits/").json()["results"]) == 1


def test_page_filters_by_month_and_its_query_count_is_pinned(
    client_for, tree, grid_worker, today, django_assert_max_num_queries
):
    client = client_for(grid_worker)
    for days in range(0, 60, 3):
        when = today - timedelta(days=days)
        record_visit(actor=grid_worker, area=tree.grid_a, visited_on=when, heard="民情")
    month = today.strftime("%Y-%m")
    with django_assert_max_num_queries(14):
        response = client.get(f"/gridwork/visits/?month={month}")
    shown = list(response.context["page_obj"])
    assert shown and all(v.visited_on.strftime("%Y-%m") == month for v in shown)


def test_a_resident_has_no_visit_log(client_for, cast):
    assert client_for(cast.resident).get("/gridwork/visits/").status_code == 403


def test_api_month_filter_keeps_that_month_and_refuses_a_bad_one(api_for, tree, grid_worker, today):
    """`?month=bad` was ignored (every visit listed): it is a 400 naming `month`, in Chinese."""
    for days in (0, 40):
        when = today - timedelta(days=days)
        record_visit(actor=grid_worker, area=tree.grid_a, visited_on=when, heard="民情")
    api = api_for(grid_worker)
    month = today.strftime("%Y-%m")
    listed = api.get(f"/api/visits/?month={month}&mine=1").json()["results"]
    assert listed and all(v["visited_on"].startswith(month) for v in listed)
    assert len(api.get("/api/visits/").json()["results"]) == 2
    for bad in ("bad", "2026-13", "2026-5", "0000-01", "9999-12"):
        refused = api.get(f"/api/visits/?month={bad}", HTTP_ACCEPT_LANGUAGE="zh-hans")
        assert refused.status_code == 400, (bad, refused.content)
        assert "年-月" in str(refused.json()["errors"]["month"])
