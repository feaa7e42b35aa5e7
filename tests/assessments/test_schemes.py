"""Assessments (考核): items computed from real records (work reports, findings, duty tasks, a provider
registered by the test), items without a provider (暂无数据), hand scores with their reason, ranking among
peers, the background task, the pages' drill-down, and the cost of computing a whole scheme."""

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from grassroots.areas.models import Level
from grassroots.core.assessments.figures import Figure
from grassroots.core.assessments.models import Assessment, AssessmentScore, ComputeStatus, Method, ScoreSource
from grassroots.core.assessments.services import reports, schemes
from grassroots.workflow.services import transition
from tests.assessments.conftest import add_children
from tests.factories import make_area

THIS_YEAR = timezone.localdate().year


def scheme_with(actor, area, level, items, year=THIS_YEAR):
    scheme = schemes.create_scheme(actor=actor, area=area, year=year, level=level)
    for name, weight, method, provider in items:
        schemes.add_item(
            actor=actor, scheme=scheme, name=name, weight=weight, method=method, provider=provider
        )
    return scheme


def score_of(scheme, area, name) -> AssessmentScore:
    return AssessmentScore.objects.get(assessment__scheme=scheme, assessment__area=area, item__name=name)


def test_items_computed_from_reports_and_findings(tree, cast, orgs, people, publish, add_finding, providers):
    providers.unregister_provider("lawgov.disputes_settled")  # as if its part were not built: no provider
    report = reports.create_report(
        actor=cast.secretary, party_org=orgs.community_a, year=THIS_YEAR, content="x"
    )
    publish(report, scores=(90, 80, 85))
    verified = add_finding(description="已销号", deadline=timezone.localdate().replace(month=12, day=31))
    add_finding(description="整改中", deadline=timezone.localdate().replace(month=12, day=31))
    transition(verified, "report_rectified", actor=cast.secretary, comment="已整改")
    transition(verified, "verify", actor=cast.street_a)
    scheme = scheme_with(
        people.county,
        tree.county,
        Level.COMMUNITY,
        [
            ("党建述职", 30, Method.COMPUTED, "assessments.report_score"),
            ("督察整改", 20, Method.COMPUTED, "assessments.rectification"),
            ("纠纷化解", 10, Method.COMPUTED, "lawgov.disputes_settled"),
            ("群众满意度", 40, Method.MANUAL, ""),
        ],
    )
    assert schemes.compute_scheme(scheme=scheme) == 2  # 桥楼社区, 育才社区
    report_a = score_of(scheme, tree.community_a, "党建述职")
    assert (report_a.figure, report_a.score, report_a.source) == (
        Decimal("0.85"),
        Decimal("25.50"),
        "computed",
    )
    assert report_a.evidence_url == report.get_absolute_url() and "85.00" in report_a.detail
    rect_a = score_of(scheme, tree.community_a, "督察整改")
    assert (rect_a.figure, rect_a.score) == (Decimal("0.5"), Decimal("10.00"))
    assert "1 / 2" in rect_a.detail and f"area={tree.community_a.pk}" in rect_a.evidence_url
    # 育才社区: no report (暂无数据), no finding (nothing to rectify: full points)
    assert score_of(scheme, tree.community_b, "党建述职").source == ScoreSource.MISSING
    assert score_of(scheme, tree.community_b, "督察整改").score == Decimal("20.00")
    # the item whose provider is missing scores 暂无数据 for everyone; the manual one waits for its score
    assert {s.source for s in AssessmentScore.objects.filter(item__name="纠纷化解")} == {"missing"}
    assert {s.source for s in AssessmentScore.objects.filter(item__name="群众满意度")} == {"missing"}
    a = Assessment.objects.get(scheme=scheme, area=tree.community_a)
    assert (a.total, a.max_total, a.party_org) == (Decimal("35.50"), Decimal("50.00"), orgs.community_a)
    scheme.refresh_from_db()
    assert scheme.compute_status == ComputeStatus.DONE and scheme.computed_at is not None


