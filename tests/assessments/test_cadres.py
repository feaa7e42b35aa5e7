"""The grid cadre score (网格化干部考察延伸制): computed from the grids' task figures and verified residents'
ratings, stored per person and year, ranked within the street; through the service, the page, the export
and the API, on a hand-counted fixture; another street's rankings read as missing (404)."""

import json
from datetime import timedelta
from decimal import Decimal
from io import BytesIO
from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from grassroots.accounts.models import RoleGrant
from grassroots.accounts.roles import Role
from grassroots.areas.models import Level
from grassroots.audit.models import AuditEvent
from grassroots.core.assessments.models import Assessment, CadreScore, GridRating, Method
from grassroots.core.assessments.services import cadres, schemes
from grassroots.core.assessments.services import people as people_services
from grassroots.core.duties.services import issue_task
from grassroots.workflow.services import transition
from tests.assessments.conftest import add_children
from tests.factories import make_area, make_user

PAGE = "/assessments/grid-extension/"
EXPORT = "/imports/exports/list/assessments-cadres/"
API = "/api/cadre-scores/"


@pytest.fixture
def field(tree, cast, people, today, settings):
    """青江街道 › 桥楼社区 › 第一网格 (杨帆), 第二网格 (王二 and 张三, both serving it); 青江街道 › 新村社区 ›
    新村网格 (李四: no task, no rating). 桥楼社区 issues two tasks to its grids: 第一网格 finishes both on
    time, 第二网格 one of two. A verified resident of 第一网格 rates 杨帆 4 stars; a rating by a resident who
    is no longer verified does not count. 育才社区 (东城街道) has its own grid worker.

    Hand-counted (w = 0.4):  杨帆  T = (2 + 2) / (2 × 2) = 1.0, R = 4 / 5 = 0.8 → 100 × (0.6 + 0.32) = 92.0
                             王二, 张三  T = (1 + 1) / (2 × 2) = 0.5, no rating → 50.0 (tied: rank 2, 2)
                             李四  no data → no score, no rank;  peers ranked: 3"""
    settings.GRID_EXTENSION_RATING_WEIGHT = "0.4"
    grid2 = make_area("第二网格", Level.GRID, tree.community_a)
    community2 = make_area("新村社区", Level.COMMUNITY, tree.street_a)
    grid3 = make_area("新村网格", Level.GRID, community2)
    wang = make_user("wang", Role.GRID_WORKER, grid2, full_name="王二")
    zhang = make_user("zhang", Role.COMMUNITY_WORKER, grid2, full_name="张三")
    li = make_user("li", Role.GRID_WORKER, grid3, full_name="李四")
    other = make_user("zhao", Role.GRID_WORKER, people.grid_b, full_name="赵六")
    for title in ("入户走访", "独居老人登记"):
        task = issue_task(
            actor=cast.secretary,
            area=tree.community_a,
            title=title,
            deadline=today + timedelta(days=10),
            target_level=Level.GRID,
        )
        for assignment in task.assignments.order_by("area__path"):
            doer = people.grid if assignment.area_id == tree.grid_a.pk else wang
            if assignment.area_id == grid2.pk and title == "独居老人登记":
                continue  # 第二网格 leaves the second task open
            for name in ("accept", "begin", "submit"):
                transition(assignment, name, actor=doer, comment="已完成")
            transition(assignment, "approve", actor=cast.secretary)
    cast.resident.verified_at = timezone.now()
    cast.resident.save(update_fields=["verified_at"])
    people_services.rate_worker(resident=cast.resident, worker=people.grid, score=4)
    former = make_user(
        "former", Role.RESIDENT, tree.courtyard_a, home_area=tree.courtyard_a, verified_at=timezone.now()
    )
    people_services.rate_worker(resident=former, worker=people.grid, score=1)
    former.verified_at = None
    former.save(update_fields=["verified_at"])
    people_services.rate_worker(resident=people.resident_b, worker=other, score=5)
    return SimpleNamespace(grid2=grid2, grid3=grid3, wang=wang, zhang=zhang, li=li, other=other)


def scores(street, year):
    return {
        row.person.full_name: (row.score, row.rank_in_peers, row.peers)
        for row in CadreScore.objects.filter(street=street, year=year).select_related("person")
    }


def test_the_formula(settings):
    settings.GRID_EXTENSION_RATING_WEIGHT = "0.4"
    assert cadres.task_rate(0, 0, 0) is None
    assert cadres.task_rate(4, 3, 1) == Decimal("0.5000")  # (3 + 1) / 8
    assert cadres.combine(Decimal("0.5"), Decimal("4")) == Decimal("62.0")  # 100 × (0.3 + 0.32)
    assert cadres.combine(None, Decimal("4")) == Decimal("80.0")  # ratings alone
    assert cadres.combine(Decimal("0.5"), None) == Decimal("50.0")  # tasks alone
    assert cadres.combine(None, None) is None


