"""Pages and API of organizational life: scope (street_b → 404), the worklist, the branch page, the study
plan, query counts that do not grow with rows."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from grassroots.core.orglife import kinds
from grassroots.core.orglife.models import OrgLifeReport
from grassroots.core.orglife.services import appraisal as appraisal_services
from grassroots.core.orglife.services import bridge
from grassroots.core.orglife.services import plans as plan_services
from grassroots.core.orglife.services import reports as services
from grassroots.workflow.services import transition
from tests.factories import make_area, make_party_org
from tests.orglife.conftest import at, backdate, last_week, make_member


def held(branch, organizer, day=None, kind=kinds.COMMITTEE_MEETING, title="支委会"):
    day = day or last_week()
    return bridge.create_branch_gathering(
        branch=branch, kind=kind, title=title, starts_at=at(day), ends_at=at(day, 11), organizer=organizer
    )


def submitted_report(orgs, member, gathering=None):
    report = services.start_report(
        actor=orgs.branch_sec, gathering=gathering or held(orgs.branch, orgs.branch_sec)
    )
    services.save_report(actor=orgs.branch_sec, report=report, minutes="记录", marks=[(member, True, "")])
    transition(report, "submit", actor=orgs.branch_sec)
    return report


def test_worklist_lists_what_awaits_the_reviewer_only(orgs, members, cast, client_for):
    report = submitted_report(orgs, members.alice)
    day = timezone.localdate() + timedelta(days=40)
    plan = plan_services.create_plan(
        actor=orgs.branch_sec,
        branch=orgs.branch,
        period_unit="month",
        period_start=day,
        items=[plan_services.PlanItem(kinds.PARTY_LESSON, "党课", at(day), at(day, 11))],
    )
    transition(plan, "file", actor=orgs.branch_sec)
    for user in (orgs.parent_sec, cast.street_a):
        body = client_for(user).get("/orglife/worklist/").content.decode()
        assert f"/orglife/reports/{report.pk}/" in body and f"/orglife/plans/{plan.pk}/" in body
    assert (
        f"/orglife/reports/{report.pk}/"
        not in client_for(cast.street_b).get("/orglife/worklist/").content.decode()
    )
    # The branch's own secretary does not review their own branch's forms.
    own = client_for(orgs.branch_sec).get("/orglife/worklist/").content.decode()
    assert f"/orglife/reports/{report.pk}/" not in own and f"/orglife/plans/{plan.pk}/" not in own
    assert client_for(cast.resident).get("/orglife/worklist/").status_code == 404
    # The pending list of the home page has it too (workflow's pending_for).
    from grassroots.workflow.selectors import pending_for

    assert {item.url for item in pending_for(orgs.parent_sec)} >= {
        f"/orglife/reports/{report.pk}/",
        f"/orglife/plans/{plan.pk}/",
    }


def test_scope_of_pages(orgs, members, cast, client_for):
    report = submitted_report(orgs, members.alice)
    urls = [
        f"/orglife/branches/{orgs.branch.pk}/",
        f"/orglife/reports/{report.pk}/",
        f"/orglife/branches/{orgs.branch.pk}/study/2025/",
    ]
    for user in (cast.street_b, cast.resident):
        client = client_for(user)
        for url in urls:
            assert client.get(url).status_code == 404, (user, url)
        assert client.get(f"/orglife/reports/{report.pk}/edit/").status_code == 404
        assert client.post(f"/orglife/gatherings/{report.gathering_id}/report/").status_code == 404
    for user in (orgs.branch_sec, orgs.parent_sec, cast.street_a, cast.auditor, cast.worker):
        client = client_for(user)
        for url in urls:
            assert client.get(url).status_code == 200, (user, url)
    # Seen but not the branch side: 403.
    assert client_for(cast.auditor).get(f"/orglife/reports/{report.pk}/edit/").status_code == 403
    assert (
        client_for(cast.street_a).get(f"/orglife/branches/{orgs.branch.pk}/reports/new/").status_code == 403
    )
    # Outside the area: the compliance page of street B's area is 404 for street A.
    assert client_for(cast.street_a).get(f"/orglife/?area={orgs.branch_b.area_id}").status_code == 404
    assert client_for(cast.resident).get("/orglife/").status_code == 403  # no orglife.view anywhere


def test_the_branch_secretary_sees_only_their_branch(orgs, members, client_for):
    body = client_for(orgs.branch_sec).get("/orglife/").content.decode()
    assert orgs.branch.name in body and orgs.branch_b.name not in body


def test_study_plan_lists_sessions_and_who_attended(orgs, members, client_for):
    report = submitted_report(
        orgs, members.alice, held(orgs.branch, orgs.branch_sec, kind=kinds.THEME_DAY, title="主题党日")
    )
    services.save_report  # noqa: B018  (attendance written by submitted_report)
    year = report.held_on.year
    client = client_for(orgs.branch_sec)
    client.post(
        f"/orglife/branches/{orgs.branch.pk}/study/{year}/",
        {"title": "“两学一做”学习教育", "content": "学党章党规"},
    )
    response = client.post(
        f"/orglife/branches/{orgs.branch.pk}/study/{year}/",
        {"topic": "学系列讲话", "planned_on": report.held_on.isoformat(), "gathering": report.gathering_id},
    )
    assert response.status_code == 302
    body = client.get(f"/orglife/branches/{orgs.branch.pk}/study/{year}/").content.decode()
    assert "学系列讲话" in body and "王丽" in body and "李波" not in body


def test_api_lists_are_scoped(orgs, members, cast, client_for):
    report = submitted_report(orgs, members.alice)
    meeting = held(orgs.branch, orgs.branch_sec, kind=kinds.REVIEW_MEETING, title="组织生活会")
    review = services.start_report(actor=orgs.branch_sec, gathering=meeting)
    appraisal_services.record_appraisals(
        actor=orgs.branch_sec, report=review, grades={members.alice: "excellent"}
    )
    other = held(orgs.branch_b, cast.street_b, title="东城的支委会")
    street_a, street_b = client_for(cast.street_a), client_for(cast.street_b)

    data = street_a.get("/api/orglife-reports/").json()
    assert {r["id"] for r in data["results"]} == {report.pk, review.pk}
    row = next(r for r in data["results"] if r["id"] == report.pk)
    assert row["present_count"] == 1 and row["attendance"][0]["member_name"] == "王丽"
    assert street_b.get("/api/orglife-reports/").json()["count"] == 0
    assert street_b.get(f"/api/orglife-reports/{report.pk}/").status_code == 404
    assert street_a.get("/api/appraisals/").json()["results"][0]["grade_label"] == "优秀"
    assert street_b.get("/api/appraisals/").json()["count"] == 0
    assert client_for(orgs.branch_sec).get("/api/appraisals/").json()["count"] == 1

    meetings = street_a.get("/api/meetings/").json()
    assert {m["id"] for m in meetings["results"]} == {report.gathering_id, meeting.pk}
    assert {m["id"] for m in street_b.get("/api/meetings/").json()["results"]} == {other.pk}
    assert street_a.get(f"/api/meetings/?kind={kinds.REVIEW_MEETING}").json()["count"] == 1
    assert street_a.get("/api/orglife-plans/").status_code == 200


# Each list: session, user, grants, organizations led (the scoping function), count, the page; then
# reports: the page's rows with their counts, their attendance (the page's keys first: KeysFirstMixin);
# plans: their items and guidance (prefetched); appraisals: none.
API_QUERIES = {"/api/orglife-reports/": 8, "/api/orglife-plans/": 8, "/api/appraisals/": 6}


def test_report_list_counts_attendance_for_its_page_only(orgs, members, cast, client_for):
    """The count and the page's order read the reports alone; the attendance is counted and listed for the
    page's reports only (at tier M the city's list aggregated every report's attendance twice a request)."""
    reports = [
        submitted_report(
            orgs, members.alice, held(orgs.branch, orgs.branch_sec, day=last_week() - timedelta(i))
        )
        for i in range(3)
    ]
    client = client_for(cast.street_a)
    with CaptureQueriesContext(connection) as ctx:
        data = client.get("/api/orglife-reports/?page_size=2").json()
    attendance = [q["sql"] for q in ctx.captured_queries if "orglife_reportattendance" in q["sql"]]
    assert data["count"] == 3
    assert [r["id"] for r in data["results"]] == [reports[0].pk, reports[1].pk]  # latest held first
    assert [r["present_count"] for r in data["results"]] == [1, 1]
    assert data["results"][0]["attendance"][0]["member_name"] == members.alice.name
    second = client.get("/api/orglife-reports/?page_size=2&page=2").json()["results"]
    assert [r["id"] for r in second] == [reports[2].pk]
    assert len(attendance) == 2, attendance  # the page's counts, the page's attendance list
    page = {reports[0].pk, reports[1].pk}
    for sql in attendance:  # each for the page's two reports, by key
        keys = [{int(k) for k in found.split(",")} for found in re.findall(r"IN \(([\d, ]+)\)", sql)]
        assert page in keys, sql


