"""The table of residents' quick reports (随手拍统计, issue 14): per community of a street (per child area of
the working area), counts by category and by state, ranked most first, through the one roll-up; a street's
official reads only their subtree (another street is 404), a resident has no such page; the query count does
not grow with the communities. Hand-counted fixture."""

from __future__ import annotations

from datetime import datetime, time

import pytest
from django.utils import timezone

from grassroots.accounts.roles import Role
from grassroots.areas.models import Level
from grassroots.selfgov.models import Channel, Opinion
from grassroots.selfgov.selectors_reports import quick_report_table
from tests.factories import make_area, make_user

URL = "/selfgov/quick-reports/"


def report(author, community, area, category, state="submitted", channel=Channel.QUICK_REPORT, when=None):
    return Opinion.objects.create(
        community=community,
        area=area,
        author=author,
        category=category,
        text="随手拍",
        channel=channel,
        state=state,
        created_at=when or timezone.now(),
    )


@pytest.fixture
def reports(cast, tree, today):
    """青江街道: 桥楼社区 2 parking (1 rejected) + 1 environment; 青衣社区 4 environment (1 grouped); an
    online opinion and a report of last year, not counted; 东城街道's 育才社区 1 safety."""
    qingyi = make_area("青衣社区", Level.COMMUNITY, tree.street_a)
    yard = make_area("青衣一院", Level.COURTYARD, qingyi)
    a, r = tree.community_a, cast.resident
    report(r, a, tree.courtyard_a, "parking")
    report(r, a, tree.courtyard_a, "parking", state="rejected")
    report(r, a, a, "environment")
    for n in range(4):
        report(r, qingyi, yard, "environment", state="grouped" if n == 0 else "submitted")
    report(r, a, tree.courtyard_a, "parking", channel=Channel.ONLINE)
    last_year = timezone.make_aware(datetime.combine(today.replace(year=today.year - 1, day=1), time(10)))
    report(r, a, tree.courtyard_a, "parking", when=last_year)
    report(r, tree.community_b, tree.community_b, "safety")
    return qingyi


def test_the_table_per_community_ranked(cast, tree, reports, today):
    table = quick_report_table(tree.street_a, today.year)
    rows = [
        (child.name if child else None, by_cat, by_state, total)
        for child, by_cat, by_state, total in table["rows"]
    ]
    # categories in Category order: environment, parking, facilities, safety, property, elderly, greening, …
    assert rows == [
        ("青衣社区", [4, 0, 0, 0, 0, 0, 0, 0], [3, 1, 0], 4),
        ("桥楼社区", [1, 2, 0, 0, 0, 0, 0, 0], [2, 0, 1], 3),
    ]
    assert table["total"] == ([5, 2, 0, 0, 0, 0, 0, 0], [5, 1, 1], 7)
    assert quick_report_table(tree.street_a)["total"][2] == 8  # every year


def test_the_page_scoped_and_pinned(cast, tree, reports, today, client_for, django_assert_max_num_queries):
    client = client_for(cast.street_a)
    page = client.get(URL, {"year": today.year})
    assert page.status_code == 200
    html = page.content.decode()
    assert html.index("青衣社区") < html.index("桥楼社区")  # ranked: most first
    assert page.context["area"] == tree.street_a  # the working area by default
    assert [row[3] for row in page.context["table"]["rows"]] == [4, 3]
    # A community's worker goes down to courtyards; another street's official: 404; a resident: no page.
    worker = client_for(cast.worker).get(URL, {"year": today.year})
    assert worker.context["area"] == tree.community_a
    assert client_for(cast.street_b).get(URL, {"area": tree.street_a.pk}).status_code == 404
    theirs = client_for(cast.street_b).get(URL, {"year": today.year})
    assert theirs.context["table"]["total"][2] == 1 and "青衣社区" not in theirs.content.decode()
    assert client_for(cast.resident).get(URL).status_code == 403
    # The county reads it per street.
    county = make_user("county", Role.COUNTY_OFFICIAL, tree.county)
    lines = client_for(county).get(URL, {"area": tree.county.pk, "year": today.year}).context["table"]["rows"]
    assert [(child.name, total) for child, *_rest, total in lines] == [("青江街道", 7), ("东城街道", 1)]
    # Query count: the same with more communities and reports.
    with django_assert_max_num_queries(40) as captured:
        client.get(URL, {"year": today.year})
    for n in range(10):
        more = make_area(f"新社区{n}", Level.COMMUNITY, tree.street_a)
        report(cast.resident, more, more, "other")
    with django_assert_max_num_queries(len(captured)):
        assert len(client.get(URL, {"year": today.year}).context["table"]["rows"]) == 12


