"""A visit that needs following up waits on its grid worker's to-do (/todo/, /api/todo/, the home's block)
until closed with a note (page and API, the same service); refusals at the note; another area's visit is a
404 and cannot be closed."""

import pytest
from django.core.exceptions import ValidationError

from grassroots.accounts.roles import Role
from grassroots.gridwork.models import Visit
from grassroots.gridwork.services import close_follow_up, record_visit
from tests.factories import Level, make_area, make_user
from tests.homes import open_home


@pytest.fixture
def grid_worker(tree):
    return make_user("grid_worker", Role.GRID_WORKER, tree.grid_a)


@pytest.fixture
def waiting(grid_worker, tree, today):
    return record_visit(
        actor=grid_worker,
        area=tree.courtyard_a,
        visited_on=today,
        heard="楼道灯坏了两盏",
        follow_up=True,
        follow_up_note="联系物业更换灯泡",
    )


def todo_subjects(api) -> list[str]:
    groups = api.get("/api/todo/").json()
    return [
        line["subject"] for group in groups if group["kind"] == "gridwork.visit" for line in group["lines"]
    ]


def test_a_visit_needing_follow_up_waits_on_the_to_do_until_closed_on_its_page(
    client_for, api_for, grid_worker, waiting, tree, today
):
    record_visit(actor=grid_worker, area=tree.grid_a, visited_on=today, heard="一切正常")  # no follow-up
    web, api = client_for(grid_worker), api_for(grid_worker)
    assert todo_subjects(api) == ["跟进：联系物业更换灯泡"]
    todo = web.get("/todo/").content.decode()
    assert "跟进：联系物业更换灯泡" in todo and waiting.get_absolute_url() in todo
    one_kind = web.get("/todo/", {"kind": "gridwork.visit"})
    assert [item.url for item in one_kind.context["page_obj"].object_list] == [waiting.get_absolute_url()]
    home = open_home(web).content.decode()
    assert 'data-figure="visits_follow_up">1<' in home

    page = web.get(waiting.get_absolute_url())
    assert page.status_code == 200 and "楼道灯坏了两盏" in page.content.decode()
    refused = web.post(waiting.get_absolute_url(), {"note": "  "})
    assert refused.status_code == 200 and refused.context["form"].errors["note"]
    closed = web.post(waiting.get_absolute_url(), {"note": "物业已换好，居民满意。"})
    assert closed.status_code == 302
    waiting.refresh_from_db()
    assert waiting.closed_by == grid_worker and waiting.closing_note == "物业已换好，居民满意。"
    assert todo_subjects(api) == []
    assert "跟进：联系物业更换灯泡" not in web.get("/todo/").content.decode()
    assert 'data-figure="visits_follow_up">0<' in open_home(web).content.decode()
    shown = web.get(waiting.get_absolute_url()).content.decode()
    assert "已办结" in shown and "物业已换好" in shown and 'name="note"' not in shown


def test_closing_through_the_api_and_its_refusals(api_for, grid_worker, waiting, tree, today):
    api = api_for(grid_worker)
    url = f"/api/visits/{waiting.pk}/close/"
    empty = api.post(url, {"note": ""}, format="json")
    assert empty.status_code == 400 and "note" in empty.json()["errors"]
    answer = api.post(url, {"note": "已更换"}, format="json")
    assert answer.status_code == 200
    assert answer.json()["closing_note"] == "已更换" and answer.json()["closed_at"]
    again = api.post(url, {"note": "再次"}, format="json")
    assert again.status_code == 400 and "已经办结" in again.json()["errors"]["note"][0]
    plain = record_visit(actor=grid_worker, area=tree.grid_a, visited_on=today, heard="正常")
    with pytest.raises(ValidationError) as refused:
        close_follow_up(actor=grid_worker, visit=plain, note="无")
    assert "不需要跟进" in refused.value.message_dict["note"][0]


def test_another_areas_worker_neither_sees_nor_closes_it(client_for, api_for, waiting, tree):
    other_grid = make_area("育才网格", Level.GRID, tree.community_b)
    outsider = make_user("outsider", Role.GRID_WORKER, other_grid)
    assert client_for(outsider).get(waiting.get_absolute_url()).status_code == 404
    assert client_for(outsider).post(waiting.get_absolute_url(), {"note": "x"}).status_code == 404
    api = api_for(outsider)
    assert api.post(f"/api/visits/{waiting.pk}/close/", {"note": "x"}, format="json").status_code == 404
    assert todo_subjects(api) == []
    assert Visit.objects.get(pk=waiting.pk).closed_at is None


def test_the_to_do_costs_officials_no_query_for_visits(cast):
    assert Visit.pending_for(cast.street_a) is None