def test_report_list_shows_each_mark_without_loading_the_members_records(orgs, members, cast, client_for):
    """The marks as the schema's Attendance names them, with the member's name read beside each mark: the
    member's record (its encrypted ID number and phone) is not loaded for a list of a thousand marks."""
    report = services.start_report(actor=orgs.branch_sec, gathering=held(orgs.branch, orgs.branch_sec))
    marks = [(members.alice, True, ""), (members.bob, False, "外出务工")]
    services.save_report(actor=orgs.branch_sec, report=report, minutes="记录", marks=marks)
    client = client_for(cast.street_a)
    with CaptureQueriesContext(connection) as ctx:
        row = client.get("/api/orglife-reports/").json()["results"][0]
    marks_sql = [q["sql"] for q in ctx.captured_queries if 'FROM "orglife_reportattendance"' in q["sql"]]
    assert marks_sql and all('"members_member"."id_number"' not in sql for sql in marks_sql), marks_sql
    expected = [
        {"member": members.bob.pk, "member_name": "李波", "present": False, "absence_reason": "外出务工"},
        {"member": members.alice.pk, "member_name": "王丽", "present": True, "absence_reason": ""},
    ]  # by the member's name (李 before 王)
    assert (row["present_count"], row["absent_count"], row["attendance"]) == (1, 1, expected)
    assert client.get(f"/api/orglife-reports/{report.pk}/").json()["attendance"] == expected


