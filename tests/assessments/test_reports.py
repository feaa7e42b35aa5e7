"""Work reports (党建述职评议): the whole workflow through HTTP, the average and the grade, who sees scores
before publication, sending back, and the rules of each step."""

from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError

from grassroots.core.assessments.models import ReportState, ReviewScore, WorkReport, average_of, grade_for
from grassroots.core.assessments.services import reports
from grassroots.workflow.models import Notification, TransitionLog
from grassroots.workflow.services import TransitionRefused, transition
from tests.assessments.conftest import YEAR, pdf


def transition_url(record, name):
    ct = ContentType.objects.get_for_model(record).pk
    return f"/workflow/{ct}/{record.pk}/{name}/"


def test_report_workflow_through_the_pages(
    cast, people, orgs, meeting, client_for, django_capture_on_commit_callbacks
):
    secretary = client_for(cast.secretary)
    # the secretary writes the draft of their organization
    response = secretary.post(
        "/assessments/reports/new/",
        {"party_org": orgs.community_a.pk, "year": YEAR, "title": "", "content": "抓党建工作情况。"},
    )
    report = WorkReport.objects.get(party_org=orgs.community_a, year=YEAR)
    assert response.status_code == 302 and response["Location"] == report.get_absolute_url()
    assert report.reporter == cast.secretary and report.reviewing_area.name == "青江街道"
    assert report.state == ReportState.DRAFT and "2025 年度党建工作述职" in report.title
    # … submits it with a file (the workflow's attachment): the street's organizers are told
    with django_capture_on_commit_callbacks(execute=True):
        response = secretary.post(
            transition_url(report, "submit"), {"comment": "请审阅", "attachments": [pdf("述职报告.pdf")]}
        )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.state == ReportState.SUBMITTED
    log = TransitionLog.objects.get(object_id=report.pk, transition="submit")
    assert log.attachments.get().name == "述职报告.pdf"
    assert Notification.objects.filter(recipient=cast.street_a, verb__contains="述职报告").exists()

    # the street organizes the review at the review meeting with three reviewers
    street = client_for(cast.street_a)
    page = street.get(f"/assessments/reports/{report.pk}/review/")
    assert page.status_code == 200 and meeting.title in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = street.post(
            f"/assessments/reports/{report.pk}/review/",
            {"meeting": meeting.pk, "reviewers": [cast.street_a.pk, people.street_a2.pk, cast.city.pk]},
        )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.state == ReportState.UNDER_REVIEW and report.review_meeting == meeting
    assert Notification.objects.filter(recipient=people.street_a2, verb__contains="评分").exists()

    # each reviewer scores; the last score concludes the review
    for user, score in ((cast.street_a, "92"), (people.street_a2, "85.5"), (cast.city, "78")):
        response = client_for(user).post(
            f"/assessments/reports/{report.pk}/score/", {"score": score, "comment": "好"}
        )
        assert response.status_code == 302
    report.refresh_from_db()
    assert report.state == ReportState.SCORED
    assert report.average_score == Decimal("85.17")  # (92 + 85.5 + 78) / 3
    assert report.grade == "fairly_good"

    # published by the street; the reporter is told and now sees the result
    with django_capture_on_commit_callbacks(execute=True):
        assert street.post(transition_url(report, "publish"), {"comment": ""}).status_code == 302
    report.refresh_from_db()
    assert report.state == ReportState.PUBLISHED and report.published_at is not None
    assert Notification.objects.filter(recipient=cast.secretary, verb__contains="已公布").exists()
    page = secretary.get(report.get_absolute_url()).content.decode()
    assert "85.17" in page and "较好" in page


@pytest.mark.parametrize(
    ("score", "grade"),
    [
        ("95", "good"),
        ("90", "good"),
        ("89.99", "fairly_good"),
        ("80", "fairly_good"),
        ("60", "average"),
        ("59.9", "poor"),
        ("0", "poor"),
    ],
)
def test_grade_thresholds(score, grade):
    assert grade_for(Decimal(score)) == grade


def test_grade_thresholds_come_from_settings(settings):
    settings.WORK_REPORT_GRADE_THRESHOLDS = {"good": 95, "fairly_good": 85, "average": 70}
    assert grade_for(Decimal("92")) == "fairly_good"
    assert grade_for(Decimal("69")) == "poor"


def test_average_ignores_missing_scores_and_rounds():
    assert average_of([Decimal("90"), None, Decimal("85"), Decimal("81")]) == Decimal("85.33")
    assert average_of([None]) is None


