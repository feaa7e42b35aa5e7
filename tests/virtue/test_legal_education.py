"""Legal education (法治宣传教育, scheduled from a legal service station) is an education event of
cultivation by virtue (一化): the station's gathering kind joined in, not a second mechanism. A Party member
marked present gets one study record of it (its gathering's kind legal_education), entered once through the
members part and removed when marked absent; the event is in the calendar of events and /api/events/ (also by
`?kind=`), and another street's official sees neither."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from grassroots.accounts.roles import Role
from grassroots.core.members.models import StudyRecord
from grassroots.core.members.services.educate import is_study_kind
from grassroots.gatherings.kinds import get_kind
from grassroots.gatherings.models import Gathering
from grassroots.lawgov import services_stations as stations
from grassroots.virtue.brands_setup import CALENDAR_KINDS
from grassroots.virtue.kinds import EDUCATION_KINDS, LEGAL_EDUCATION
from tests.factories import make_user
from tests.members.fixtures_precisions import *  # noqa: F403

TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2027, 3, 8, 9, 0, tzinfo=TZ)


@pytest.fixture
def pinned(time_machine):
    time_machine.move_to(NOW, tick=False)
    return NOW


@pytest.fixture
def person(tree, member):
    user = make_user("dangyuan", Role.MEMBER, tree.courtyard_a, home_area=tree.courtyard_a)
    member.user = user
    member.save()
    return user


def test_legal_education_is_an_education_kind_counted_as_study():
    assert get_kind(LEGAL_EDUCATION) is not None
    assert is_study_kind(LEGAL_EDUCATION)
    assert LEGAL_EDUCATION in EDUCATION_KINDS and LEGAL_EDUCATION in CALENDAR_KINDS


def test_attendance_gives_one_study_record_and_the_event_is_in_the_calendar(
    pinned, time_machine, cast, tree, member, person, client_for, api_for, django_capture_on_commit_callbacks
):
    station = stations.create_station(actor=cast.worker, area=tree.community_a, name="桥楼社区法律服务站")
    organizer = client_for(cast.secretary)
    answer = organizer.post(
        reverse("lawgov:education_create", args=[station.pk]),
        {"title": "民法典进社区", "starts_at": "2027-03-08T09:00", "ends_at": "2027-03-08T11:00"},
    )
    event = Gathering.objects.get(kind=LEGAL_EDUCATION)
    assert answer.status_code == 302
    assert api_for(person).post(f"/api/gatherings/{event.pk}/sign-up/").status_code in (200, 201)

    # Two hours later the organizer saves the sheet twice (a double click): one study record, 2 hours.
    time_machine.move_to(NOW + timedelta(hours=2, minutes=5), tick=False)
    staff = api_for(cast.secretary)
    sheet = {"marks": [{"user": person.pk, "present": True}]}
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            response = staff.post(f"/api/gatherings/{event.pk}/attendance/", sheet, format="json")
        assert response.status_code == 200, response.content
    record = StudyRecord.objects.get(member=member)
    assert (record.gathering.kind, record.title, str(record.hours)) == (
        LEGAL_EDUCATION,
        "民法典进社区",
        "2.0",
    )
    assert record.studied_on.isoformat() == "2027-03-08"

    # In the calendar and /api/events/ of the community's people; not another street's.
    page = client_for(cast.resident).get("/virtue/calendar/?month=2027-03").content.decode()
    assert "民法典进社区" in page
    api = api_for(cast.resident)
    rows = api.get("/api/events/", {"month": "2027-03", "kind": LEGAL_EDUCATION}).json()["results"]
    assert [row["id"] for row in rows] == [event.pk]
    outsider = client_for(cast.street_b).get("/virtue/calendar/?month=2027-03").content.decode()
    assert "民法典进社区" not in outsider
    assert api_for(cast.street_b).get(f"/api/events/{event.pk}/").status_code == 404

    # Marked absent afterwards: the record goes with the attendance.
    with django_capture_on_commit_callbacks(execute=True):
        staff.post(
            f"/api/gatherings/{event.pk}/attendance/",
            {"marks": [{"user": person.pk, "present": False, "absence_reason": "病假"}]},
            format="json",
        )
    assert not StudyRecord.objects.filter(member=member).exists()