@pytest.mark.parametrize("url", list(API_QUERIES))
def test_api_query_counts_do_not_grow(orgs, cast, client_for, django_assert_max_num_queries, url):
    client = client_for(cast.street_a)

    def add(n):
        for _i in range(n):
            count = OrgLifeReport.objects.count()
            roster = [make_member(f"党员{count}-{j}", orgs.branch) for j in range(3)]
            day = last_week() - timedelta(days=count)
            g = held(orgs.branch, orgs.branch_sec, day=day, kind=kinds.REVIEW_MEETING, title=f"会{count}")
            r = services.start_report(actor=orgs.branch_sec, gathering=g)
            services.save_report(
                actor=orgs.branch_sec, report=r, minutes="x", marks=[(m, True, "") for m in roster]
            )
            appraisal_services.record_appraisals(
                actor=orgs.branch_sec, report=r, grades=dict.fromkeys(roster, "qualified")
            )
            start = timezone.localdate() + timedelta(days=40 + 31 * count)
            plan_services.create_plan(
                actor=orgs.branch_sec,
                branch=orgs.branch,
                period_unit="month",
                period_start=start,
                items=[plan_services.PlanItem(kinds.PARTY_LESSON, "党课", at(start), at(start, 11))],
            )

    add(1)
    client.get(url)
    with django_assert_max_num_queries(API_QUERIES[url]) as few:
        client.get(url)
    add(9)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).json()["count"] >= 3


