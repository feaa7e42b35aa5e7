"""The pages: worklists, task list, task page, assignment page, breakdown, progress, offices — through HTTP,
with the cast: owners see and act, street_b gets 404, read-only users 403 for actions; lists keep their
query count whatever their length."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from grassroots.areas.models import Level
from grassroots.core.duties.models import AssignmentState, DutyTask, Office
from tests.duties.conftest import add_children
from tests.factories import make_area
from tests.homes import open_home


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    return len(ctx)


def test_worklists(cast, tree, issue, affair, step, client_for):
    city_task = issue(title="城市下发到街道")
    street_task = issue(
        actor=cast.street_a,
        area=tree.street_a,
        title="街道下发到社区",
        target_level=Level.COMMUNITY,
        affair=affair,
    )
    community = street_task.assignments.get()
    step(community, "accept", cast.secretary)
    step(community, "begin", cast.secretary)
    step(community, "submit", cast.secretary, "完成")
    secretary = client_for(cast.secretary).get(reverse("duties:worklist"))
    assert [a.task.title for a in secretary.context["page_obj"]] == ["街道下发到社区"]
    street = client_for(cast.street_a)
    todo = street.get(reverse("duties:worklist"))
    assert [a.task.title for a in todo.context["page_obj"]] == ["城市下发到街道"]
    assert todo.context["check_count"] == 1
    check = street.get(reverse("duties:worklist") + "?tab=check")
    assert [a.area for a in check.context["page_obj"]] == [tree.community_a]
    assert "桥楼社区" in check.content.decode()
    assert list(client_for(cast.street_b).get(reverse("duties:worklist")).context["page_obj"]) == [
        city_task.assignments.get(area=tree.street_b)
    ]
    assert client_for(cast.resident).get(reverse("duties:worklist")).status_code == 403


def test_the_worklist_exports_each_tab_and_nothing_of_another_street(
    cast, tree, issue, affair, step, client_for
):
    from grassroots.audit.models import AuditEvent
    from tests.imports.helpers import read_xlsx

    issue(title="=城市下发到街道")
    street_task = issue(
        actor=cast.street_a,
        area=tree.street_a,
        title="街道下发到社区",
        target_level=Level.COMMUNITY,
        affair=affair,
    )
    community = street_task.assignments.get()
    for name in ("accept", "begin", "submit"):
        step(community, name, cast.secretary, "完成")
    url = reverse("imports:list_export", args=["duties-worklist"])
    street = client_for(cast.street_a)
    assert 'data-export="duties-worklist"' in street.get(reverse("duties:worklist")).content.decode()
    todo = read_xlsx(b"".join(street.post(url + "?tab=todo").streaming_content))["我的任务"]
    assert todo[0] == ["任务", "状态", "逾期", "完成时限", "下达区域", "承办区域", "责任部门", "提交时间"]
    assert [(r[0], r[4], r[5]) for r in todo[1:]] == [("=城市下发到街道", tree.city.name, "青江街道")]
    check = read_xlsx(b"".join(street.post(url + "?tab=check").streaming_content))["我的任务"]
    assert [(r[0], r[1], r[5]) for r in check[1:]] == [("街道下发到社区", "待审核", "桥楼社区")]
    assert AuditEvent.objects.filter(kind="export", user=cast.street_a).count() == 2
    # another street: its own assignment of the city's task, nothing to check of 青江街道's
    other = client_for(cast.street_b)
    assert [r[5] for r in read_xlsx(b"".join(other.post(url).streaming_content))["我的任务"][1:]] == [
        "东城街道"
    ]
    assert read_xlsx(b"".join(other.post(url + "?tab=check").streaming_content))["我的任务"][1:] == []
    assert client_for(cast.resident).post(url).status_code == 403


def test_worklist_query_count_does_not_grow(cast, tree, issue, affair, client_for):
    client = client_for(cast.secretary)
    issue(actor=cast.street_a, area=tree.street_a, target_level=Level.COMMUNITY, affair=affair)
    few = queries(client, reverse("duties:worklist"))
    for i in range(15):
        issue(
            actor=cast.street_a,
            area=tree.street_a,
            title=f"任务{i}",
            target_level=Level.COMMUNITY,
            affair=affair,
        )
    assert queries(client, reverse("duties:worklist")) == few
    assert few <= 14


def test_task_page_scope_and_queries(cast, tree, issue, affair, client_for):
    add_children(tree.street_a, 2, Level.COMMUNITY)
    task = issue(target_level=Level.COMMUNITY, affair=affair)
    url = reverse("duties:task_detail", args=[task.pk])
    for user in (cast.city, cast.auditor, cast.admin):
        assert client_for(user).get(url).status_code == 200
    for outsider in (cast.street_a, cast.street_b, cast.secretary, cast.resident):
        assert client_for(outsider).get(url).status_code == 404, outsider
    client = client_for(cast.city)
    few = queries(client, url)
    cascade = queries(client, url + "?view=cascade&state=open")
    add_children(tree.street_b, 30, Level.COMMUNITY)
    bigger = issue(title="更多社区", target_level=Level.COMMUNITY, affair=affair)
    assert bigger.assignments.count() == 34
    assert queries(client, reverse("duties:task_detail", args=[bigger.pk])) == few
    assert (
        queries(client, reverse("duties:task_detail", args=[bigger.pk]) + "?view=cascade&state=open")
        == cascade
    )
    page = client.get(reverse("duties:task_detail", args=[bigger.pk]))
    assert page.context["figures"]["total"] == 34 and len(page.context["page_obj"]) == 34


def test_assignment_page(cast, tree, issue, client_for):
    task = issue()
    mine = task.assignments.get(area=tree.street_a)
    url = reverse("duties:assignment_detail", args=[mine.pk])
    page = client_for(cast.street_a).get(url)
    assert page.status_code == 200 and page.context["is_doer"] and page.context["may_break_down"]
    assert "接收任务" in page.content.decode() and not page.context["task_visible"]
    assert client_for(cast.city).get(url).context["task_visible"]
    assert client_for(cast.street_b).get(url).status_code == 404
    assert client_for(cast.resident).get(url).status_code == 404


def test_steps_through_the_generic_view(cast, tree, issue, client_for):
    task = issue()
    mine = task.assignments.get(area=tree.street_a)
    action = reverse("workflow:transition", args=[_ct(mine), mine.pk, "accept"])
    assert client_for(cast.street_b).post(action).status_code == 404
    assert client_for(cast.city).post(action).status_code == 403  # sees it, may not accept for the street
    response = client_for(cast.street_a).post(action, {"comment": ""})
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.state == AssignmentState.ACCEPTED


def _ct(obj) -> int:
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(obj).pk


# --- THE RULE through the form ------------------------------------------------------------------------------


def test_form_shows_the_rule_at_the_affair_field(cast, tree, affair, client_for, today):
    client = client_for(cast.street_a)
    url = reverse("duties:task_create") + f"?area={tree.street_a.pk}&year={today.year}"
    data = {
        "title": "入户走访",
        "description": "",
        "deadline": (today + timedelta(days=10)).isoformat(),
        "evidence_required": "",
        "weight": "1",
        "target_level": str(Level.COMMUNITY),
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "affair": ["请选择准入事项（不在社区事务准入目录内的事项不能下发到社区）"]
    }
    body = response.content.decode()
    error = body.index('id="id_affair_error"')  # at the field, and its empty choice a Chinese prompt
    assert "请选择准入事项（不在社区事务准入目录内的事项不能下发到社区）" in body[error : error + 300]
    assert '<option value="" selected>请选择…</option>' in body and "---------" not in body
    assert not DutyTask.objects.exists()
    response = client.post(url, {**data, "affair": str(affair.pk)})
    task = DutyTask.objects.get()
    assert response.status_code == 302 and response["Location"] == task.get_absolute_url()
    assert task.assignments.get().area == tree.community_a


def test_form_pages_scope(cast, tree, client_for):
    url = reverse("duties:task_create")
    assert client_for(cast.street_b).get(url + f"?area={tree.street_a.pk}").status_code == 404
    assert client_for(cast.secretary).get(url + f"?area={tree.street_a.pk}").status_code == 404
    # a community's secretary issues to the community's grids; its workers do not issue
    assert client_for(cast.secretary).get(url + f"?area={tree.community_a.pk}").status_code == 200
    assert client_for(cast.worker).get(url + f"?area={tree.community_a.pk}").status_code == 404
    assert client_for(cast.street_a).get(url).status_code == 200  # their own street by default
    assert client_for(cast.resident).get(url).status_code == 403


def test_task_list_page_and_copy(cast, tree, issue, client_for, today):
    from django.utils import timezone

    before = timezone.now() - timedelta(days=365)
    issue(title="去年的任务", deadline=before.date() + timedelta(days=3), now=before, year=today.year - 1)
    client = client_for(cast.city)
    url = reverse("duties:task_list") + f"?area={tree.city.pk}&year={today.year}"
    page = client.get(url)
    assert page.status_code == 200 and page.context["can_copy"]
    response = client.post(reverse("duties:copy_list"), {"area": tree.city.pk, "year": today.year})
    assert response.status_code == 302
    page = client.get(url)
    assert [t.title for t in page.context["tasks"]] == ["去年的任务"] and not page.context["can_copy"]
    draft = page.context["tasks"][0]
    assert draft.is_draft and "核对并下发" in page.content.decode()
    assert client_for(cast.street_b).get(url).status_code == 404
    assert (
        client_for(cast.street_b).post(reverse("duties:copy_list"), {"area": tree.city.pk}).status_code == 404
    )
    # The street sees what it received from the city on its own list.
    issue(title="今年的任务")
    street = client_for(cast.street_a).get(reverse("duties:task_list") + f"?year={today.year}")
    assert [a.task.title for a in street.context["received"]] == ["今年的任务"]


def test_task_list_queries_do_not_grow(cast, tree, issue, client_for, today):
    client = client_for(cast.city)
    url = reverse("duties:task_list") + f"?area={tree.city.pk}&year={(today + timedelta(days=30)).year}"
    issue()
    few = queries(client, url)
    for i in range(12):
        issue(title=f"任务{i}")
    assert queries(client, url) == few


def test_breakdown_page(cast, tree, issue, affair, client_for, today):
    share = issue(affair=affair).assignments.get(area=tree.street_a)
    url = reverse("duties:breakdown", args=[share.pk])
    assert client_for(cast.street_b).get(url).status_code == 404
    assert client_for(cast.city).get(url).status_code == 403
    client = client_for(cast.street_a)
    page = client.get(url)
    assert page.status_code == 200 and page.context["form"].initial["affair"] == affair.pk
    response = client.post(
        url,
        {
            "title": "分解给社区",
            "deadline": (today + timedelta(days=10)).isoformat(),
            "weight": "1",
            "target_level": str(Level.COMMUNITY),
            "affair": str(affair.pk),
        },
    )
    child = DutyTask.objects.get(parent=share)
    assert response.status_code == 302 and child.assignments.get().area == tree.community_a
    detail = client.get(reverse("duties:assignment_detail", args=[share.pk]))
    assert [t.title for t in detail.context["children"]] == ["分解给社区"]


def test_progress_page(cast, tree, issue, client_for, today):
    issue()
    year = (today + timedelta(days=30)).year
    page = client_for(cast.city).get(reverse("duties:progress") + f"?area={tree.county.pk}&year={year}")
    assert page.status_code == 200
    assert [(area.name, f["total"]) for area, f in page.context["rows"]] == [("青江街道", 1), ("东城街道", 1)]
    assert (
        client_for(cast.street_b).get(reverse("duties:progress") + f"?area={tree.street_a.pk}").status_code
        == 404
    )
    own = client_for(cast.street_a).get(reverse("duties:progress") + f"?year={year}")
    assert own.context["area"] == tree.street_a and own.context["total"]["total"] == 1


def test_offices(cast, tree, issue, client_for):
    client = client_for(cast.street_a)
    url = reverse("duties:offices") + f"?area={tree.street_a.pk}"
    assert client.post(url, {"kind": "party_building", "name": "党建办"}).status_code == 302
    response = client.post(url, {"kind": "party_building", "name": "党建办"})
    assert response.context["form"].errors == {"name": ["本单位已有同名科室。"]}
    office = Office.objects.get()
    assert client_for(cast.street_b).get(url).status_code == 404
    assert client_for(cast.worker).get(reverse("duties:offices")).status_code == 403
    # The street names the office that handles a task it received.
    share = issue().assignments.get(area=tree.street_a)
    assign = reverse("duties:assign_office", args=[share.pk])
    assert client_for(cast.street_b).post(assign, {"office": office.pk}).status_code == 404
    assert client_for(cast.city).post(assign, {"office": office.pk}).status_code == 403
    assert client.post(assign, {"office": office.pk}).status_code == 302
    share.refresh_from_db()
    assert share.office == office
    assert (
        client_for(cast.street_b).post(reverse("duties:office_retire", args=[office.pk])).status_code == 404
    )
    assert client.post(reverse("duties:office_retire", args=[office.pk])).status_code == 302
    office.refresh_from_db()
    assert office.retired


@pytest.mark.parametrize("name", ["duties:worklist", "duties:task_list", "duties:progress"])
def test_navigation_lists_the_pages(cast, client_for, name):
    home = open_home(client_for(cast.street_a))
    assert reverse(name) in home.content.decode()


def test_a_task_goes_to_a_chosen_subset_of_the_communities(cast, tree, affair, client_for, today):
    extra = make_area("金凤社区", Level.COMMUNITY, tree.street_a)
    client = client_for(cast.street_a)
    url = reverse("duties:task_create") + f"?area={tree.street_a.pk}&year={today.year}"
    page = client.get(url).content.decode()
    assert "只下发给部分单位" in page and "青江街道 › 金凤社区 · 社区" in page
    data = {
        "title": "入户走访",
        "deadline": (today + timedelta(days=10)).isoformat(),
        "weight": "1",
        "target_level": str(Level.COMMUNITY),
        "affair": str(affair.pk),
        "targets": [str(extra.pk)],
    }
    response = client.post(url, data)
    task = DutyTask.objects.get()
    assert response.status_code == 302 and [a.area for a in task.assignments.all()] == [extra]
    # a community outside the issuing street is not even offered: refused as an invalid choice
    response = client.post(url, {**data, "title": "第三项", "targets": [str(tree.community_b.pk)]})
    assert response.status_code == 200 and "targets" in response.context["form"].errors
    assert DutyTask.objects.count() == 1


def test_the_progress_export_holds_the_pages_lines_and_none_of_another_street(
    cast, tree, issue, client_for, today
):
    from tests.imports.helpers import read_xlsx

    issue()
    year = (today + timedelta(days=30)).year
    export = reverse("imports:list_export", args=["duties-progress"])
    county = client_for(cast.city).post(export + f"?area={tree.county.pk}&year={year}")
    rows = read_xlsx(b"".join(county.streaming_content))["任务完成情况"]
    assert rows[0][:3] == ["区域", "承办单位数", "已完成"]
    assert [(r[0], r[1]) for r in rows[1:]] == [("青江街道", 1), ("东城街道", 1)]  # as on the page
    client = client_for(cast.street_a)
    page = client.get(reverse("duties:progress") + f"?year={year}").content.decode()
    assert 'data-export="duties-progress"' in page
    own = client.post(export + f"?year={year}")
    names = [r[0] for r in read_xlsx(b"".join(own.streaming_content))["任务完成情况"][1:]]
    assert "东城街道" not in names and all("育才" not in name for name in names)  # nothing of street B
    assert client.post(export + f"?area={tree.street_b.pk}&year={year}").status_code == 404
