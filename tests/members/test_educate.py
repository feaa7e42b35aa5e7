"""Educate (教育): study records by hand, hours and compliance per member and per branch, and the study
record that attendance at a gathering of a study kind adds by itself — entered once."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from grassroots.accounts.roles import Role
from grassroots.core.members.models import StudyRecord
from grassroots.core.members.selectors import educate as selectors
from grassroots.core.members.services import educate
from grassroots.gatherings import services as gatherings
from tests.factories import make_user
from tests.members.fixtures_precisions import *  # noqa: F403


def add(actor, member, hours, *, title="学习党章", studied_on=None):
    return educate.add_study_record(
        actor=actor,
        member=member,
        title=title,
        studied_on=studied_on or timezone.localdate(),
        hours=Decimal(hours),
    )


def test_manual_record_and_its_checks(cast, member):
    record = add(cast.worker, member, "2.5")
    assert (record.source, record.recorded_by, record.hours) == ("manual", cast.worker, Decimal("2.5"))
    for hours, field in (("0", "hours"), ("0.3", "hours"), ("25", "hours")):
        with pytest.raises(ValidationError) as info:
            add(cast.worker, member, hours)
        assert field in info.value.message_dict
    with pytest.raises(ValidationError) as info:
        add(cast.worker, member, "1", studied_on=timezone.localdate() + timedelta(days=1))
    assert "studied_on" in info.value.message_dict
    with pytest.raises(PermissionDenied):
        add(cast.street_b, member, "1")
    educate.delete_study_record(actor=cast.worker, record=record)
    assert not StudyRecord.objects.exists()


def test_hours_this_year_and_branch_compliance(cast, settings, make_member, branch_a, branch_a2):
    settings.MEMBERS_REQUIRED_STUDY_HOURS = 4
    year = timezone.localdate().year
    ok, behind, other = make_member("达标"), make_member("未达标"), make_member("二支部", branch=branch_a2)
    add(cast.worker, ok, "3")
    add(cast.worker, ok, "1.5", title="党史学习")  # one record per course and day
    add(cast.worker, behind, "3.5")
    add(cast.worker, behind, "8", studied_on=date(year - 1, 12, 31))  # last year's: does not count
    add(cast.worker, other, "4")

    rows = {m.name: m.study_hours for m in selectors.study_list(cast.street_a, year=year)}
    assert rows == {"未达标": Decimal("3.5"), "达标": Decimal("4.5"), "二支部": Decimal("4")}
    behind_only = selectors.study_list(cast.street_a, year=year, behind_only=True)
    assert [m.name for m in behind_only] == ["未达标"]

    compliance = {
        c.name: (c.members, c.compliant, c.rate)
        for c in selectors.as_compliance(selectors.branch_compliance(cast.street_a, year=year))
    }
    assert compliance == {"桥楼社区第一党支部": (2, 1, 50), "桥楼社区第二党支部": (1, 1, 100)}
    assert list(selectors.branch_compliance(cast.street_b, year=year)) == []


def test_branch_compliance_is_one_query(cast, make_member, django_assert_num_queries):
    for i in range(5):
        add(cast.worker, make_member(f"党员{i}"), "1")
    queryset = selectors.branch_compliance(cast.street_a, year=timezone.localdate().year)  # reads the grants
    with django_assert_num_queries(1):
        rows = list(queryset)
    assert rows[0]["members"] == 5


# --- from attendance ---------------------------------------------------------------------------------------
@pytest.fixture
def person(tree, member):
    user = make_user("dangyuan", Role.MEMBER, tree.courtyard_a, home_area=tree.courtyard_a)
    member.user = user
    member.save()
    return user


@pytest.fixture
def make_gathering(cast, tree, person):
    def make(kind="lecture", minutes=100, **fields):
        starts_at = timezone.now() - timedelta(minutes=10)
        gathering = gatherings.create_gathering(
            actor=cast.street_a,
            area=tree.community_a,
            kind=kind,
            title=fields.pop("title", "党课：学习党章"),
            starts_at=starts_at,
            ends_at=starts_at + timedelta(minutes=minutes),
            visibility="public",
            **fields,
        )
        gatherings.invite(actor=cast.street_a, gathering=gathering, users=[person])
        return gathering

    return make


def mark(cast, gathering, person, present, reason=""):
    gatherings.record_attendance(
        actor=cast.street_a, gathering=gathering, person=person, present=present, reason=reason
    )


def test_present_at_a_lecture_adds_the_record_once(
    cast, member, person, make_gathering, django_capture_on_commit_callbacks
):
    gathering = make_gathering(minutes=100)
    with django_capture_on_commit_callbacks(execute=True):
        gatherings.check_in(user=person, gathering=gathering)
        mark(cast, gathering, person, True)  # present again: no change, no signal
    with django_capture_on_commit_callbacks(execute=True):
        mark(cast, gathering, person, True)
    record = StudyRecord.objects.get()
    assert (record.member, record.gathering, record.source) == (member, gathering, "gathering")
    assert record.title == "党课：学习党章"
    assert record.hours == Decimal("1.5")  # 100 minutes → 1.5 hours (nearest half hour)
    assert record.studied_on == timezone.localdate(gathering.starts_at)


def test_the_same_signal_delivered_twice_still_enters_one_record(cast, member, person, make_gathering):
    from grassroots.gatherings.signals import attendance_recorded

    gathering = make_gathering()
    for _ in range(2):
        attendance_recorded.send(sender=None, gathering=gathering, user=person, present=True, previous=None)
    assert StudyRecord.objects.filter(member=member, gathering=gathering).count() == 1


def test_absent_afterwards_removes_it_and_present_again_restores_one(
    cast, member, person, make_gathering, django_capture_on_commit_callbacks
):
    gathering = make_gathering()
    with django_capture_on_commit_callbacks(execute=True):
        mark(cast, gathering, person, True)
    assert StudyRecord.objects.count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        mark(cast, gathering, person, False, reason="提前离开")
    assert StudyRecord.objects.count() == 0
    with django_capture_on_commit_callbacks(execute=True):
        mark(cast, gathering, person, True)
    assert StudyRecord.objects.count() == 1


def test_editing_the_gathering_updates_the_record_without_duplicating(
    cast, member, person, make_gathering, django_capture_on_commit_callbacks
):
    gathering = make_gathering(minutes=60)
    with django_capture_on_commit_callbacks(execute=True):
        mark(cast, gathering, person, True)
    with django_capture_on_commit_callbacks(execute=True):
        gatherings.update_gathering(
            actor=cast.street_a,
            gathering=gathering,
            title="党课（更正）",
            ends_at=gathering.starts_at + timedelta(hours=3),
        )
        mark(cast, gathering, person, True)
    record = StudyRecord.objects.get()
    assert (record.title, record.hours) == ("党课（更正）", Decimal("3.0"))
    with django_capture_on_commit_callbacks(execute=True):
        gatherings.cancel_gathering(actor=cast.street_a, gathering=gathering, reason="改期")
    assert not StudyRecord.objects.exists()


@pytest.mark.parametrize(
    ("minutes", "hours"), [(10, "0.5"), (44, "0.5"), (45, "1.0"), (75, "1.5"), (105, "2.0")]
)
def test_hours_round_to_the_half_hour_at_least_half(make_gathering, minutes, hours):
    assert educate.gathering_hours(make_gathering(minutes=minutes)) == Decimal(hours)


def test_other_kinds_and_people_without_a_member_record_add_nothing(
    cast, tree, member, person, make_gathering, django_capture_on_commit_callbacks
):
    activity = make_gathering(kind="activity")
    lecture = make_gathering()
    gatherings.invite(actor=cast.street_a, gathering=lecture, users=[cast.resident])
    with django_capture_on_commit_callbacks(execute=True):
        mark(cast, activity, person, True)
        mark(cast, lecture, cast.resident, True)
    assert not StudyRecord.objects.exists()


def test_a_registered_study_kind_counts(
    cast, member, person, make_gathering, django_capture_on_commit_callbacks
):
    gathering = make_gathering(kind="activity")
    educate.register_study_kind("activity")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            mark(cast, gathering, person, True)
    finally:
        educate._STUDY_KINDS.discard("activity")
    assert StudyRecord.objects.filter(gathering=gathering).count() == 1


# --- pages -------------------------------------------------------------------------------------------------
def test_study_pages(client_for, cast, member, make_member, branch_b):
    client = client_for(cast.secretary)
    response = client.post(
        f"/members/{member.pk}/study/new/",
        {"title": "两学一做专题学习", "studied_on": timezone.localdate().isoformat(), "hours": "2"},
    )
    assert response.status_code == 302
    response = client.get("/members/study/")
    assert response.status_code == 200
    assert [m.study_hours for m in response.context["page_obj"]] == [Decimal("2")]
    record = StudyRecord.objects.get()
    assert client_for(cast.street_b).post(f"/members/study/{record.pk}/delete/").status_code == 404
    assert client_for(cast.auditor).post(f"/members/study/{record.pk}/delete/").status_code == 403
    assert client.post(f"/members/study/{record.pk}/delete/").status_code == 302
    assert not StudyRecord.objects.exists()
    assert client_for(cast.street_b).get(f"/members/{member.pk}/study/new/").status_code == 404
    other = make_member("外支部", branch=branch_b)
    assert client.get(f"/members/study/?branch={other.branch_id}").status_code == 404


@pytest.mark.parametrize("rows", [3, 30])
def test_study_page_query_count_does_not_grow(
    client_for, cast, make_member, rows, django_assert_max_num_queries
):
    for i in range(rows):
        add(cast.worker, make_member(f"党员{i}"), "1")
    client = client_for(cast.street_a)
    # session, user, grants, secretary orgs, branches count + page, members count + page, unread badge: 9
    with django_assert_max_num_queries(9):
        response = client.get("/members/study/")
    assert response.status_code == 200