def test_scores_are_computed_stored_and_ranked_within_the_street(tree, cast, people, field, today):
    assert cadres.compute_cadre_scores(street=tree.street_a, year=today.year, actor=cast.street_a) == 4
    assert scores(tree.street_a, today.year) == {
        "杨帆": (Decimal("92.0"), 1, 3),
        "王二": (Decimal("50.0"), 2, 3),
        "张三": (Decimal("50.0"), 2, 3),
        "李四": (None, None, 3),
    }
    yang = CadreScore.objects.get(person=people.grid)
    assert (yang.tasks_total, yang.tasks_approved, yang.tasks_on_time, yang.task_rate) == (
        2,
        2,
        2,
        Decimal("1.0000"),
    )
    assert (yang.rating, yang.ratings) == (Decimal("4.00"), 1)  # the unverified resident's 1 star left out
    assert [g.name for g in yang.grids.all()] == ["第一网格"]
    # 东城街道's cadre is ranked in 东城街道 only
    cadres.compute_cadre_scores(street=tree.street_b, year=today.year)
    assert scores(tree.street_b, today.year) == {"赵六": (Decimal("100.0"), 1, 1)}
    # recomputing keeps the rows; someone who stops serving loses theirs
    ids = dict(CadreScore.objects.filter(street=tree.street_a).values_list("person__username", "pk"))
    RoleGrant.objects.filter(user=field.li).delete()
    cadres.compute_cadre_scores(street=tree.street_a, year=today.year)
    kept = dict(CadreScore.objects.filter(street=tree.street_a).values_list("person__username", "pk"))
    assert kept == {name: pk for name, pk in ids.items() if name != "li"}
    assert scores(tree.street_a, today.year)["杨帆"] == (Decimal("92.0"), 1, 3)


def test_who_may_compute(tree, cast, people, field, today):
    for user in (cast.secretary, cast.street_b, cast.worker):
        with pytest.raises(PermissionDenied):
            cadres.compute_cadre_scores(street=tree.street_a, year=today.year, actor=user)
    with pytest.raises(ValidationError) as error:
        cadres.compute_cadre_scores(street=tree.community_a, year=today.year, actor=cast.street_a)
    assert "street" in error.value.message_dict
    assert not CadreScore.objects.exists()
    assert cadres.compute_cadre_scores(street=tree.street_a, year=today.year, actor=people.county) == 4


def test_the_grid_cadre_item_of_a_grid_scheme(tree, cast, people, field, today):
    scheme = schemes.create_scheme(
        actor=cast.secretary, area=tree.community_a, year=today.year, level=Level.GRID
    )
    schemes.add_item(
        actor=cast.secretary,
        scheme=scheme,
        name="网格干部考察",
        weight=20,
        method=Method.COMPUTED,
        provider="assessments.grid_cadre",
    )
    schemes.compute_scheme(scheme=scheme)
    totals = {a.area.name: a.total for a in Assessment.objects.filter(scheme=scheme).select_related("area")}
    # 第一网格: 92.0 → 20 × 0.92; 第二网格: tasks (1 + 1) / 4, no rating → 20 × 0.5
    assert totals == {"第一网格": Decimal("18.40"), "第二网格": Decimal("10.00")}


def test_the_page_ranks_and_the_street_recomputes(tree, cast, people, field, client_for, today):
    street = client_for(cast.street_a)
    response = street.post(f"{PAGE}compute/", {"area": tree.street_a.pk, "year": today.year})
    assert response.status_code == 302
    page = street.get(f"{PAGE}?area={tree.street_a.pk}&year={today.year}").content.decode()
    assert page.index("杨帆") < page.index("王二") < page.index("李四")
    assert "92.0" in page and "1 / 3" in page and "2 / 3" in page and "赵六" not in page
    # another street's ranking reads as missing; computing it too
    other = client_for(cast.street_b)
    assert other.get(f"{PAGE}?area={tree.street_a.pk}").status_code == 404
    assert other.post(f"{PAGE}compute/", {"area": tree.street_a.pk}).status_code == 404
    assert "杨帆" not in other.get(PAGE).content.decode()
    # only a street is computed: a county reads as a clear message, nothing written
    response = client_for(people.county).post(f"{PAGE}compute/", {"area": tree.county.pk}, follow=True)
    assert "请选择一个街道（乡镇）。" in response.content.decode()
    # the community secretary sees their scope but does not compute the street's
    assert client_for(cast.secretary).post(f"{PAGE}compute/", {"area": tree.street_a.pk}).status_code == 404
    # the cadre sees their own score and rank, nobody else's; residents see nothing
    own = client_for(people.grid).get(PAGE)
    assert own.status_code == 200
    text = own.content.decode()
    assert "杨帆" in text and "92.0" in text and "1 / 3" in text and "王二" not in text
    assert client_for(people.grid).get(f"{PAGE}?area={tree.street_a.pk}").status_code == 200
    assert client_for(cast.resident).get(PAGE).status_code == 403
    # the personnel view shows the stored score and rank
    person = street.get(f"/assessments/people/{people.grid.pk}/?year={today.year}").content.decode()
    assert "92.0" in person and "1 / 3" in person