@pytest.mark.skipif(
    not apps.is_installed("grassroots.core.duties"), reason="the duties part is not installed"
)
def test_items_computed_from_duty_tasks(tree, cast):
    from grassroots.core.duties.models import DutyAssignment
    from grassroots.core.duties.services import issue_task

    task = issue_task(
        actor=cast.city,
        area=tree.city,
        title="党建重点任务",
        deadline=timezone.localdate() + timedelta(days=30),
        target_level=Level.STREET,
        year=THIS_YEAR,
    )
    done = DutyAssignment.objects.get(task=task, area=tree.street_a)
    for name, actor, comment in (
        ("accept", cast.street_a, ""),
        ("begin", cast.street_a, ""),
        ("submit", cast.street_a, "已完成"),
        ("approve", cast.city, ""),
    ):
        transition(done, name, actor=actor, comment=comment)
        done.refresh_from_db()
    scheme = scheme_with(
        cast.city,
        tree.city,
        Level.STREET,
        [
            ("任务完成", 20, Method.COMPUTED, "duties.completion"),
            ("按期完成", 10, Method.COMPUTED, "duties.timeliness"),
        ],
    )
    schemes.compute_scheme(scheme=scheme)
    a_done, a_time = score_of(scheme, tree.street_a, "任务完成"), score_of(scheme, tree.street_a, "按期完成")
    assert (a_done.figure, a_done.score, a_time.score) == (Decimal("1"), Decimal("20.00"), Decimal("10.00"))
    assert "1 / 1" in a_done.detail and f"area={tree.street_a.pk}" in a_done.evidence_url
    b_done, b_time = score_of(scheme, tree.street_b, "任务完成"), score_of(scheme, tree.street_b, "按期完成")
    assert (b_done.figure, b_done.score) == (Decimal("0"), Decimal("0.00"))
    assert b_time.source == ScoreSource.MISSING  # nothing approved: no timeliness to speak of
    # the same figures as the duties part's own selector, taken for all targets in one query
    from grassroots.core.assessments.providers import duty_counts
    from grassroots.core.duties.selectors import completion_figures

    grouped = duty_counts([tree.street_a, tree.street_b], THIS_YEAR)
    keys = ("total", "approved", "on_time", "late", "completion_rate", "on_time_rate")
    for street in (tree.street_a, tree.street_b):
        own = completion_figures(street.path, THIS_YEAR)
        assert {k: grouped[street.pk][k] for k in keys} == {k: own[k] for k in keys}


def test_a_provider_registered_later_plugs_in(tree, cast, people, providers):
    calls = []

    def coverage(targets, year):
        calls.append((sorted(t.name for t in targets), year))
        return {tree.community_a.pk: Figure(0.8, "覆盖 4 / 5 家", "/coverage/")}

    scheme = scheme_with(
        people.county, tree.county, Level.COMMUNITY, [("覆盖率", 10, Method.COMPUTED, "coverage.rate")]
    )
    providers.unregister_provider("coverage.rate")
    schemes.compute_scheme(scheme=scheme)
    assert score_of(scheme, tree.community_a, "覆盖率").source == ScoreSource.MISSING
    providers.register_provider("coverage.rate", coverage)
    schemes.compute_scheme(scheme=scheme)
    assert calls == [(["桥楼社区", "育才社区"], THIS_YEAR)]  # one call for all targets
    row = score_of(scheme, tree.community_a, "覆盖率")
    assert (row.score, row.detail, row.evidence_url) == (Decimal("8.00"), "覆盖 4 / 5 家", "/coverage/")
    assert score_of(scheme, tree.community_b, "覆盖率").source == ScoreSource.MISSING


def test_hand_scores_need_a_reason_and_stay_within_the_weight(tree, cast, people, client_for):
    scheme = scheme_with(
        people.county,
        tree.county,
        Level.COMMUNITY,
        [("满意度", 20, Method.MANUAL, ""), ("述职", 30, Method.COMPUTED, "assessments.report_score")],
    )
    schemes.compute_scheme(scheme=scheme)
    assessment = Assessment.objects.get(scheme=scheme, area=tree.community_a)
    manual, computed = scheme.items.get(name="满意度"), scheme.items.get(name="述职")
    with pytest.raises(ValidationError) as error:
        schemes.score_by_hand(actor=people.county, assessment=assessment, item=manual, score=15, reason=" ")
    assert set(error.value.message_dict) == {"reason"}
    with pytest.raises(ValidationError) as error:
        schemes.score_by_hand(actor=people.county, assessment=assessment, item=manual, score=21, reason="好")
    assert set(error.value.message_dict) == {"score"}
    with pytest.raises(ValidationError) as error:
        schemes.score_by_hand(
            actor=people.county, assessment=assessment, item=computed, score=10, reason="好"
        )
    assert set(error.value.message_dict) == {"item"}
    with pytest.raises(PermissionDenied):  # a street official cannot score the county's scheme
        schemes.score_by_hand(actor=cast.street_a, assessment=assessment, item=manual, score=15, reason="好")
    # through the page: the missing reason is shown at its field
    client = client_for(people.county)
    response = client.post(assessment.get_absolute_url(), {"item": manual.pk, "score": "15", "reason": ""})
    assert response.status_code == 200 and "reason" in response.context["form"].errors
    html = response.content.decode()
    assert f'id="id_reason_{manual.pk}_error"' in html
    assert f'aria-describedby="id_reason_{manual.pk}_error"' in html
    assert f'class="form-control form-control-sm is-invalid" id="id_reason_{manual.pk}"' in html
    response = client.post(
        assessment.get_absolute_url(), {"item": manual.pk, "score": "15", "reason": "入户测评"}
    )
    assert response.status_code == 302
    row = score_of(scheme, tree.community_a, "满意度")
    assert (row.score, row.source, row.reason, row.scored_by) == (
        Decimal("15.00"),
        "manual",
        "入户测评",
        people.county,
    )
    assessment.refresh_from_db()
    assert assessment.total == Decimal("15.00") and assessment.rank == 1
    # a hand score survives a new computation
    schemes.compute_scheme(scheme=scheme)
    assert score_of(scheme, tree.community_a, "满意度").score == Decimal("15.00")
    page = client.get(assessment.get_absolute_url()).content.decode()
    assert "入户测评" in page and "暂无数据" in page