def test_scores_are_hidden_until_published(report, publish, cast, client_for, api_for, people, meeting):
    transition(report, "submit", actor=cast.secretary)
    reports.start_review(actor=cast.street_a, report=report, meeting=meeting, reviewers=[cast.street_a])
    reports.score_report(reviewer=cast.street_a, report=report, score=55, comment="差距明显")
    report.refresh_from_db()
    assert report.state == ReportState.SCORED and report.grade == "poor"
    # the reporter and the community's worker see the state, not the score
    for user in (cast.secretary, cast.worker):
        page = client_for(user).get(report.get_absolute_url()).content.decode()
        assert "差距明显" not in page and "55.0" not in page
        data = api_for(user).get(f"/api/work-reports/{report.pk}/").json()
        assert data["state"] == "scored" and data["average_score"] is None and data["grade"] is None
    # the organizer sees them
    assert "差距明显" in client_for(cast.street_a).get(report.get_absolute_url()).content.decode()
    assert api_for(cast.street_a).get(f"/api/work-reports/{report.pk}/").json()["average_score"] == "55.00"
    transition(report, "publish", actor=cast.street_a)
    assert api_for(cast.worker).get(f"/api/work-reports/{report.pk}/").json()["grade"] == "poor"


def test_send_back_needs_a_reason_then_edit_and_resubmit(report, cast, client_for):
    transition(report, "submit", actor=cast.secretary)
    with pytest.raises(TransitionRefused) as refused:
        transition(report, "send_back", actor=cast.street_a)
    assert refused.value.code == "comment_required"
    transition(report, "send_back", actor=cast.street_a, comment="请补充问题和整改措施")
    report.refresh_from_db()
    assert report.state == ReportState.DRAFT and report.return_reason == "请补充问题和整改措施"
    client = client_for(cast.secretary)
    assert "请补充问题和整改措施" in client.get(report.get_absolute_url()).content.decode()
    response = client.post(
        f"/assessments/reports/{report.pk}/edit/", {"title": "修改后的述职", "content": "补充了问题和措施。"}
    )
    assert response.status_code == 302
    report.refresh_from_db()
    transition(report, "submit", actor=cast.secretary)
    report.refresh_from_db()
    assert report.state == ReportState.SUBMITTED and report.title == "修改后的述职"
    assert report.return_reason == ""


def test_only_the_reporter_submits_and_only_the_level_above_organizes(report, cast, people, meeting):
    with pytest.raises(TransitionRefused):
        transition(report, "submit", actor=cast.street_a)
    transition(report, "submit", actor=cast.secretary)
    # the community's own secretary cannot organize the review of their own report
    with pytest.raises(PermissionDenied):
        reports.start_review(actor=cast.secretary, report=report, meeting=meeting, reviewers=[cast.street_a])
    with pytest.raises(PermissionDenied):
        reports.start_review(actor=cast.street_b, report=report, meeting=meeting, reviewers=[cast.street_a])


def test_review_needs_a_review_meeting_and_reviewers_other_than_the_reporter(report, cast, meeting, tree):
    from grassroots.gatherings.services import create_gathering

    transition(report, "submit", actor=cast.secretary)
    other = create_gathering(
        actor=cast.street_a,
        kind="meeting",
        title="工作会",
        area=tree.street_a,
        starts_at=meeting.starts_at,
        ends_at=meeting.ends_at,
    )
    cases = [
        ({"meeting": other, "reviewers": [cast.street_a]}, "meeting"),
        ({"meeting": meeting, "reviewers": []}, "reviewers"),
        ({"meeting": meeting, "reviewers": [cast.secretary, cast.street_a]}, "reviewers"),
    ]
    for kwargs, field in cases:
        with pytest.raises(ValidationError) as error:
            reports.start_review(actor=cast.street_a, report=report, **kwargs)
        assert field in error.value.message_dict
    report.refresh_from_db()
    assert report.state == ReportState.SUBMITTED and not report.scores.exists()


