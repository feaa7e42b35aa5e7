"""The duties lists' one FilterSet each (duties/filters.py): 我的任务 (`?mine=todo`) and a task page's targets
(`?task=`) give the same rows as `/api/duty-assignments/` for the same filter; a parameter out of range is a
400 on the API."""

from datetime import timedelta

import pytest
from django.urls import reverse

from grassroots.areas.models import Level


@pytest.fixture
def tasks(cast, tree, issue, affair, finish, step, today):
    """Two city tasks to the streets (青江街道's target of the first approved, of the second submitted) and a
    street task to its communities."""
    first = issue(title="第一项")
    second = issue(title="第二项", deadline=today + timedelta(days=10))
    finish(first.assignments.get(area=tree.street_a), cast.street_a, cast.city)
    submitted = second.assignments.get(area=tree.street_a)
    for name in ("accept", "begin"):
        step(submitted, name, cast.street_a)
    step(submitted, "submit", cast.street_a, "已完成")
    street = issue(actor=cast.street_a, area=tree.street_a, target_level=Level.COMMUNITY, affair=affair)
    return first, second, street


STATES = ["", "issued", "in_progress", "submitted", "approved", "returned", "open", "overdue"]


@pytest.mark.parametrize("state", STATES)
def test_my_worklist_and_the_api_filter_alike(tasks, cast, client_for, api_for, state):
    for user in (cast.street_a, cast.street_b, cast.secretary):
        page = client_for(user).get(reverse("duties:worklist") + f"?state={state}")
        api = api_for(user).get(f"/api/duty-assignments/?mine=todo&state={state}")
        assert api.status_code == page.status_code == 200
        assert [a.pk for a in page.context["page_obj"]] == [row["id"] for row in api.json()["results"]]
    approved = client_for(cast.street_a).get(reverse("duties:worklist") + "?state=approved")
    assert [a.task.title for a in approved.context["page_obj"]] == ["第一项"]  # the filter is not empty


@pytest.mark.parametrize("state", STATES)
def test_a_task_page_and_the_api_filter_its_targets_alike(tasks, cast, client_for, api_for, state):
    first, second, street = tasks
    for task, user in ((first, cast.city), (second, cast.city), (street, cast.street_a)):
        page = client_for(user).get(reverse("duties:task_detail", args=[task.pk]) + f"?state={state}")
        api = api_for(user).get(f"/api/duty-assignments/?task={task.pk}&state={state}")
        assert api.status_code == page.status_code == 200
        assert [a.pk for a in page.context["page_obj"]] == [row["id"] for row in api.json()["results"]]
        assert page.context["state"] == state


def test_a_task_page_shows_the_submitted_target_only(tasks, cast, tree, client_for):
    _first, second, _street = tasks
    page = client_for(cast.city).get(reverse("duties:task_detail", args=[second.pk]) + "?state=submitted")
    assert [a.area for a in page.context["page_obj"]] == [tree.street_a]


@pytest.mark.parametrize("extra", ["", "&draft=true", "&draft=false", "&target_level=4", "&office=x"])
def test_the_task_list_page_and_the_api_list_alike(tasks, cast, tree, issue, client_for, api_for, extra):
    """任务清单 (an area's list for a year) is `/api/duty-tasks/?issuer=<area>&year=<year>`: the same rows in
    the same order (drafts first, then by deadline), whatever else filters them; a parameter that does not
    validate is ignored by the page and a 400 on the API."""
    from grassroots.core.duties.models import DutyTask

    first, _second, street = tasks
    year = first.task_list.year
    draft = issue(title="草稿", deadline=first.deadline + timedelta(days=5), year=year)
    DutyTask.objects.filter(pk=draft.pk).update(issued_at=None)  # as a list copied from last year holds
    issue(title="更早到期", deadline=first.deadline - timedelta(days=5), year=year)
    for user, area in ((cast.city, tree.city), (cast.street_a, tree.street_a)):
        page = client_for(user).get(reverse("duties:task_list") + f"?area={area.pk}&year={year}{extra}")
        api = api_for(user).get(f"/api/duty-tasks/?issuer={area.pk}&year={year}{extra}")
        assert page.status_code == 200
        if extra == "&office=x":
            assert api.status_code == 400
            unfiltered = api_for(user).get(f"/api/duty-tasks/?issuer={area.pk}&year={year}")
            assert [t.pk for t in page.context["tasks"]] == [r["id"] for r in unfiltered.json()["results"]]
            continue
        assert api.status_code == 200
        assert [t.pk for t in page.context["tasks"]] == [row["id"] for row in api.json()["results"]]
    city = client_for(cast.city).get(reverse("duties:task_list") + f"?area={tree.city.pk}&year={year}")
    titles = [t.title for t in city.context["tasks"]]
    assert titles[0] == "草稿"  # drafts first, then by deadline
    assert titles.index("更早到期") < titles.index("第一项")
    assert street.pk not in [t.pk for t in city.context["tasks"]]  # the issuer's own, not its subtree's


@pytest.mark.parametrize(
    "url",
    [
        "/api/duty-assignments/?state=nonsense",
        "/api/duty-assignments/?mine=nobody",
        "/api/duty-assignments/?task=9223372036854775808",
        "/api/duty-assignments/?year=10000",
        "/api/duty-tasks/?year=0",
        "/api/duty-tasks/?issuer=9223372036854775808",
        "/api/duty-tasks/?root=-1",
    ],
)
def test_a_parameter_out_of_range_is_a_400(cast, api_for, url):
    assert api_for(cast.city).get(url).status_code == 400


def test_the_pages_ignore_a_state_they_do_not_know(tasks, cast, client_for):
    page = client_for(cast.street_a).get(reverse("duties:worklist") + "?state=nonsense")
    assert page.status_code == 200
    assert [a.task.title for a in page.context["page_obj"]] == ["第二项"]  # as with no state: not approved