API = "/api/opinions/quick-reports/"


def test_the_api_gives_the_same_figures_scoped(
    cast, tree, reports, today, api_for, django_assert_max_num_queries
):
    answer = api_for(cast.street_a).get(API, {"year": today.year})
    assert answer.status_code == 200
    data = answer.json()
    assert (data["area"], data["year"]) == (tree.street_a.pk, today.year)
    assert data["categories"]["parking"] and data["states"]["submitted"]
    assert [(row["area_name"], row["own"], row["total"]) for row in data["rows"]] == [
        ("青衣社区", False, 4),
        ("桥楼社区", False, 3),
    ]
    assert data["rows"][1]["by_category"]["parking"] == 2 and data["rows"][1]["by_state"]["rejected"] == 1
    assert data["total"]["total"] == 7 and data["total"]["by_state"] == {
        "submitted": 5,
        "grouped": 1,
        "rejected": 1,
    }
    assert api_for(cast.street_a).get(API, {"year": 0}).json()["total"]["total"] == 8  # every year
    this_year = api_for(cast.street_a).get(API).json()
    assert this_year["year"] == today.year  # by default
    # owner, member, outsider: the community's worker reads their community; another street's official
    # gets 404 for street A and their own figures; a resident 403.
    worker = api_for(cast.worker).get(API, {"year": today.year}).json()
    assert worker["area"] == tree.community_a.pk and worker["total"]["total"] == 3
    assert api_for(cast.street_b).get(API, {"area": tree.street_a.pk}).status_code == 404
    assert api_for(cast.street_b).get(API, {"year": today.year}).json()["total"]["total"] == 1
    assert api_for(cast.resident).get(API).status_code == 403
    refused = api_for(cast.street_a).get(API, {"year": 1900})
    assert refused.status_code == 400 and "year" in refused.json()["errors"]
    with django_assert_max_num_queries(12) as captured:
        api_for(cast.street_a).get(API, {"year": today.year})
    for n in range(10):
        more = make_area(f"新社区{n}", Level.COMMUNITY, tree.street_a)
        report(cast.resident, more, more, "other")
    with django_assert_max_num_queries(len(captured)):
        assert len(api_for(cast.street_a).get(API, {"year": today.year}).json()["rows"]) == 12


def _json_script(html: str, element_id: str):
    import json
    import re

    found = re.search(rf'<script id="{element_id}" type="application/json">(.*?)</script>', html, re.S)
    assert found, element_id
    return json.loads(found.group(1))