def test_branch_page_costs_the_same_for_few_or_many_forms(
    orgs, members, cast, client_for, django_assert_max_num_queries
):
    client = client_for(cast.street_a)
    submitted_report(orgs, members.alice)
    client.get(f"/orglife/branches/{orgs.branch.pk}/")
    # session, user, grants, organizations led; the branch (area, parent, secretary joined); its plans (their
    # guidance is one more query once it has any: none here), its reports, the gatherings waiting for a
    # report, the appraisals; for its slots: the accepted reports, whether it has Party groups; its study
    # plan; the header's unread badge: 13
    with django_assert_max_num_queries(13) as few:
        client.get(f"/orglife/branches/{orgs.branch.pk}/")
    for i in range(8):
        submitted_report(
            orgs, members.alice, held(orgs.branch, orgs.branch_sec, day=last_week() - timedelta(days=i + 1))
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(f"/orglife/branches/{orgs.branch.pk}/").status_code == 200


def test_a_branch_secretary_without_any_role_reaches_their_branch(tree, client_for):
    from grassroots.accounts.roles import Role
    from tests.factories import make_user

    lone = make_user("lone_sec", Role.MEMBER, tree.courtyard_a)
    grid = make_area("独立网格", 5, tree.community_a)
    branch = make_party_org("独立党支部", grid)
    branch.secretary = lone
    branch.save()
    backdate(branch, timezone.localdate() - timedelta(days=400))
    client = client_for(lone)
    assert client.get(f"/orglife/branches/{branch.pk}/").status_code == 200
    assert client.get(f"/orglife/branches/{branch.pk}/plans/new/").status_code == 200


def test_the_compliance_export_holds_the_pages_branches_and_none_of_another_street(orgs, cast, client_for):
    from django.urls import reverse

    from tests.imports.helpers import read_xlsx

    client = client_for(cast.street_a)
    page = client.get("/orglife/")
    assert 'data-export="orglife-compliance"' in page.content.decode()
    shown = [branch.name for branch in page.context["page"]]
    response = client.post(reverse("imports:list_export", args=["orglife-compliance"]))
    assert response.status_code == 200
    rows = read_xlsx(b"".join(response.streaming_content))["三会一课落实情况"]
    assert rows[0][:2] == ["党支部", "所在区域"] and rows[0][-2:] == ["已开", "应开"]
    assert [r[0] for r in rows[1:]] == shown and orgs.branch.name in shown
    assert all(orgs.branch_b.name not in str(cell) for row in rows for cell in row)  # another street's
    export = reverse("imports:list_export", args=["orglife-compliance"]) + f"?area={orgs.branch_b.area_id}"
    assert client.post(export).status_code == 404
    assert client_for(cast.resident).post(export).status_code == 403


def test_a_branchs_plans_and_reports_export_from_its_page_and_not_for_another_street(
    orgs, members, cast, client_for
):
    from django.urls import reverse

    from tests.imports.helpers import read_xlsx

    report = submitted_report(orgs, members.alice)
    day = timezone.localdate() + timedelta(days=40)
    plan = plan_services.create_plan(
        actor=orgs.branch_sec,
        branch=orgs.branch,
        period_unit="month",
        period_start=day,
        items=[plan_services.PlanItem(kinds.PARTY_LESSON, "党课", at(day), at(day, 11))],
    )
    client = client_for(cast.street_a)

    def exported(kind, year, sheet):
        page = client.get(f"/orglife/branches/{orgs.branch.pk}/?period={year}").content.decode()
        assert f'data-export="{kind}"' in page and f"branch={orgs.branch.pk}" in page
        export = reverse("imports:list_export", args=[kind])
        response = client.post(f"{export}?branch={orgs.branch.pk}&period={year}")
        assert response.status_code == 200
        # another street's branch: 404, for the file as for the page
        assert client.post(f"{export}?branch={orgs.branch_b.pk}").status_code == 404
        assert client_for(cast.street_b).post(f"{export}?branch={orgs.branch.pk}").status_code == 404
        return read_xlsx(b"".join(response.streaming_content))[sheet]

    rows = exported("orglife-reports", report.held_on.year, "报告单")
    assert rows[0] == ["党支部", "召开日期", "类型", "主题", "出席", "缺席", "状态"]
    assert [(r[0], r[1].date(), r[3], r[4], r[5]) for r in rows[1:]] == [
        ("桥楼社区第一网格党支部", report.held_on, "支委会", 1, 0)
    ]
    rows = exported("orglife-plans", plan.period_start.year, "备案单与指导单")
    assert [(r[0], r[1], r[3]) for r in rows[1:]] == [("桥楼社区第一网格党支部", plan.period.label, 1)]
