"""Inspections and findings (工作督察与整改): recording through the pages, the rectification workflow with
evidence, sending back and rectifying again, overdue, and the rules of who does what."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from grassroots.core.assessments.models import Finding, FindingState, Inspection
from grassroots.core.assessments.services import inspections
from grassroots.workflow.models import Notification, TransitionLog
from grassroots.workflow.services import TransitionRefused, transition
from tests.assessments.conftest import days, pdf
from tests.assessments.test_reports import transition_url


def test_inspection_and_findings_through_the_pages(
    tree, cast, orgs, client_for, django_capture_on_commit_callbacks
):
    street = client_for(cast.street_a)
    response = street.post(
        "/assessments/inspections/new/",
        {
            "title": "党建工作专项督察",
            "area": tree.community_a.pk,
            "party_org": orgs.community_a.pk,
            "inspected_on": days(-3).isoformat(),
            "inspectors": "街道党建办 2 人",
            "summary": "查阅台账。",
        },
    )
    inspection = Inspection.objects.get()
    assert response.status_code == 302 and response["Location"] == inspection.get_absolute_url()
    assert inspection.by_area == tree.street_a and inspection.led_by == cast.street_a
    # a finding with an owner who does not work there is refused at its field
    response = street.post(
        inspection.get_absolute_url(),
        {"description": "台账不全", "owner": cast.street_b.pk, "deadline": days(20).isoformat()},
    )
    assert response.status_code == 200 and "owner" in response.context["form"].errors
    with django_capture_on_commit_callbacks(execute=True):
        response = street.post(
            inspection.get_absolute_url(),
            {"description": "台账不全", "owner": cast.secretary.pk, "deadline": days(20).isoformat()},
        )
    assert response.status_code == 302
    finding = Finding.objects.get()
    assert finding.state == FindingState.RECTIFYING and finding.area == tree.community_a
    assert Notification.objects.filter(recipient=cast.secretary, verb__contains="台账不全").exists()
    page = client_for(cast.secretary).get(inspection.get_absolute_url()).content.decode()
    assert "台账不全" in page and "录入发现的问题" not in page  # the owner sees it but may not add findings
    assert client_for(cast.secretary).post(inspection.get_absolute_url(), {}).status_code == 403


def test_rectify_send_back_and_rectify_again(add_finding, cast, client_for):
    finding = add_finding()
    owner = client_for(cast.secretary)
    # the report of rectification needs its text
    owner.post(transition_url(finding, "report_rectified"), {"comment": ""})
    finding.refresh_from_db()
    assert finding.state == FindingState.RECTIFYING
    owner.post(
        transition_url(finding, "report_rectified"),
        {"comment": "已补齐记录", "attachments": [pdf("会议记录.pdf")]},
    )
    finding.refresh_from_db()
    assert finding.state == FindingState.RECTIFIED and finding.rectification == "已补齐记录"
    # sent back with a reason
    street = client_for(cast.street_a)
    street.post(transition_url(finding, "send_back"), {"comment": "缺少第三季度党课记录"})
    finding.refresh_from_db()
    assert finding.state == FindingState.RECTIFYING and finding.sent_back_count == 1
    # rectified again, then verified
    owner.post(transition_url(finding, "report_rectified"), {"comment": "已补充第三季度党课记录"})
    street.post(transition_url(finding, "verify"), {"comment": "同意销号"})
    finding.refresh_from_db()
    assert finding.state == FindingState.VERIFIED
    assert finding.verified_by == cast.street_a and finding.rectification == "已补充第三季度党课记录"
    steps = list(TransitionLog.objects.filter(object_id=finding.pk).values_list("transition", flat=True))
    assert steps == ["start", "report_rectified", "send_back", "report_rectified", "verify"]
    page = owner.get(finding.get_absolute_url()).content.decode()
    assert "会议记录.pdf" in page and "缺少第三季度党课记录" in page


def test_who_may_take_each_step(add_finding, cast, people):
    finding = add_finding()
    # only the owner reports rectification
    with pytest.raises(TransitionRefused):
        transition(finding, "report_rectified", actor=cast.street_a, comment="代为整改")
    transition(finding, "report_rectified", actor=cast.secretary, comment="已整改")
    # the owner (a community secretary, who manages the community) cannot verify their own work: the
    # inspecting level (the street) verifies
    for user in (cast.secretary, cast.worker, cast.street_b):
        with pytest.raises(TransitionRefused):
            transition(finding, "verify", actor=user)
    transition(finding, "verify", actor=people.street_a2)
    assert Finding.objects.get(pk=finding.pk).state == FindingState.VERIFIED


def test_send_back_needs_a_reason(add_finding, cast):
    finding = add_finding()
    transition(finding, "report_rectified", actor=cast.secretary, comment="已整改")
    with pytest.raises(TransitionRefused) as refused:
        transition(finding, "send_back", actor=cast.street_a)
    assert refused.value.code == "comment_required"


def test_overdue(add_finding, cast, client_for, api_for):
    late = add_finding(description="逾期的问题", deadline=days(-1))
    add_finding(description="未到期的问题", deadline=days(10))
    done = add_finding(description="已报告整改的问题", deadline=days(-5))
    transition(done, "report_rectified", actor=cast.secretary, comment="已整改")
    assert late.overdue and not Finding.objects.get(description="未到期的问题").overdue
    assert not Finding.objects.get(pk=done.pk).overdue  # waiting for verification, not overdue
    page = client_for(cast.street_a).get("/assessments/findings/?overdue=1").content.decode()
    assert "逾期的问题" in page and "未到期的问题" not in page and "已报告整改的问题" not in page
    data = api_for(cast.street_a).get("/api/findings/?overdue=true").json()
    assert [row["description"] for row in data["results"]] == ["逾期的问题"]
    listing = client_for(cast.street_a).get("/assessments/inspections/").content.decode()
    assert '<span class="badge text-bg-danger">1</span>' in listing


def test_mine_lists_the_findings_i_own(add_finding, cast, people, client_for):
    add_finding(description="书记负责的问题")
    add_finding(description="网格员负责的问题", owner=people.grid)
    page = client_for(people.grid).get("/assessments/findings/?mine=1").content.decode()
    assert "网格员负责的问题" in page and "书记负责的问题" not in page


def test_recording_rules(inspection, tree, cast, people):
    with pytest.raises(PermissionDenied):
        inspections.create_inspection(
            actor=cast.street_b, area=tree.community_a, title="越权督察", inspected_on=timezone.localdate()
        )
    with pytest.raises(PermissionDenied):
        inspections.create_inspection(
            actor=cast.worker, area=tree.community_a, title="无权督察", inspected_on=timezone.localdate()
        )
    with pytest.raises(PermissionDenied):  # the inspected community's secretary cannot add findings
        inspections.add_finding(
            actor=cast.secretary, inspection=inspection, description="x", owner=cast.worker, deadline=days(5)
        )
    with pytest.raises(ValidationError) as error:
        inspections.add_finding(
            actor=cast.street_a,
            inspection=inspection,
            description="",
            owner=cast.worker,
            deadline=inspection.inspected_on.replace(year=inspection.inspected_on.year - 1),
            area=tree.community_b,
        )
    assert set(error.value.message_dict) == {"description", "deadline", "area", "owner"}
    # the grid worker below the community may own a finding; someone of another street may not
    assert inspections.add_finding(
        actor=cast.street_a,
        inspection=inspection,
        description="网格台账",
        owner=people.grid,
        deadline=days(5),
    )
    with pytest.raises(ValidationError):
        inspections.add_finding(
            actor=cast.street_a, inspection=inspection, description="x", owner=cast.street_b, deadline=days(5)
        )


def test_the_inspections_export_holds_the_lists_rows_and_none_of_another_street(
    add_finding, inspection, tree, cast, client_for
):
    from django.urls import reverse

    from tests.imports.helpers import read_xlsx

    add_finding()
    inspections.create_inspection(
        actor=cast.street_b, area=tree.community_b, title="东城专项督察", inspected_on=timezone.localdate()
    )
    client = client_for(cast.street_a)
    page = client.get(reverse("assessments:inspection_list")).content.decode()
    assert 'data-export="assessments-inspections"' in page
    response = client.post(reverse("imports:list_export", args=["assessments-inspections"]))
    assert response.status_code == 200
    rows = read_xlsx(b"".join(response.streaming_content))["工作督察"]
    assert rows[0] == ["督察日期", "督察事项", "督察对象", "督察单位", "问题", "未销号", "逾期"]
    assert [r[1:] for r in rows[1:]] == [["基层党建工作专项督察", "桥楼社区", "青江街道", 1, 1, 0]]  # no 东城
    export = reverse("imports:list_export", args=["assessments-inspections"]) + f"?area={tree.street_b.pk}"
    assert client.post(export).status_code == 404


def test_the_findings_export_holds_the_lists_rows_and_none_of_another_street(
    add_finding, inspection, tree, cast, client_for
):
    from django.urls import reverse

    from tests.imports.helpers import read_xlsx

    add_finding()
    theirs = inspections.create_inspection(
        actor=cast.street_b, area=tree.community_b, title="东城专项督察", inspected_on=timezone.localdate()
    )
    inspections.add_finding(
        actor=cast.street_b,
        inspection=theirs,
        description="东城台账缺失",
        owner=cast.street_b,
        deadline=timezone.localdate() + timedelta(days=30),
    )
    client = client_for(cast.street_a)
    page = client.get(reverse("assessments:finding_list")).content.decode()
    assert 'data-export="assessments-findings"' in page
    response = client.post(reverse("imports:list_export", args=["assessments-findings"]))
    assert response.status_code == 200
    rows = read_xlsx(b"".join(response.streaming_content))["整改清单"]
    assert rows[0][:5] == ["问题", "状态", "逾期", "所在区域", "责任人"]
    assert [(r[0], r[3], r[6]) for r in rows[1:]] == [
        ("三会一课记录不完整", "桥楼社区", "基层党建工作专项督察")
    ]
    export = reverse("imports:list_export", args=["assessments-findings"]) + f"?area={tree.street_b.pk}"
    assert client.post(export).status_code == 404