def test_the_page_queries_do_not_grow(
    tree, cast, people, field, client_for, today, django_assert_max_num_queries
):
    cadres.compute_cadre_scores(street=tree.street_a, year=today.year)
    client = client_for(cast.street_a)
    url = f"{PAGE}?area={tree.street_a.pk}&year={today.year}"
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    community = make_area("大兴社区", Level.COMMUNITY, tree.street_a)
    for grid in add_children(community, 30, Level.GRID, "网格"):
        make_user(f"g{grid.pk}", Role.GRID_WORKER, grid)
    assert cadres.compute_cadre_scores(street=tree.street_a, year=today.year) == 34
    # session, user, grants (×2: scope and switcher), the street, count, the page's rows, their grids,
    # the shell's navigation and switcher
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert len(response.context["page_obj"].object_list) == 20
    assert len(few.captured_queries) <= 14, [q["sql"][:80] for q in few.captured_queries]


def test_compute_queries_do_not_grow(tree, cast, people, field, today):
    def measure() -> int:
        cadres.compute_cadre_scores(street=tree.street_a, year=today.year)  # rows exist: updates only
        with CaptureQueriesContext(connection) as ctx:
            cadres.compute_cadre_scores(street=tree.street_a, year=today.year)
        return len(ctx.captured_queries)

    few = measure()
    community = make_area("大兴社区", Level.COMMUNITY, tree.street_a)
    for grid in add_children(community, 30, Level.GRID, "网格"):
        make_user(f"g{grid.pk}", Role.GRID_WORKER, grid)
    # savepoint, grants, tasks, ratings, existing rows, their update, the grids' delete and insert, release
    assert measure() == few <= 10
    assert CadreScore.objects.filter(street=tree.street_a).count() == 34


def test_the_export(tree, cast, people, field, client_for, today):
    cadres.compute_cadre_scores(street=tree.street_a, year=today.year)
    field.li.full_name = '=HYPERLINK("http://x","点我")'
    field.li.save(update_fields=["full_name"])
    page = client_for(cast.street_a).get(f"{PAGE}?area={tree.street_a.pk}&year={today.year}")
    assert 'data-export="assessments-cadres"' in page.content.decode()
    response = client_for(cast.street_a).post(f"{EXPORT}?area={tree.street_a.pk}&year={today.year}")
    assert response.status_code == 200
    ws = load_workbook(BytesIO(b"".join(response.streaming_content))).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][:4] == ("年度", "街道（乡镇）", "姓名", "服务网格")
    assert rows[1][2] == "杨帆" and rows[1][10] == 92 and rows[1][11] == 1
    cell = next(c for row in ws.iter_rows() for c in row if c.value and "HYPERLINK" in str(c.value))
    assert cell.data_type == "s"  # neutralised: text, not a formula
    assert len(rows) == 5
    assert client_for(cast.street_b).post(f"{EXPORT}?area={tree.street_a.pk}").status_code == 404
    theirs = client_for(cast.street_b).post(EXPORT)  # another street's official: none of 青江's cadres
    assert list(load_workbook(BytesIO(b"".join(theirs.streaming_content))).active.iter_rows())[1:] == []
    assert client_for(people.grid).post(EXPORT).status_code == 403
    assert (
        "网格干部考察得分（列表导出）"
        in AuditEvent.objects.get(user=cast.street_a, kind=AuditEvent.Kind.EXPORT).what
    )


