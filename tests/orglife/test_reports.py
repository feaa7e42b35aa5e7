"""The report form: opened for a held gathering of the branch, attendance from the member list through the
gatherings mechanism (study hours entered once, however often the report is saved), submitted, accepted or
returned and resubmitted; appraisal at the organizational life meeting."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from grassroots.core.members.models import StudyRecord
from grassroots.core.orglife import kinds
from grassroots.core.orglife.models import Appraisal, OrgLifeReport, ReportState
from grassroots.core.orglife.services import appraisal as appraisal_services
from grassroots.core.orglife.services import bridge
from grassroots.core.orglife.services import reports as services
from grassroots.gatherings.models import Participant, Status
from grassroots.workflow.engine import TransitionRefused
from grassroots.workflow.selectors import timeline
from grassroots.workflow.services import transition
from tests.orglife.conftest import at, last_week


@pytest.fixture
def gathering(orgs):
    day = last_week()
    return bridge.create_branch_gathering(
        branch=orgs.branch,
        kind=kinds.PARTY_LESSON,
        title="专题党课：学习党章",
        starts_at=at(day, 14),
        ends_at=at(day, 16),
        organizer=orgs.branch_sec,
    )


def post_report(client, report, marks, minutes="学习了党章第一章。", **extra):
    data = {"minutes": minutes, "resolutions": "", **extra}
    if marks:  # the page posts the whole roster: present unless ticked absent
        data["attendance"] = "1"
    for member, present, reason in marks:
        if not present:
            data[f"absent_{member.pk}"] = "1"
        data[f"reason_{member.pk}"] = reason
    return client.post(f"/orglife/reports/{report.pk}/edit/", data)


def test_report_path_through_the_pages(
    orgs, members, cast, gathering, client_for, django_capture_on_commit_callbacks
):
    secretary = client_for(orgs.branch_sec)
    response = secretary.post(f"/orglife/gatherings/{gathering.pk}/report/")
    report = OrgLifeReport.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/orglife/reports/{report.pk}/edit/"
    gathering.refresh_from_db()
    assert (
        gathering.status == Status.HELD
        and report.kind == kinds.PARTY_LESSON
        and report.held_on == last_week()
    )
    # "held" is the gathering's workflow step, on its timeline, by the secretary (who holds no
    # gatherings.manage: organizational life checked its own rule and called the gatherings' entry point).
    step = timeline(gathering)[-1].log
    assert (step.transition, step.actor, step.to_state) == ("mark_held", orgs.branch_sec, "held")

    # An absent member needs a reason: nothing is written.
    response = post_report(secretary, report, [(members.alice, True, ""), (members.bob, False, "")])
    assert response.status_code == 200 and "请填写 李波 的缺席原因。" in response.content.decode()
    assert not report.attendance.exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = post_report(
            secretary,
            report,
            [(members.alice, True, ""), (members.bob, False, "外出务工"), (members.chen, True, "")],
        )
    assert response.status_code == 302
    assert {(a.member_id, a.present, a.absence_reason) for a in report.attendance.all()} == {
        (members.alice.pk, True, ""),
        (members.bob.pk, False, "外出务工"),
        (members.chen.pk, True, ""),
    }
    # Members with an account are on the gathering's own attendance sheet.
    assert {(p.user_id, p.present) for p in Participant.objects.filter(gathering=gathering)} == {
        (members.alice.user_id, True),
        (members.bob.user_id, False),
    }
    gathering.refresh_from_db()
    assert gathering.minutes == "学习了党章第一章。"

    ct = ContentType.objects.get_for_model(OrgLifeReport).pk
    assert secretary.post(f"/workflow/{ct}/{report.pk}/submit/", {}).status_code == 302
    report.refresh_from_db()
    assert report.state == ReportState.SUBMITTED

    street = client_for(cast.street_a)
    street.post(f"/workflow/{ct}/{report.pk}/return_report/", {"comment": ""})  # a return needs its reason
    report.refresh_from_db()
    assert report.state == ReportState.SUBMITTED
    street.post(f"/workflow/{ct}/{report.pk}/return_report/", {"comment": "请补充会议记录"})
    report.refresh_from_db()
    assert report.state == ReportState.RETURNED and report.review_comment == "请补充会议记录"

    post_report(secretary, report, [], minutes="学习了党章第一章，讨论了发挥党员作用。")
    secretary.post(f"/workflow/{ct}/{report.pk}/resubmit/", {})
    client_for(orgs.parent_sec).post(f"/workflow/{ct}/{report.pk}/accept/", {"comment": "好"})
    report.refresh_from_db()
    assert report.state == ReportState.ACCEPTED and report.decided_by == orgs.parent_sec
    # Accepted: no more editing.
    assert secretary.get(f"/orglife/reports/{report.pk}/edit/").status_code == 302
    with pytest.raises(ValidationError):
        services.save_report(actor=orgs.branch_sec, report=report, minutes="x")


def test_study_hours_are_entered_once_however_often_the_report_is_saved(
    orgs, members, gathering, django_capture_on_commit_callbacks
):
    report = services.start_report(actor=orgs.branch_sec, gathering=gathering)
    marks = [(members.alice, True, ""), (members.bob, True, ""), (members.chen, True, "")]
    for minutes in ("第一稿", "第二稿", "第三稿"):
        with django_capture_on_commit_callbacks(execute=True):
            services.save_report(actor=orgs.branch_sec, report=report, minutes=minutes, marks=marks)
    records = StudyRecord.objects.filter(gathering=gathering)
    assert sorted(records.values_list("member__name", flat=True)) == sorted(["王丽", "李波", "陈晨"])
    assert {r.hours for r in records} == {Decimal("2.0")}

    # Returned and resubmitted: still one record each.
    transition(report, "submit", actor=orgs.branch_sec)
    transition(report, "return_report", actor=orgs.parent_sec, comment="补充")
    with django_capture_on_commit_callbacks(execute=True):
        services.save_report(actor=orgs.branch_sec, report=report, minutes="终稿", marks=marks)
    assert StudyRecord.objects.filter(gathering=gathering).count() == 3

    # Marked absent afterwards: the record goes (with and without an account).
    with django_capture_on_commit_callbacks(execute=True):
        services.save_report(
            actor=orgs.branch_sec,
            report=report,
            minutes="终稿",
            marks=[(members.alice, False, "生病"), (members.chen, False, "出差")],
        )
    assert list(StudyRecord.objects.filter(gathering=gathering).values_list("member__name", flat=True)) == [
        "李波"
    ]


def test_a_report_needs_attendance_and_minutes_before_it_is_submitted(orgs, members, gathering):
    report = services.start_report(actor=orgs.branch_sec, gathering=gathering)
    with pytest.raises(TransitionRefused) as refused:
        transition(report, "submit", actor=orgs.branch_sec)
    assert refused.value.message == "请先登记出席情况（至少一人出席）。"
    services.save_report(actor=orgs.branch_sec, report=report, minutes="", marks=[(members.alice, True, "")])
    with pytest.raises(TransitionRefused) as refused:
        transition(report, "submit", actor=orgs.branch_sec)
    assert refused.value.message == "请先填写会议记录。"


def test_a_report_cannot_be_opened_before_the_gathering_nor_for_another_branch_member(orgs, members, cast):
    day = timezone.localdate() + timedelta(days=3)
    future = bridge.create_branch_gathering(
        branch=orgs.branch,
        kind=kinds.COMMITTEE_MEETING,
        title="支委会",
        starts_at=at(day),
        ends_at=at(day, 11),
        organizer=orgs.branch_sec,
    )
    with pytest.raises(ValidationError, match="尚未召开"):
        services.start_report(actor=orgs.branch_sec, gathering=future)
    from tests.orglife.conftest import make_member

    stranger = make_member("外支部党员", orgs.branch_b)
    report = services.report_unplanned(
        actor=cast.worker,
        branch=orgs.branch,
        kind=kinds.COMMITTEE_MEETING,
        title="临时支委会",
        starts_at=at(last_week()),
        ends_at=at(last_week(), 10),
    )
    assert report.gathering.party_org == orgs.branch and report.gathering.status == Status.HELD
    with pytest.raises(ValidationError, match="不是本支部党员"):
        services.save_report(actor=cast.worker, report=report, minutes="x", marks=[(stranger, True, "")])


@pytest.mark.parametrize(
    ("who", "may_submit", "may_accept"),
    [
        ("branch_sec", True, False),
        ("worker", True, False),
        ("parent_sec", False, True),
        ("street_a", False, True),
        ("auditor", False, False),
        ("street_b", False, False),
        ("resident", False, False),
    ],
)
def test_who_may_submit_and_accept_a_report(orgs, members, cast, gathering, who, may_submit, may_accept):
    user = getattr(orgs, who, None) or getattr(cast, who)
    report = services.start_report(actor=orgs.branch_sec, gathering=gathering)
    services.save_report(
        actor=orgs.branch_sec, report=report, minutes="记录", marks=[(members.alice, True, "")]
    )
    if may_submit:
        transition(report, "submit", actor=user)
    else:
        with pytest.raises(TransitionRefused):
            transition(report, "submit", actor=user)
        with pytest.raises(PermissionDenied):
            services.save_report(actor=user, report=report, minutes="改")
        transition(report, "submit", actor=orgs.branch_sec)
    if may_accept:
        transition(report, "accept", actor=user)
        assert OrgLifeReport.objects.get().state == ReportState.ACCEPTED
    else:
        with pytest.raises(TransitionRefused):
            transition(report, "accept", actor=user)


def test_democratic_appraisal_at_the_organizational_life_meeting(orgs, members, client_for):
    day = last_week()
    meeting = bridge.create_branch_gathering(
        branch=orgs.branch,
        kind=kinds.REVIEW_MEETING,
        title="年度组织生活会暨民主评议党员",
        starts_at=at(day, 9),
        ends_at=at(day, 12),
        organizer=orgs.branch_sec,
    )
    report = services.start_report(actor=orgs.branch_sec, gathering=meeting)
    response = post_report(
        client_for(orgs.branch_sec),
        report,
        [(members.alice, True, ""), (members.bob, True, ""), (members.chen, True, "")],
        **{
            f"grade_{members.alice.pk}": "excellent",
            f"grade_{members.bob.pk}": "qualified",
            f"grade_{members.chen.pk}": "basic",
        },
    )
    assert response.status_code == 302
    grades = dict(Appraisal.objects.filter(year=day.year).values_list("member__name", "grade"))
    assert grades == {"王丽": "excellent", "李波": "qualified", "陈晨": "basic"}
    # Recorded again the same year: the new grade, still one row each.
    appraisal_services.record_appraisals(
        actor=orgs.branch_sec, report=report, grades={members.chen: "unqualified"}
    )
    assert (
        Appraisal.objects.count() == 3 and Appraisal.objects.get(member=members.chen).grade == "unqualified"
    )
    page = client_for(orgs.parent_sec).get(f"/orglife/branches/{orgs.branch.pk}/?period={day.year}")
    assert "不合格" in page.content.decode() and "优秀" in page.content.decode()
    # Only at the organizational life meeting.
    lesson = services.report_unplanned(
        actor=orgs.branch_sec,
        branch=orgs.branch,
        kind=kinds.PARTY_LESSON,
        title="党课",
        starts_at=at(day),
        ends_at=at(day, 10),
    )
    with pytest.raises(ValidationError, match="组织生活会"):
        appraisal_services.record_appraisals(
            actor=orgs.branch_sec, report=lesson, grades={members.alice: "excellent"}
        )


def test_photos_are_added_to_the_gathering_and_checked(orgs, gathering, client_for):
    from io import BytesIO

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    report = services.start_report(actor=orgs.branch_sec, gathering=gathering)
    buffer = BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, "PNG")
    client = client_for(orgs.branch_sec)
    response = client.post(
        f"/orglife/reports/{report.pk}/photos/",
        {"image": SimpleUploadedFile("会场.png", buffer.getvalue(), "image/png"), "caption": "会场"},
    )
    assert response.status_code == 302 and gathering.photos.get().caption == "会场"
    fake = SimpleUploadedFile("fake.png", b"not an image", "image/png")
    client.post(f"/orglife/reports/{report.pk}/photos/", {"image": fake})
    assert gathering.photos.count() == 1
    assert "会场" in client.get(f"/orglife/reports/{report.pk}/").content.decode()


def test_attendance_is_everyone_present_but_the_ticked_absent_and_a_missing_reason_shows_at_its_row(
    orgs, members, gathering, client_for
):
    secretary = client_for(orgs.branch_sec)
    report = services.start_report(actor=orgs.branch_sec, gathering=gathering)
    url = f"/orglife/reports/{report.pk}/edit/"
    page = secretary.get(url).content.decode()
    assert "未勾选的党员记为出席" in page and page.count('type="checkbox" role="switch"') == 3
    assert 'type="radio"' not in page and " checked" not in page

    data = {"minutes": "学习党章", "resolutions": "", "attendance": "1", f"absent_{members.bob.pk}": "1"}
    data[f"reason_{members.chen.pk}"] = "（出席时不必填）"
    response = secretary.post(url, data)
    body = response.content.decode()
    assert response.status_code == 200 and not report.attendance.exists()
    bob_error = body.index(f'id="reason_{members.bob.pk}_error"')
    assert "请填写 李波 的缺席原因。" in body[bob_error : bob_error + 200]
    assert f'id="reason_{members.alice.pk}_error"' not in body
    assert f'name="absent_{members.bob.pk}" id="absent_{members.bob.pk}" value="1" checked' in body

    data[f"reason_{members.bob.pk}"] = "外出务工"
    assert secretary.post(url, data).status_code == 302
    assert {(a.member_id, a.present, a.absence_reason) for a in report.attendance.all()} == {
        (members.alice.pk, True, ""),
        (members.bob.pk, False, "外出务工"),
        (members.chen.pk, True, ""),
    }
    page = secretary.get(url).content.decode()
    assert page.count(" checked") == 1 and 'value="外出务工"' in page


def test_a_refused_appraisal_form_shows_the_grades_just_typed_and_keeps_nothing(orgs, members, client_for):
    day = last_week()
    meeting = bridge.create_branch_gathering(
        branch=orgs.branch,
        kind=kinds.REVIEW_MEETING,
        title="年度组织生活会暨民主评议党员",
        starts_at=at(day, 9),
        ends_at=at(day, 12),
        organizer=orgs.branch_sec,
    )
    report = services.start_report(actor=orgs.branch_sec, gathering=meeting)
    secretary = client_for(orgs.branch_sec)
    everyone = [(members.alice, True, ""), (members.bob, True, ""), (members.chen, True, "")]
    assert (
        post_report(secretary, report, everyone, **{f"grade_{members.alice.pk}": "excellent"}).status_code
        == 302
    )

    # Bob ticked absent without a reason: refused; the page holds Alice's new grade, not the saved one.
    response = post_report(
        secretary,
        report,
        [(members.alice, True, ""), (members.bob, False, ""), (members.chen, True, "")],
        **{f"grade_{members.alice.pk}": "basic", f"grade_{members.chen.pk}": "qualified"},
    )
    body = response.content.decode()
    assert response.status_code == 200 and "请填写 李波 的缺席原因。" in body
    alice = body[body.index(f'name="grade_{members.alice.pk}"') :].split("</select>")[0]
    chen = body[body.index(f'name="grade_{members.chen.pk}"') :].split("</select>")[0]
    assert '<option value="basic" selected>' in alice and " selected" not in alice.replace(
        'value="basic" selected', ""
    )
    assert '<option value="qualified" selected>' in chen
    assert dict(Appraisal.objects.values_list("member__name", "grade")) == {"王丽": "excellent"}

    # A grade refused after the attendance passed: neither is kept.
    response = post_report(
        secretary,
        report,
        [(members.alice, True, ""), (members.bob, False, "外出务工"), (members.chen, True, "")],
        **{f"grade_{members.chen.pk}": "bogus"},
    )
    assert response.status_code == 200 and "请为 陈晨 选择评议等次。" in response.content.decode()
    assert not report.attendance.filter(present=False).exists()
    assert dict(Appraisal.objects.values_list("member__name", "grade")) == {"王丽": "excellent"}
