"""Volunteer activities (docs/cogov.md, 志愿活动): sign-up by volunteers, check-in/out, hours confirmed by the
organizer and credited once — to the volunteer, and for a Party member to their service record and their
dual registration's service hours — reversed with a reason; pages, API, scope, races, figures."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from grassroots.accounts.roles import Role
from grassroots.cogov import services as cogov
from grassroots.cogov import services_activities as activities
from grassroots.cogov.models import ServiceHours, Volunteer
from grassroots.core.members.models import Member, Registration
from grassroots.gatherings import services as gatherings
from grassroots.gatherings.models import Participant
from tests.concurrency import race, server_db_only
from tests.factories import make_party_org, make_user
from tests.homes import open_home

TZ = ZoneInfo("Asia/Shanghai")
START = datetime(2026, 5, 16, 9, 0, tzinfo=TZ)  # a Saturday morning, four days after A_WORKDAY


@pytest.fixture
def vol(tree, cast, today):
    """Community A's volunteers: the resident and a Party member (with a confirmed dual registration), and an
    activity of community A on START, two hours, three seats, published by its secretary."""
    branch = make_party_org("桥楼社区第一支部", tree.grid_a)
    member_user = make_user(
        "member1", Role.MEMBER, tree.courtyard_a, home_area=tree.courtyard_a, full_name="李党员"
    )
    member = Member.objects.create(
        name="李党员",
        gender="male",
        birth_date=date(1980, 1, 1),
        id_number="511802198001010017",
        branch=branch,
        joined_probationary_on=date(2005, 7, 1),
        in_service=True,
        user=member_user,
    )
    registration = Registration.objects.create(
        member=member, community=tree.community_a, registered_by=member_user, state="confirmed"
    )
    for person in (cast.resident, member_user):
        cogov.sign_up_volunteer(actor=person, skills=["陪伴老人"])
    activity = make_activity(cast.secretary, tree.community_a)
    return SimpleNamespace(
        member_user=member_user, member=member, registration=registration, activity=activity
    )


def make_activity(actor, area, starts_at=START, hours=2, capacity=3, title="关爱独居老人"):
    return gatherings.create_gathering(
        actor=actor,
        kind="volunteer_service",
        title=title,
        area=area,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=hours),
        place="桥楼社区活动室",
        capacity=capacity,
        signup_open=True,
    )


def attend(activity, user, arrive=timedelta(minutes=-10), leave=timedelta(hours=2, minutes=5)):
    activities.join_activity(user=user, gathering=activity)
    activities.check_in(user=user, gathering=activity, now=activity.starts_at + arrive)
    activities.check_out(user=user, gathering=activity, now=activity.starts_at + leave)


def test_hours_are_credited_once_to_the_volunteer_the_member_and_the_registration(cast, vol, time_machine):
    attend(vol.activity, cast.resident)
    attend(vol.activity, vol.member_user, arrive=timedelta(0), leave=timedelta(hours=1, minutes=30))
    with pytest.raises(ValidationError, match="结束后才能确认"):
        activities.confirm_hours(actor=cast.secretary, gathering=vol.activity, now=START)
    time_machine.move_to(START + timedelta(hours=3), tick=True)
    first = activities.confirm_hours(actor=cast.secretary, gathering=vol.activity)
    assert sorted(str(c.hours) for c in first.credited) == ["1.5", "2.3"]
    again = activities.confirm_hours(actor=cast.worker, gathering=vol.activity)
    assert again.credited == [] and again.skipped == []
    assert ServiceHours.objects.count() == 2
    assert Volunteer.objects.get(user=cast.resident).hours == Decimal("2.3")
    assert Volunteer.objects.get(user=vol.member_user).hours == Decimal("1.5")
    vol.registration.refresh_from_db()
    assert vol.registration.service_hours == Decimal("1.5")  # the field nothing filled before
    credit = ServiceHours.objects.get(volunteer__user=vol.member_user)
    assert credit.member == vol.member and credit.registration == vol.registration  # the service record
    vol.activity.refresh_from_db()
    assert vol.activity.status == "held"


def test_a_correction_reverses_with_a_reason_then_confirms_again(cast, vol, time_machine):
    attend(vol.activity, vol.member_user)
    time_machine.move_to(START + timedelta(hours=3), tick=True)
    (credit,) = activities.confirm_hours(actor=cast.secretary, gathering=vol.activity).credited
    with pytest.raises(ValidationError, match="请先撤销"):
        activities.record_times(
            actor=cast.secretary, gathering=vol.activity, person=vol.member_user, checked_in_at=START
        )
    with pytest.raises(ValidationError) as info:
        activities.reverse_hours(actor=cast.secretary, credit=credit, reason=" ")
    assert info.value.message_dict == {"reason": ["请填写撤销原因。"]}
    with pytest.raises(PermissionDenied):
        activities.reverse_hours(actor=cast.street_b, credit=credit, reason="签退时间有误")
    activities.reverse_hours(actor=cast.secretary, credit=credit, reason="签退时间有误")
    vol.registration.refresh_from_db()
    assert vol.registration.service_hours == 0
    assert Volunteer.objects.get(user=vol.member_user).hours == 0
    with pytest.raises(ValidationError, match="已撤销"):
        activities.reverse_hours(actor=cast.secretary, credit=credit, reason="再撤一次")
    activities.record_times(
        actor=cast.secretary,
        gathering=vol.activity,
        person=vol.member_user,
        checked_in_at=START,
        checked_out_at=START + timedelta(hours=1),
    )
    (again,) = activities.confirm_hours(actor=cast.secretary, gathering=vol.activity).credited
    assert again.hours == 1
    vol.registration.refresh_from_db()
    assert vol.registration.service_hours == 1
    assert ServiceHours.objects.filter(reversed_at__isnull=True).count() == 1


def test_only_volunteers_sign_up_and_the_left_out_are_named(cast, vol, tree, time_machine):
    with pytest.raises(ValidationError) as info:
        activities.join_activity(user=cast.worker, gathering=vol.activity)
    assert info.value.code == "not_volunteer"
    attend(vol.activity, cast.resident)
    activities.join_activity(user=vol.member_user, gathering=vol.activity)
    activities.check_in(user=vol.member_user, gathering=vol.activity, now=START)  # never checked out
    time_machine.move_to(START + timedelta(hours=5), tick=True)
    result = activities.confirm_hours(actor=cast.secretary, gathering=vol.activity)
    assert len(result.credited) == 1
    assert [(name, str(why)) for name, why in result.skipped] == [("李党员", "未签退")]
    with pytest.raises(PermissionDenied):
        activities.confirm_hours(actor=cast.street_b, gathering=vol.activity)


def test_the_volunteers_phone_view_and_the_organizers_pages(
    cast, vol, tree, client_for, time_machine, django_assert_max_num_queries
):
    other = make_activity(cast.street_a, tree.street_a, starts_at=START + timedelta(days=1), title="街道义诊")
    make_activity(cast.street_b, tree.community_b, title="育才社区义剪")  # another street: not near
    client = client_for(cast.resident)
    response = client.post(f"/cogov/activities/{vol.activity.pk}/", {"action": "sign_up"})
    assert response.status_code == 302
    assert Participant.objects.filter(gathering=vol.activity, user=cast.resident).exists()
    with django_assert_max_num_queries(14):
        page = client.get("/cogov/activities/").content.decode()
    assert "关爱独居老人" in page and "街道义诊" in page and "育才社区义剪" not in page
    # Double booking on the page: a clear message.
    clash = make_activity(
        cast.secretary, tree.community_a, starts_at=START + timedelta(hours=1), title="清扫楼道"
    )
    response = client.post(f"/cogov/activities/{clash.pk}/", {"action": "sign_up"}, follow=True)
    assert "您已报名同一时段的“关爱独居老人”" in response.content.decode()
    time_machine.move_to(START - timedelta(minutes=5), tick=True)
    client = client_for(cast.resident)  # a session lasts hours, not days
    client.post(f"/cogov/activities/{vol.activity.pk}/", {"action": "check_in"})
    time_machine.move_to(START + timedelta(hours=2), tick=True)
    client = client_for(cast.resident)
    client.post(f"/cogov/activities/{vol.activity.pk}/", {"action": "check_out"})
    row = Participant.objects.get(gathering=vol.activity, user=cast.resident)
    assert row.checked_in_at and row.checked_out_at
    # The organizer: hours to confirm on the list and the home page, then the sheet.
    time_machine.move_to(START + timedelta(hours=3), tick=True)
    staff = client_for(cast.secretary)
    with django_assert_max_num_queries(12):
        listing = staff.get("/cogov/activities/organize/").content.decode()
    assert "关爱独居老人" in listing and "1 人待确认" in listing
    assert "志愿服务时长待确认" in open_home(staff).content.decode()
    with django_assert_max_num_queries(14):
        assert staff.get(f"/cogov/activities/{vol.activity.pk}/roster/").status_code == 200
    staff.post(f"/cogov/activities/{vol.activity.pk}/roster/", {"action": "confirm"})
    staff.post(f"/cogov/activities/{vol.activity.pk}/roster/", {"action": "confirm"})
    assert Volunteer.objects.get(user=cast.resident).hours == Decimal("2.1")
    page = client.get("/cogov/activities/").content.decode()
    assert "2.1" in page
    assert other.pk


def test_another_streets_organizer_gets_404_and_a_resident_403(cast, vol, tree, client_for, api_for):
    attend(vol.activity, cast.resident)
    outsider = client_for(cast.street_b)
    for url in (f"/cogov/activities/{vol.activity.pk}/", f"/cogov/activities/{vol.activity.pk}/roster/"):
        assert outsider.get(url).status_code == 404
    assert (
        outsider.post(
            f"/cogov/activities/{vol.activity.pk}/roster/",
            {"action": "check_out", "person": cast.resident.pk},
        ).status_code
        == 404
    )
    api = api_for(cast.street_b)
    for path in ("roster/", ""):
        assert api.get(f"/api/activities/{vol.activity.pk}/{path}").status_code == 404
    assert api.post(f"/api/activities/{vol.activity.pk}/confirm-hours/").status_code == 404
    resident = client_for(cast.resident)
    assert resident.get(f"/cogov/activities/{vol.activity.pk}/roster/").status_code == 403
    assert api_for(cast.resident).post(f"/api/activities/{vol.activity.pk}/confirm-hours/").status_code == 403
    assert not ServiceHours.objects.exists()
    # A meeting is not an activity.
    meeting = gatherings.create_gathering(
        actor=cast.secretary,
        kind="meeting",
        title="工作会议",
        area=tree.community_a,
        starts_at=START,
        ends_at=START + timedelta(hours=1),
        signup_open=True,
    )
    assert client_for(cast.secretary).get(f"/cogov/activities/{meeting.pk}/").status_code == 404


def test_every_step_in_the_api(cast, vol, api_for, time_machine, django_assert_max_num_queries):
    api = api_for(cast.resident)
    pk = vol.activity.pk
    with django_assert_max_num_queries(8):
        near = api.get("/api/activities/?view=near").json()
    assert [row["id"] for row in near["results"]] == [pk]
    assert api.post(f"/api/activities/{pk}/sign-up/").json()["me"]["signed_up"] is True
    assert api.post(f"/api/activities/{pk}/cancel/").json()["me"]["signed_up"] is False
    api.post(f"/api/activities/{pk}/sign-up/")
    assert [row["id"] for row in api.get("/api/activities/?view=mine").json()["results"]] == [pk]
    time_machine.move_to(START, tick=True)
    assert api.post(f"/api/activities/{pk}/check-in/").status_code == 200
    time_machine.move_to(START + timedelta(hours=1, minutes=30), tick=True)
    staff = api_for(cast.secretary)
    assert (
        staff.post(f"/api/activities/{pk}/check-out/", {"user": cast.resident.pk}, format="json").status_code
        == 200
    )
    roster = staff.get(f"/api/activities/{pk}/roster/").json()
    assert roster[0]["hours"] == "1.5"
    answer = staff.post(
        f"/api/activities/{pk}/times/",
        {"user": cast.resident.pk, "checked_in_at": START.isoformat(), "checked_out_at": START.isoformat()},
        format="json",
    )
    assert answer.status_code == 400 and "checked_out_at" in answer.json()["errors"]
    early = staff.post(f"/api/activities/{pk}/confirm-hours/")
    assert early.status_code == 400 and early.json()["code"] == "not_ended"
    time_machine.move_to(START + timedelta(hours=3), tick=True)
    first = staff.post(f"/api/activities/{pk}/confirm-hours/").json()
    assert first["hours"] == "1.5" and len(first["credited"]) == 1
    assert staff.post(f"/api/activities/{pk}/confirm-hours/").json()["credited"] == []
    assert api.get("/api/activities/hours/").json()["results"][0]["hours"] == "1.5"
    credit = first["credited"][0]["id"]
    refused = staff.post(
        f"/api/activities/{pk}/reverse-hours/", {"credit": credit, "reason": ""}, format="json"
    )
    assert refused.status_code == 400
    done = staff.post(
        f"/api/activities/{pk}/reverse-hours/", {"credit": credit, "reason": "重复登记"}, format="json"
    )
    assert done.json()["reverse_reason"] == "重复登记"
    assert Volunteer.objects.get(user=cast.resident).hours == 0


def test_double_booking_through_the_api_has_its_code(cast, vol, tree, api_for):
    clash = make_activity(cast.secretary, tree.community_a, starts_at=START + timedelta(minutes=30))
    api = api_for(cast.resident)
    api.post(f"/api/activities/{vol.activity.pk}/sign-up/")
    answer = api.post(f"/api/activities/{clash.pk}/sign-up/")
    assert answer.status_code == 400 and answer.json()["code"] == "overlap"


@server_db_only
@pytest.mark.django_db(transaction=True)
def test_capacity_race_on_activities(cast, tree):
    activity = make_activity(cast.secretary, tree.community_a, starts_at=START.replace(year=2030), capacity=3)
    people = []
    for i in range(8):
        user = make_user(f"v{i}", Role.RESIDENT, tree.courtyard_a, home_area=tree.courtyard_a)
        cogov.sign_up_volunteer(actor=user, skills=["跑腿"])
        people.append(user)
    outcomes = race(lambda u: activities.join_activity(user=u, gathering=activity), people)
    assert sorted(outcomes) == ["ok"] * 3 + ["refused:full"] * 5
    assert activity.participants.filter(signed_up_at__isnull=False).count() == 3


@server_db_only
@pytest.mark.django_db(transaction=True)
def test_two_organizers_confirming_at_once_credit_once(cast, tree, time_machine):
    time_machine.move_to(START - timedelta(days=1), tick=True)
    cogov.sign_up_volunteer(actor=cast.resident, skills=["跑腿"])
    activity = make_activity(cast.secretary, tree.community_a)
    attend(activity, cast.resident)
    time_machine.move_to(START + timedelta(hours=3), tick=True)
    outcomes = race(
        lambda actor: activities.confirm_hours(actor=actor, gathering=activity),
        [cast.secretary, cast.worker] * 2,
    )
    assert outcomes == ["ok"] * 4
    assert ServiceHours.objects.count() == 1
    assert Volunteer.objects.get(user=cast.resident).hours == Decimal("2.3")


def test_figures_per_subtree(cast, vol, tree, time_machine):
    from grassroots.core.assessments.figures import figures_for

    attend(vol.activity, cast.resident)
    time_machine.move_to(START + timedelta(hours=3), tick=True)
    activities.confirm_hours(actor=cast.secretary, gathering=vol.activity)
    hours = figures_for("cogov.volunteer_hours", [tree.street_a, tree.street_b], 2026)
    assert hours[tree.street_a.pk].normalized_rate == Decimal("0.5")
    assert "2.3" in hours[tree.street_a.pk].detail and tree.street_b.pk not in hours
    held = figures_for("cogov.activities_held", [tree.community_a], 2026)
    assert held[tree.community_a.pk].normalized_rate == 1


def test_a_volunteers_credits_are_on_their_data_page_and_go_with_a_deletion(cast, vol, time_machine):
    from grassroots.privacy.services import my_data, submit_request
    from grassroots.workflow.services import transition

    attend(vol.activity, cast.resident)
    time_machine.move_to(START + timedelta(hours=3), tick=True)
    activities.confirm_hours(actor=cast.secretary, gathering=vol.activity)
    sections = {s.key: s for s in my_data(cast.resident)}
    (row,) = sections["cogov.service_hours"].rows
    assert "关爱独居老人" in str(row) and "2.3" in str(row)
    assert not {s.key: s for s in my_data(cast.worker)}["cogov.service_hours"].rows  # only one's own
    record = submit_request(user=cast.resident, kind="deletion")
    transition(record, "complete", actor=cast.street_a)
    assert not ServiceHours.objects.filter(volunteer__user=cast.resident).exists()


def test_the_organizers_coming_activities_export_and_none_of_another_street(cast, vol, tree, client_for):
    from django.urls import reverse

    from tests.imports.helpers import read_xlsx

    make_activity(cast.street_b, tree.community_b, title="育才社区义剪")
    attend(vol.activity, cast.resident)
    client = client_for(cast.street_a)
    page = client.get(reverse("cogov:activity_organizer")).content.decode()
    assert 'data-export="cogov-activities"' in page
    response = client.post(reverse("imports:list_export", args=["cogov-activities"]))
    assert response.status_code == 200
    rows = read_xlsx(b"".join(response.streaming_content))["即将开展的志愿活动"]
    assert rows[0][:4] == ["活动名称", "开始时间", "结束时间", "所在区域"]
    assert [(r[0], r[3], r[5], r[6]) for r in rows[1:]] == [("关爱独居老人", "桥楼社区", 3, 1)]  # no 育才
    assert (
        client_for(cast.resident).post(reverse("imports:list_export", args=["cogov-activities"])).status_code
        == 403
    )