def test_the_api(tree, cast, people, field, api_for, today):
    street = api_for(cast.street_a)
    response = street.post(f"{API}compute/", {"street": tree.street_a.pk, "year": today.year}, format="json")
    assert response.status_code == 200 and response.json() == {"count": 4}
    rows = street.get(f"{API}?area={tree.street_a.pk}&year={today.year}").json()["results"]
    assert [(r["person_name"], r["score"], r["rank_in_peers"]) for r in rows] == [
        ("杨帆", "92.0", 1),
        ("张三", "50.0", 2),
        ("王二", "50.0", 2),
        ("李四", None, None),
    ]
    assert rows[0]["grids"] == [{"id": tree.grid_a.pk, "name": "第一网格"}]
    # the cadre sees their own row only
    own = api_for(people.grid).get(API).json()["results"]
    assert [(r["person_name"], r["rank_in_peers"], r["peers"]) for r in own] == [("杨帆", 1, 3)]
    # another street: 404 for the rows and the filter, 400 for the street it cannot see, 403 to compute
    other = api_for(cast.street_b)
    assert other.get(f"{API}{rows[0]['id']}/").status_code == 404
    assert other.get(f"{API}?area={tree.street_a.pk}").status_code == 404
    assert other.get(API).json()["count"] == 0
    response = other.post(f"{API}compute/", {"street": tree.street_a.pk, "year": today.year}, format="json")
    assert response.status_code == 400 and "street" in response.json()["errors"]
    # the secretary cannot see the street as a whole (400 on the field); the auditor sees but does not compute
    response = api_for(cast.secretary).post(
        f"{API}compute/", {"street": tree.street_a.pk, "year": today.year}, format="json"
    )
    assert response.status_code == 400
    response = api_for(cast.auditor).post(
        f"{API}compute/", {"street": tree.street_a.pk, "year": today.year}, format="json"
    )
    assert response.status_code == 403
    assert GridRating.objects.count() == 3


def test_the_page_charts_the_scores_it_lists(tree, cast, people, field, client_for, today):
    cadres.compute_cadre_scores(street=tree.street_a, year=today.year)
    response = client_for(cast.street_a).get(f"{PAGE}?area={tree.street_a.pk}&year={today.year}")
    body = response.content.decode()
    assert 'data-stack-chart="cadre-data"' in body and "echarts.min.js" in body
    start = body.index('<script id="cadre-data" type="application/json">') + len(
        '<script id="cadre-data" type="application/json">'
    )
    chart = json.loads(body[start : body.index("</script>", start)])
    rows = list(response.context["page_obj"].object_list)
    assert chart["labels"] == [row.person.display_name for row in rows]
    assert chart["labels"][0] == "杨帆" and chart["bars"][0]["values"][0] == 92.0
    assert chart["bars"][0]["values"] == [None if r.score is None else float(r.score) for r in rows]
    assert chart["line"]["values"] == [None if r.task_rate is None else float(r.task_percent) for r in rows]
    assert chart["grouped"] is False
    # nothing computed for the year: no chart, the table says so
    empty = client_for(cast.street_a).get(f"{PAGE}?area={tree.street_a.pk}&year={today.year - 5}")
    assert "cadre-data" not in empty.content.decode() and "本年度尚未计算考察得分。" in empty.content.decode()


def test_the_chart_covers_every_listed_cadre_and_groups_by_street_above_the_limit(
    tree, cast, people, field, client_for, today, monkeypatch
):
    """The chart draws all the cadres the list holds, read in one query whatever their number (not the
    page's rows); above CHART_CADRES each street with its cadres' mean score and task rate."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from grassroots.core.assessments.models import CadreScore
    from grassroots.core.assessments.selectors import people as people_selectors

    cadres.compute_cadre_scores(street=tree.street_a, year=today.year)
    cadres.compute_cadre_scores(street=tree.street_b, year=today.year)
    client = client_for(cast.city)

    def chart_and_queries(url):
        with CaptureQueriesContext(connection) as captured:
            body = client.get(url).content.decode()
        opening = '<script id="cadre-data" type="application/json">'
        start = body.index(opening) + len(opening)
        return json.loads(body[start : body.index("</script>", start)]), len(captured.captured_queries)

    url = f"{PAGE}?year={today.year}&page=2"  # past the end: the last page; the chart is the whole list
    chart, queries = chart_and_queries(url)
    scores = list(CadreScore.objects.filter(year=today.year).select_related("person", "street"))
    assert len(chart["labels"]) == len(scores) >= 2
    monkeypatch.setattr(people_selectors, "CHART_CADRES", 1)
    grouped, grouped_queries = chart_and_queries(url)
    assert grouped["grouped"] and grouped_queries == queries
    streets = sorted({s.street for s in scores}, key=lambda street: street.path)
    assert grouped["labels"] == [street.name for street in streets]
    for i, street in enumerate(streets):
        own = [float(s.score) for s in scores if s.street_id == street.pk and s.score is not None]
        assert grouped["bars"][0]["values"][i] == (round(sum(own) / len(own), 1) if own else None)