def test_ranking_among_peers(tree, cast, people, providers):
    a2, a3 = add_children(tree.street_a, 2, Level.COMMUNITY, "青江社区")
    (b2,) = add_children(tree.street_b, 1, Level.COMMUNITY, "东城社区")
    rates = {tree.community_a.pk: 0.5, a2.pk: 0.9, a3.pk: 0.5, tree.community_b.pk: 0.7, b2.pk: 1}
    providers.register_provider(
        "test.rate", lambda targets, year: {t.pk: Figure(rates[t.pk]) for t in targets}, label="测试指标"
    )
    scheme = scheme_with(
        people.county, tree.county, Level.COMMUNITY, [("指标", 100, Method.COMPUTED, "test.rate")]
    )
    schemes.compute_scheme(scheme=scheme)
    got = {
        a.area.name: (a.total, a.rank_in_peers, a.peers, a.rank)
        for a in Assessment.objects.filter(scheme=scheme).select_related("area")
    }
    assert got == {
        "青江社区2": (Decimal("90.00"), 1, 3, 2),
        "桥楼社区": (Decimal("50.00"), 2, 3, 4),  # a tie shares the rank
        "青江社区3": (Decimal("50.00"), 2, 3, 4),
        "东城社区2": (Decimal("100.00"), 1, 2, 1),
        "育才社区": (Decimal("70.00"), 2, 2, 3),
    }