def test_the_chart_and_the_map_scoped(cast, tree, reports, today, client_for, api_for):
    """The bar chart (by category, stacked by state) and the map's points (the reports with the phone's
    position, each a link to its page) of the working area only; another street's official sees neither."""
    placed = Opinion.objects.filter(community=reports, channel=Channel.QUICK_REPORT).order_by("pk").first()
    Opinion.objects.filter(pk=placed.pk).update(latitude="29.980000", longitude="103.010000")
    theirs = Opinion.objects.get(community=tree.community_b)
    Opinion.objects.filter(pk=theirs.pk).update(latitude="30.010000", longitude="103.050000")
    html = client_for(cast.street_a).get(URL, {"year": today.year}).content.decode()
    chart = _json_script(html, "gr-quick-chart")
    assert chart["labels"][:2] == ["环境卫生", "停车交通"]
    by_state = {bar["name"]: bar["values"] for bar in chart["bars"]}
    assert by_state == {
        "征集中": [4, 1, 0, 0, 0, 0, 0, 0],
        "已归入事项": [1, 0, 0, 0, 0, 0, 0, 0],
        "不予采纳": [0, 1, 0, 0, 0, 0, 0, 0],
    }
    points = _json_script(html, "gr-quick-map")["points"]
    assert [(p["value"][:2], p["link"]) for p in points] == [
        ([103.01, 29.98], f"/selfgov/opinions/{placed.pk}/")
    ]
    assert points[0]["name"].startswith("环境卫生") and "青衣一院" in points[0]["kind"]
    assert 'data-area-map="gr-quick-map"' in html and 'data-stack-chart="gr-quick-chart"' in html
    # the link opens the report for the official
    assert client_for(cast.street_a).get(points[0]["link"]).status_code == 200
    other = client_for(cast.street_b).get(URL, {"year": today.year}).content.decode()
    assert [p["link"] for p in _json_script(other, "gr-quick-map")["points"]] == [
        f"/selfgov/opinions/{theirs.pk}/"
    ]
    data = api_for(cast.street_a).get(API, {"year": today.year}).json()
    assert [(p["id"], p["lng"], p["lat"], p["url"]) for p in data["points"]] == [
        (placed.pk, 103.01, 29.98, f"/selfgov/opinions/{placed.pk}/")
    ]
    assert data["by_category_state"]["parking"] == {"submitted": 1, "grouped": 0, "rejected": 1}
    assert data["by_category_state"]["environment"] == {"submitted": 4, "grouped": 1, "rejected": 0}


def test_the_quick_report_form_has_a_map_to_place_it(client_for, people):
    """No online tiles: the area map (the county boundaries, ECharts) to click the position on, filling the
    latitude and longitude fields, and 使用当前位置 beside it; the plain opinion form has neither."""
    client = client_for(people.wang)
    page = client.get("/selfgov/opinions/new/?quick=1").content.decode()
    assert 'data-area-map-pick="id_latitude id_longitude"' in page and "yaan.geojson" in page
    assert "使用当前位置" in page and 'id="gr-place-map"' in page
    assert 'data-area-map-picked="已选位置：经度 %(lng)s，纬度 %(lat)s"' in page
    plain = client.get("/selfgov/opinions/new/").content.decode()
    assert "data-area-map-pick" not in plain


def test_the_export_holds_the_table_of_the_area_and_none_of_another_street(
    cast, tree, reports, today, client_for
):
    from django.urls import reverse

    from tests.imports.helpers import read_xlsx

    client = client_for(cast.street_a)
    page = client.get(URL, {"year": today.year}).content.decode()
    assert 'data-export="selfgov-quick-reports"' in page and f"year={today.year}" in page  # the year pinned
    url = reverse("imports:list_export", args=["selfgov-quick-reports"])
    rows = read_xlsx(b"".join(client.post(url + f"?year={today.year}").streaming_content))["随手拍统计"]
    assert rows[0][0] == "区域" and rows[0][-1] == "合计" and len(rows[0]) == 1 + 8 + 3 + 1
    assert rows[1:] == [
        ["青衣社区", 4, 0, 0, 0, 0, 0, 0, 0, 3, 1, 0, 4],
        ["桥楼社区", 1, 2, 0, 0, 0, 0, 0, 0, 2, 0, 1, 3],
        ["合计", 5, 2, 0, 0, 0, 0, 0, 0, 5, 1, 1, 7],
    ]
    theirs = read_xlsx(b"".join(client_for(cast.street_b).post(url).streaming_content))["随手拍统计"]
    assert "青衣社区" not in [r[0] for r in theirs] and theirs[-1][-1] == 1
    assert client_for(cast.street_b).post(url + f"?area={tree.street_a.pk}").status_code == 404
    assert client_for(cast.resident).post(url).status_code == 403
