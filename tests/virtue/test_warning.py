"""Education events of cultivation by virtue (一化): the kinds are gathering kinds counted as study; warning
education is recorded per street and community leadership team, with who attended (the gathering's
attendance sheet), and the figure of the teams without it in a year. Pages and API, with the cast: owner
(the community's worker), the street above, an outsider (another street) who gets 404."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from grassroots.accounts.roles import Role
from grassroots.core.members.models import StudyRecord
from grassroots.gatherings import services as gatherings
from grassroots.gatherings.kinds import get_kind
from grassroots.virtue import selectors, services
from grassroots.virtue.kinds import INTEGRITY_LECTURE, MORAL_HALL, WARNING
from grassroots.virtue.models import WarningEducation
from tests.factories import make_user
from tests.members.fixtures_precisions import *  # noqa: F403


@pytest.fixture
def person(tree, member):
    user = make_user("dangyuan", Role.MEMBER, tree.courtyard_a, home_area=tree.courtyard_a)
    member.user = user
    member.save()
    return user


def record(actor, team, **fields):
    starts_at = fields.pop("starts_at", timezone.now() - timedelta(minutes=10))
    return services.record_warning_education(
        actor=actor,
        team=team,
        mode=fields.pop("mode", "case"),
        title=fields.pop("title", "以案说纪"),
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=2),
        **fields,
    )


def test_the_kinds_are_registered_and_count_as_study():
    from grassroots.core.members.services.educate import is_study_kind

    for code in (INTEGRITY_LECTURE, WARNING, MORAL_HALL, "orglife_theme_day"):
        assert get_kind(code) is not None
        assert is_study_kind(code)


def test_warning_education_of_a_team_with_who_attended_gives_one_study_record(
    cast, tree, member, person, django_capture_on_commit_callbacks
):
    education = record(cast.worker, tree.community_a, attendees=[person, cast.secretary])
    gathering = education.gathering
    assert (gathering.kind, gathering.area, gathering.visibility) == (WARNING, tree.community_a, "invited")
    gatherings.mark_held(actor=cast.worker, gathering=gathering)
    marks = [(person, True, ""), (cast.secretary, False, "出差")]
    for _ in range(2):  # the sheet saved twice: one record
        with django_capture_on_commit_callbacks(execute=True):
            gatherings.record_attendance_sheet(actor=cast.worker, gathering=gathering, marks=marks)
    assert StudyRecord.objects.filter(member=member, gathering=gathering).count() == 1
    row = selectors.warning_educations(cast.street_a).get()
    assert row.attended == 1
    year = timezone.localdate(gathering.starts_at).year
    without = {a.name for a in selectors.teams_without_warning(cast.street_a, year)}
    assert without == {"青江街道"}  # the community's team had it; the street's not
    assert {a.name for a in selectors.teams_without_warning(cast.street_b, year)} == {"东城街道", "育才社区"}
    assert not selectors.warning_educations(cast.street_b).exists()


def test_refusals_at_the_field_and_nothing_half_written(cast, tree):
    with pytest.raises(ValidationError) as info:
        record(cast.worker, tree.grid_a)
    assert "team" in info.value.message_dict
    with pytest.raises(ValidationError) as info:
        record(cast.street_b, tree.community_a)
    assert "team" in info.value.message_dict
    with pytest.raises(ValidationError) as info:
        record(cast.worker, tree.community_a, mode="gossip")
    assert "mode" in info.value.message_dict
    with pytest.raises(ValidationError) as info:
        record(cast.worker, tree.community_a, title="  ")
    assert "title" in info.value.message_dict
    with pytest.raises(PermissionDenied):
        record(cast.resident, tree.community_a)
    assert not WarningEducation.objects.exists()
    from grassroots.gatherings.models import Gathering

    assert not Gathering.objects.exists()


def test_page_records_and_lists_for_the_owner_only(cast, tree, client_for):
    client = client_for(cast.worker)
    starts = timezone.localtime() + timedelta(days=1)
    response = client.post(
        "/virtue/warning/",
        {
            "team": tree.community_a.pk,
            "mode": "testimony",
            "title": "现身说法警示教育",
            "starts_at": starts.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (starts + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert response.status_code == 302
    education = WarningEducation.objects.get()
    page = client.get("/virtue/warning/", {"year": timezone.localdate(education.gathering.starts_at).year})
    assert "现身说法警示教育" in page.content.decode()
    outsider = client_for(cast.street_b).get("/virtue/warning/", {"year": education.gathering.starts_at.year})
    assert outsider.status_code == 200 and "现身说法警示教育" not in outsider.content.decode()
    assert client_for(cast.resident).get("/virtue/warning/").status_code == 403
    refused = client.post("/virtue/warning/", {"team": tree.community_b.pk, "mode": "case"})
    assert refused.status_code == 200 and WarningEducation.objects.count() == 1


def test_api_lists_creates_and_hides_from_an_outsider(cast, tree, api_for, django_assert_max_num_queries):
    api = api_for(cast.worker)
    starts = timezone.now() + timedelta(days=1)
    body = {
        "team": tree.community_a.pk,
        "mode": "on_site",
        "title": "现场教学",
        "starts_at": starts.isoformat(),
        "ends_at": (starts + timedelta(hours=2)).isoformat(),
        "attendees": ["secretary"],
    }
    response = api.post("/api/warning-educations/", body, format="json")
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    assert response.json()["team_name"] == "桥楼社区"
    for _ in range(3):
        record(cast.worker, tree.community_a)
    with django_assert_max_num_queries(8):
        listed = api_for(cast.street_a).get("/api/warning-educations/").json()
    assert listed["count"] == 4
    outsider = api_for(cast.street_b)
    assert outsider.get(f"/api/warning-educations/{pk}/").status_code == 404
    assert outsider.get("/api/warning-educations/").json()["count"] == 0
    refused = outsider.post("/api/warning-educations/", {**body, "team": tree.community_a.pk}, format="json")
    assert refused.status_code == 400 and "team" in refused.json()["errors"]
    teams = api.get("/api/warning-educations/teams-without/", {"year": starts.year}).json()
    # the worker's scope is the community, whose sessions are planned, not held: it counts as without
    assert [row["name"] for row in teams["results"]] == ["桥楼社区"]
    teams = api_for(cast.street_a).get("/api/warning-educations/teams-without/").json()
    assert {row["name"] for row in teams["results"]} >= {"青江街道"}
    assert api.get("/api/warning-educations/teams-without/", {"year": "x"}).status_code == 400


def test_the_warning_education_export_holds_the_years_sessions_and_none_of_another_street(
    cast, tree, today, client_for
):
    from django.urls import reverse

    from tests.imports.helpers import read_xlsx

    record(cast.worker, tree.community_a, title="以案说纪", attendees=[cast.secretary])
    record(cast.street_b, tree.community_b, title="东城警示教育")
    client = client_for(cast.street_a)
    page = client.get(reverse("virtue:warning_list")).content.decode()
    assert 'data-export="virtue-warnings"' in page and f"year={today.year}" in page
    response = client.post(reverse("imports:list_export", args=["virtue-warnings"]) + f"?year={today.year}")
    assert response.status_code == 200
    rows = read_xlsx(b"".join(response.streaming_content))["警示教育"]
    assert rows[0][:3] == ["主题", "受教育班子", "形式"]
    assert [(r[0], r[1]) for r in rows[1:]] == [("以案说纪", "桥楼社区")]  # no 东城
    assert (
        client_for(cast.resident).post(reverse("imports:list_export", args=["virtue-warnings"])).status_code
        == 403
    )


@pytest.mark.parametrize("kind", [INTEGRITY_LECTURE, MORAL_HALL])
def test_a_lecture_on_the_general_form_gives_a_present_member_one_study_record(
    kind, cast, tree, member, person, client_for, time_machine, django_capture_on_commit_callbacks
):
    """廉洁文化大讲堂 and 道德讲堂 need no form of their own (issue 17): made on 会议活动's form, the member
    who signed up and is marked present gets one study record, the sheet saved twice or not."""
    from grassroots.gatherings.models import Gathering
    from tests.gatherings.test_views import form_data

    answer = client_for(cast.worker).post("/gatherings/new/", form_data(tree, kind=kind, title="讲堂"))
    lecture = Gathering.objects.get(kind=kind)
    assert answer.status_code == 302
    gatherings.sign_up(user=person, gathering=lecture)
    time_machine.move_to(lecture.ends_at + timedelta(minutes=5), tick=False)
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            gatherings.record_attendance_sheet(
                actor=cast.worker, gathering=lecture, marks=[(person, True, "")]
            )
    record = StudyRecord.objects.get(member=member)
    assert (record.gathering_id, record.title, str(record.hours)) == (lecture.pk, "讲堂", "2.0")