def test_compute_runs_as_a_background_task(
    tree, cast, people, client_for, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    scheme = scheme_with(
        people.county,
        tree.county,
        Level.COMMUNITY,
        [("整改", 10, Method.COMPUTED, "assessments.rectification")],
    )
    assert (
        client_for(cast.auditor).post(f"/assessments/schemes/{scheme.pk}/compute/").status_code == 403
    )  # sees
    assert client_for(cast.street_a).post(f"/assessments/schemes/{scheme.pk}/compute/").status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(people.county).post(f"/assessments/schemes/{scheme.pk}/compute/")
    assert response.status_code == 302
    scheme.refresh_from_db()
    assert scheme.compute_status == ComputeStatus.DONE
    assert Assessment.objects.filter(scheme=scheme).count() == 2
    status = client_for(people.county).get(f"/assessments/schemes/{scheme.pk}/status/").content.decode()
    assert "已计算" in status and "hx-trigger" not in status


def test_computing_a_scheme_costs_the_same_for_3_and_30_targets(tree, people, orgs, providers):
    def cost(street, n):
        add_children(street, n, Level.COMMUNITY, "社区")
        scheme = scheme_with(
            people.county,
            street,
            Level.COMMUNITY,
            [
                ("述职", 30, Method.COMPUTED, "assessments.report_score"),
                ("整改", 20, Method.COMPUTED, "assessments.rectification"),
                ("满意度", 50, Method.MANUAL, ""),
            ],
        )
        with CaptureQueriesContext(connection) as first:
            schemes.compute_scheme(scheme=scheme)
        with CaptureQueriesContext(connection) as again:  # updates rather than inserts
            schemes.compute_scheme(scheme=scheme)
        return len(first.captured_queries), len(again.captured_queries)

    few = cost(make_area("小街道", Level.STREET, tree.county), 3)
    many = cost(make_area("大街道", Level.STREET, tree.county), 30)
    assert few == many
    assert few[0] <= 25


def test_copy_a_scheme_to_next_year(tree, people):
    scheme = scheme_with(
        people.county,
        tree.county,
        Level.COMMUNITY,
        [("满意度", 20, Method.MANUAL, ""), ("述职", 30, Method.COMPUTED, "assessments.report_score")],
    )
    copy = schemes.copy_scheme(actor=people.county, scheme=scheme, year=THIS_YEAR + 1)
    assert copy.name == scheme.name.replace(str(THIS_YEAR), str(THIS_YEAR + 1))
    assert list(copy.items.values_list("name", "weight", "provider")) == list(
        scheme.items.values_list("name", "weight", "provider")
    )
    with pytest.raises(ValidationError) as error:
        schemes.copy_scheme(actor=people.county, scheme=scheme, year=THIS_YEAR + 1)
    assert "year" in error.value.message_dict


def test_scheme_rules(tree, cast, people):
    with pytest.raises(PermissionDenied):
        schemes.create_scheme(actor=cast.street_b, area=tree.street_a, year=THIS_YEAR, level=Level.COMMUNITY)
    with pytest.raises(ValidationError) as error:
        schemes.create_scheme(actor=cast.street_a, area=tree.street_a, year=THIS_YEAR, level=Level.STREET)
    assert "level" in error.value.message_dict
    scheme = schemes.create_scheme(
        actor=cast.street_a, area=tree.street_a, year=THIS_YEAR, level=Level.COMMUNITY
    )
    with pytest.raises(ValidationError) as error:
        schemes.add_item(
            actor=cast.street_a, scheme=scheme, name="x", weight=10, method="computed", provider=""
        )
    assert "provider" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        schemes.add_item(actor=cast.street_a, scheme=scheme, name="x", weight=0, method="manual")
    assert "weight" in error.value.message_dict


def test_scheme_pages(tree, cast, people, client_for):
    scheme = scheme_with(
        cast.street_a,
        tree.street_a,
        Level.GRID,
        [("整改", 40, Method.COMPUTED, "assessments.rectification"), ("走访", 60, Method.MANUAL, "")],
    )
    client = client_for(cast.street_a)
    response = client.post(
        f"/assessments/schemes/{scheme.pk}/items/new/",
        {"name": "覆盖", "weight": "10", "method": "computed", "provider": ""},
    )
    assert response.status_code == 200 and "provider" in response.context["form"].errors
    schemes.compute_scheme(scheme=scheme)
    response = client.get(scheme.get_absolute_url())
    page = response.content.decode()
    assert "第一网格" in page and "待评分" in page and "40.00" in page
    # the results' denominator, those without a total, and their spread by share of the full marks
    assert "1 个考核对象中 1 个已有总分。" in page and 'data-stack-chart="results-data"' in page
    summary = response.context["summary"]
    assert (summary["targets"], summary["scored"], summary["unscored"]) == (1, 1, 0)
    assert sum(count for _low, count in summary["bands"]) == 1
    Assessment.objects.filter(scheme=scheme).update(total=None)
    assert (
        "1 个考核对象中 0 个已有总分；1 个（100.0%）尚无总分"
        in client.get(scheme.get_absolute_url()).content.decode()
    )
    schemes.compute_scheme(scheme=scheme)
    # the community secretary reaches the street's scheme through their own community's rows
    assert client_for(cast.secretary).get(scheme.get_absolute_url()).status_code == 200
    assert client_for(cast.street_b).get(scheme.get_absolute_url()).status_code == 404
    assessment = Assessment.objects.get(scheme=scheme)
    assert client_for(cast.street_b).get(assessment.get_absolute_url()).status_code == 404
    detail = client.get(assessment.get_absolute_url()).content.decode()
    assert "本年度无督察问题" in detail and "/assessments/findings/?area=" in detail


def chart_data(body: str, element_id: str) -> dict:
    opening = f'<script id="{element_id}" type="application/json">'
    start = body.index(opening) + len(opening)
    return json.loads(body[start : body.index("</script>", start)])


def test_the_ranking_is_charted_as_the_table_lists_it(tree, cast, people, providers, client_for):
    a2, a3 = add_children(tree.street_a, 2, Level.COMMUNITY, "青江社区")
    rates = {tree.community_a.pk: 0.5, a2.pk: 0.9, a3.pk: 0.25, tree.community_b.pk: 0.7}
    providers.register_provider(
        "test.rate", lambda targets, year: {t.pk: Figure(rates.get(t.pk)) for t in targets}, label="测试指标"
    )
    scheme = scheme_with(
        people.county,
        tree.county,
        Level.COMMUNITY,
        [("指标", 60, Method.COMPUTED, "test.rate"), ("走访", 40, Method.MANUAL, "")],
    )
    client = client_for(people.county)
    response = client.get(scheme.get_absolute_url())
    assert "ranking-data" not in response.content.decode()  # nothing computed: no chart
    schemes.compute_scheme(scheme=scheme)
    response = client.get(scheme.get_absolute_url(), {"order": "rank"})
    body = response.content.decode()
    assert 'data-stack-chart="ranking-data"' in body
    chart = chart_data(body, "ranking-data")
    rows = list(response.context["page_obj"].object_list)
    assert chart["labels"] == [row.area.name for row in rows]
    assert chart["labels"][:3] == ["青江社区2", "育才社区", "桥楼社区"]
    assert [bar["name"] for bar in chart["bars"]] == ["指标", "走访"]
    assert chart["bars"][0]["values"][:3] == [54.0, 42.0, 30.0]
    assert chart["bars"][1]["values"] == [None] * len(rows)  # 待评分: a gap, as the table's cell
    # each bar adds up to the table's total
    for i, row in enumerate(rows):
        if row.total is not None:
            assert sum(bar["values"][i] or 0 for bar in chart["bars"]) == float(row.total)


def test_the_ranking_chart_covers_every_listed_target_beyond_the_page(
    tree, cast, people, providers, client_for, monkeypatch
):
    """All targets the table lists (55: two pages of 50) are charted, not only the page's; the page's query
    count does not grow with them; above CHART_TARGETS each peer group (street) with its items' mean
    points."""
    from grassroots.core.assessments.selectors import schemes as scheme_selectors

    def rate(target):
        return 0.2 + (target.pk % 7) / 10

    providers.register_provider(
        "test.rate", lambda targets, year: {t.pk: Figure(rate(t)) for t in targets}, label="测试指标"
    )
    scheme = scheme_with(
        people.county, tree.county, Level.COMMUNITY, [("指标", 60, Method.COMPUTED, "test.rate")]
    )
    schemes.compute_scheme(scheme=scheme)
    client = client_for(people.county)

    def page_queries() -> tuple[int, dict]:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(scheme.get_absolute_url(), {"order": "rank"})
        return len(captured.captured_queries), chart_data(response.content.decode(), "ranking-data")

    few_queries, few = page_queries()
    assert len(few["labels"]) == 2
    add_children(tree.street_a, 53, Level.COMMUNITY, "青江社区")
    schemes.compute_scheme(scheme=scheme)
    many_queries, chart = page_queries()
    targets = list(
        Assessment.objects.filter(scheme=scheme).select_related("area").order_by("rank", "area__path")
    )
    assert len(targets) == 55 and not chart["grouped"]
    assert chart["labels"] == [a.area.name for a in targets]
    assert chart["bars"][0]["values"] == [float(a.total) for a in targets]
    assert many_queries == few_queries

    monkeypatch.setattr(scheme_selectors, "CHART_TARGETS", 10)
    grouped_queries, grouped = page_queries()
    assert grouped["grouped"] and grouped["labels"] == ["青江街道", "东城街道"]
    for street, values in ((tree.street_a, 0), (tree.street_b, 1)):
        own = [float(a.total) for a in targets if a.area.path.startswith(street.path)]
        assert grouped["bars"][0]["values"][values] == round(sum(own) / len(own), 2)
    assert grouped_queries <= few_queries + 1


def test_the_schemes_export_holds_the_lists_rows_and_none_of_another_street(tree, cast, client_for):
    from django.urls import reverse

    from tests.imports.helpers import read_xlsx

    scheme_with(cast.street_a, tree.street_a, Level.COMMUNITY, [])
    scheme_with(cast.street_b, tree.street_b, Level.COMMUNITY, [])
    client = client_for(cast.street_a)
    page = client.get(reverse("assessments:scheme_list")).content.decode()
    assert 'data-export="assessments-schemes"' in page
    response = client.post(reverse("imports:list_export", args=["assessments-schemes"]))
    assert response.status_code == 200
    rows = read_xlsx(b"".join(response.streaming_content))["考核方案"]
    assert rows[0][:4] == ["考核方案", "年度", "制定区域", "考核对象"]
    assert [(r[1], r[2]) for r in rows[1:]] == [(THIS_YEAR, "青江街道")]  # no 东城