def test_only_named_reviewers_score_and_only_in_review(report, cast, people, meeting, client_for):
    transition(report, "submit", actor=cast.secretary)
    with pytest.raises(PermissionDenied):
        reports.score_report(reviewer=cast.street_a, report=report, score=80)
    # a delegate without the right to organize reviews (the auditor) reviews beside the street official
    reports.start_review(
        actor=cast.street_a, report=report, meeting=meeting, reviewers=[cast.street_a, cast.auditor]
    )
    assert (
        client_for(cast.city).post(f"/assessments/reports/{report.pk}/score/", {"score": 80}).status_code
        == 403
    )
    with pytest.raises(ValidationError) as error:
        reports.score_report(reviewer=cast.street_a, report=report, score=101)
    assert "score" in error.value.message_dict
    # a reviewer may correct their score while others have not scored yet
    reports.score_report(reviewer=cast.street_a, report=report, score=70)
    reports.score_report(reviewer=cast.street_a, report=report, score=75)
    assert ReviewScore.objects.get(report=report, reviewer=cast.street_a).score == Decimal("75.0")
    report.refresh_from_db()
    assert report.state == ReportState.UNDER_REVIEW
    # a reviewer cannot end the review early; the organizer can, with the scores in so far
    with pytest.raises(TransitionRefused):
        transition(report, "conclude", actor=cast.auditor)
    transition(report, "conclude", actor=cast.street_a)
    report.refresh_from_db()
    assert report.state == ReportState.SCORED and report.average_score == Decimal("75.00")
    with pytest.raises(ValidationError):
        reports.score_report(reviewer=cast.auditor, report=report, score=90)


def test_create_report_rules(orgs, cast, report):
    with pytest.raises(PermissionDenied):
        reports.create_report(actor=cast.worker, party_org=orgs.community_a, year=YEAR + 1)
    with pytest.raises(ValidationError) as error:
        reports.create_report(actor=cast.secretary, party_org=orgs.community_a, year=YEAR)
    assert "year" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        reports.create_report(actor=cast.admin, party_org=orgs.city, year=YEAR)
    assert "party_org" in error.value.message_dict
    # the street writes for an organization without a secretary: the street official is then the reporter
    other = reports.create_report(actor=cast.street_a, party_org=orgs.grid_a, year=YEAR)
    assert other.reporter == cast.street_a and other.reviewing_area.name == "桥楼社区"


def test_worklist_shows_what_each_must_do(report, cast, people, meeting, orgs, client_for):
    transition(report, "submit", actor=cast.secretary)
    page = client_for(cast.street_a).get("/assessments/reports/worklist/").content.decode()
    assert "桥楼社区党总支（2025）" in page  # to organize
    reports.start_review(actor=cast.street_a, report=report, meeting=meeting, reviewers=[people.street_a2])
    page = client_for(people.street_a2).get("/assessments/reports/worklist/").content.decode()
    assert (
        f'href="/assessments/reports/{report.pk}/"' in page.split('id="work-score"')[1].split("</section>")[0]
    )
    # the secretary is told to write this year's report of their organization
    page = client_for(cast.secretary).get("/assessments/reports/worklist/?year=2026").content.decode()
    assert f"party_org={orgs.community_a.pk}&amp;year=2026" in page


def test_the_reports_export_holds_the_scores_the_page_shows_and_none_of_another_street(
    report, orgs, publish, cast, people, meeting, tree, client_for
):
    from django.urls import reverse

    from tests.imports.helpers import read_xlsx

    publish(report)  # 85.00, published: everyone in the scope sees the score
    scored = reports.create_report(
        actor=cast.street_a, party_org=orgs.grid_a, year=YEAR, content="网格党建工作。"
    )
    transition(scored, "submit", actor=cast.street_a)
    reports.start_review(actor=cast.street_a, report=scored, meeting=meeting, reviewers=[people.street_a2])
    reports.score_report(reviewer=people.street_a2, report=scored, score=55)  # scored, not published
    reports.create_report(actor=cast.street_b, party_org=orgs.community_b, year=YEAR)

    def exported(user):
        client = client_for(user)
        page = client.get(reverse("assessments:report_list")).content.decode()
        assert 'data-export="assessments-reports"' in page
        response = client.post(reverse("imports:list_export", args=["assessments-reports"]))
        assert response.status_code == 200
        rows = read_xlsx(b"".join(response.streaming_content))["党建述职评议"]
        assert rows[0] == ["年度", "党组织", "所在区域", "述职人", "状态", "平均分", "等次"]
        return {r[1]: (r[5], r[6]) for r in rows[1:]}

    # the organizer (the reviewing level) sees the unpublished score too; no 东城 report
    organizer = exported(cast.street_a)
    assert set(organizer) == {"桥楼社区党总支", "第一网格党支部"}
    assert organizer["桥楼社区党总支"][0] == 85 and organizer["第一网格党支部"][0] == 55
    # the community's worker: the published score only, as on the page
    worker = exported(cast.worker)
    assert worker["桥楼社区党总支"][0] == 85 and worker["第一网格党支部"] == (None, None)
    export = reverse("imports:list_export", args=["assessments-reports"]) + f"?area={tree.street_b.pk}"
    assert client_for(cast.street_a).post(export).status_code == 404
