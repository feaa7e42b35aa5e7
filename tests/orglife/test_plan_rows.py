"""The filing form's meeting rows on a phone: rows added (添加一行) and removed (删除此行) by plain form posts
that re-render the page without saving, blank rows ignored instead of refusing the whole form, and rows left
unchanged while editing kept."""

from datetime import timedelta

from django.utils import timezone

from grassroots.core.orglife import kinds
from grassroots.core.orglife.models import OrgLifePlan
from tests.orglife.test_plans import a_row, item_data, make_plan

BLANK = {
    "kind": kinds.COMMITTEE_MEETING,
    "topic": "",
    "day": "",
    "start": "",
    "end": "",
    "place": "",
    "lecturer": "",
}


def head(day):
    return {"period_unit": "month", "period_start": day.isoformat(), "note": "本月安排"}


def rows_shown(response) -> int:
    return response.content.decode().count('name="remove_row"')


def test_a_row_is_added_and_one_removed_without_saving_and_the_typed_values_stay(orgs, client_for, today):
    month = (today.replace(day=1) + timedelta(days=40)).replace(day=1)
    secretary = client_for(orgs.branch_sec)
    url = f"/orglife/branches/{orgs.branch.pk}/plans/new/"
    page = secretary.get(url)
    assert rows_shown(page) == 2 and "添加一行" in page.content.decode()

    day = month + timedelta(days=3)
    rows = [a_row(day=day, topic="研究换届"), a_row(day=day, topic="学习党章"), BLANK]
    response = secretary.post(url, {**head(month), **item_data(rows=rows), "add_row": "1"})
    body = response.content.decode()
    assert response.status_code == 200 and not OrgLifePlan.objects.exists()
    assert rows_shown(response) == 4 and "研究换届" in body and "学习党章" in body and "本月安排" in body
    assert "该字段是必填项" not in body and 'name="items-TOTAL_FORMS" value="4"' in body

    response = secretary.post(url, {**head(month), **item_data(rows=rows), "remove_row": "0"})
    body = response.content.decode()
    assert rows_shown(response) == 2 and "研究换届" not in body and "学习党章" in body
    assert not OrgLifePlan.objects.exists()


def test_blank_rows_are_ignored_and_a_half_filled_row_is_refused_at_its_fields(orgs, client_for, today):
    month = (today.replace(day=1) + timedelta(days=40)).replace(day=1)
    secretary = client_for(orgs.branch_sec)
    url = f"/orglife/branches/{orgs.branch.pk}/plans/new/"
    day = month + timedelta(days=3)
    half = {**BLANK, "topic": "只写了主题"}
    response = secretary.post(url, {**head(month), **item_data(rows=[a_row(day=day), half, BLANK])})
    body = response.content.decode()
    assert response.status_code == 200 and not OrgLifePlan.objects.exists()
    assert body.count("该字段是必填项") == 3  # day, start, end of the half-filled row only
    assert 'id="id_items-1-day_error"' in body and 'id="id_items-2-day_error"' not in body

    response = secretary.post(url, {**head(month), **item_data(rows=[BLANK, a_row(day=day), BLANK, BLANK])})
    plan = OrgLifePlan.objects.get()
    assert response.status_code == 302 and [i.topic for i in plan.items.all()] == ["研究本月工作"]


def test_editing_keeps_unchanged_rows_and_drops_a_removed_one(orgs, client_for):
    plan = make_plan(orgs.branch_sec, orgs.branch, rows=2)
    secretary = client_for(orgs.branch_sec)
    url = f"/orglife/plans/{plan.pk}/edit/"
    page = secretary.get(url)
    assert rows_shown(page) == 4  # the two meetings and two blank rows

    items = list(plan.items.all())
    rows = []
    for item in items:
        start, end = timezone.localtime(item.starts_at), timezone.localtime(item.ends_at)
        rows.append(
            {
                "kind": item.kind,
                "topic": item.topic,
                "day": start.date().isoformat(),
                "start": f"{start:%H:%M}",
                "end": f"{end:%H:%M}",
                "place": "",
                "lecturer": item.lecturer,
            }
        )
    data = {"note": "", **item_data(rows=[*rows, BLANK, BLANK])}
    data["items-INITIAL_FORMS"] = "2"
    response = secretary.post(url, data)
    assert response.status_code == 302 and plan.items.count() == 2

    response = secretary.post(url, {**data, "remove_row": "1"})
    assert rows_shown(response) == 3 and items[1].topic not in response.content.decode()
    data["items-0-DELETE"] = "on"
    secretary.post(url, data)
    assert [i.topic for i in plan.items.all()] == [items[1].topic]
