"""On-site meetings (现场会): what a meeting shows (exactly one of a task, an inspection's rectified
findings or a community's practice), its host and visitors, its lessons turned into duty tasks
of the organizing level in one call — through the service, the pages and the API; another
street's meetings read as missing (404)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from grassroots.areas.models import Level
from grassroots.core.admission.models import AdmittedAffair
from grassroots.core.assessments.models import Lesson, SiteMeeting
from grassroots.core.assessments.services import meetings as services
from grassroots.core.duties.models import DutyAssignment, DutyTask
from grassroots.core.duties.services import issue_task
from grassroots.workflow.services import transition
from tests.assessments.conftest import pdf


@pytest.fixture
def affair(tree, today):
    return AdmittedAffair.objects.create(
        area=tree.county,
        name="社区网格化服务管理",
        legal_basis="《四川省城乡社区治理条例》",
        department="雨城区委政法委",
        powers="网格事项采集、上报、督办权",
        funds_per_community=Decimal("20000.00"),
        valid_from=date(today.year - 1, 1, 1),
        valid_to=date(today.year + 1, 12, 31),
    )


@pytest.fixture
def street_task(tree, cast, affair, today):
    """A task 青江街道 issued to its communities."""
    return issue_task(
        actor=cast.street_a,
        area=tree.street_a,
        title="院落党建示范点建设",
        deadline=today + timedelta(days=30),
        target_level=Level.COMMUNITY,
        affair=affair,
    )


@pytest.fixture
def when():
    starts = timezone.now() + timedelta(days=3)
    return {"starts_at": starts, "ends_at": starts + timedelta(hours=2)}


@pytest.fixture
def make_meeting(tree, cast, when, street_task):
    def make(**fields):
        values = {
            "actor": cast.street_a,
            "area": tree.street_a,
            "title": "院落党建现场会",
            "host_area": tree.community_a,
            "shows": "task",
            "task": street_task,
            "place": "桥楼社区一号院落",
            "agenda": "一、观摩示范点；二、交流发言；三、部署工作",
            **when,
        }
        values.update(fields)
        return services.create_site_meeting(**values)

    return make


# --- the service ------------------------------------------------------------------------------------------
def test_a_meeting_shows_a_task_and_keeps_its_gathering(tree, cast, orgs, make_meeting, street_task):
    meeting = make_meeting(visiting_orgs=[orgs.street_a, orgs.grid_a], practice="ignored")
    gathering = meeting.gathering
    assert (gathering.kind, gathering.area, gathering.place) == (
        "site_meeting",
        tree.street_a,
        "桥楼社区一号院落",
    )
    assert gathering.description.startswith("一、观摩示范点")  # the agenda is the gathering's, not a copy
    assert (meeting.shows, meeting.task, meeting.inspection, meeting.practice_area) == (
        "task",
        street_task,
        None,
        None,
    )
    assert meeting.practice == ""  # exactly one thing shown: the others are cleared
    assert set(meeting.visiting_orgs.all()) == {orgs.street_a, orgs.grid_a}
    with pytest.raises(ValidationError) as above:  # another street's committee: not in the organizer's scope
        make_meeting(visiting_orgs=[orgs.street_b])
    assert list(above.value.message_dict) == ["visiting_orgs"]


def test_what_a_meeting_shows_is_checked(tree, cast, make_meeting, inspection, add_finding, today):
    with pytest.raises(ValidationError) as no_task:
        make_meeting(task=None)
    assert list(no_task.value.message_dict) == ["task"]
    finding = add_finding()
    with pytest.raises(ValidationError) as nothing_rectified:
        make_meeting(shows="rectification", task=None, inspection=inspection)
    assert nothing_rectified.value.message_dict == {"inspection": ["这次督察还没有已整改的问题。"]}
    transition(finding, "report_rectified", actor=cast.secretary, comment="已整改", attachments=[pdf()])
    shown = make_meeting(shows="rectification", inspection=inspection)
    assert (shown.inspection, shown.task) == (inspection, None)
    with pytest.raises(ValidationError) as elsewhere:
        make_meeting(shows="practice", practice_area=tree.community_b, practice="院落议事")
    assert list(elsewhere.value.message_dict) == ["practice_area"]
    with pytest.raises(ValidationError) as empty:
        make_meeting(shows="practice", practice_area=tree.community_a, practice=" ")
    assert list(empty.value.message_dict) == ["practice"]
    practice = make_meeting(shows="practice", practice_area=tree.community_a, practice="院落议事会")
    assert (practice.practice_area, practice.task) == (tree.community_a, None)
    with pytest.raises(ValidationError) as host:
        make_meeting(host_area=tree.community_b)
    assert list(host.value.message_dict) == ["host_area"]
    assert SiteMeeting.objects.count() == 2


def test_a_task_the_organizer_cannot_see_is_refused(tree, cast, make_meeting, today):
    city_task = issue_task(
        actor=cast.city,
        area=tree.city,
        title="全市任务",
        deadline=today + timedelta(days=30),
        target_level=Level.STREET,
    )
    with pytest.raises(ValidationError) as refused:
        make_meeting(task=city_task)  # the city's own task: street A sees only its assignment
    assert list(refused.value.message_dict) == ["task"]


def test_only_the_organizing_level_keeps_a_meeting(tree, cast, make_meeting):
    for actor in (cast.worker, cast.street_b, cast.resident):
        with pytest.raises(PermissionDenied):
            make_meeting(actor=actor)
    meeting = make_meeting()
    with pytest.raises(PermissionDenied):
        services.update_site_meeting(actor=cast.secretary, meeting=meeting, practice="x")
    with pytest.raises(PermissionDenied):
        services.add_lesson(actor=cast.street_b, meeting=meeting, text="经验")
    assert not SiteMeeting.objects.exclude(pk=meeting.pk).exists()


def test_editing_what_it_shows(tree, cast, make_meeting, orgs):
    meeting = make_meeting()
    services.update_site_meeting(
        actor=cast.street_a,
        meeting=meeting,
        shows="practice",
        practice_area=tree.community_a,
        practice="红色物业",
        visiting_orgs=[orgs.community_a],
        agenda="新议程",
    )
    meeting.refresh_from_db()
    assert (meeting.shows, meeting.task, meeting.practice) == ("practice", None, "红色物业")
    assert list(meeting.visiting_orgs.all()) == [orgs.community_a]
    assert meeting.gathering.description == "新议程"


def test_a_lesson_becomes_a_task_of_the_organizing_level(tree, cast, make_meeting, affair, today):
    meeting = make_meeting()
    lesson = services.add_lesson(actor=cast.street_a, meeting=meeting, text="推广院落党小组议事经验")
    with pytest.raises(ValidationError) as rule:  # THE RULE of admission: a task to communities
        services.lesson_to_task(
            actor=cast.street_a,
            lesson=lesson,
            deadline=today + timedelta(days=20),
            target_level=Level.COMMUNITY,
        )
    assert "affair" in rule.value.message_dict
    task = services.lesson_to_task(
        actor=cast.street_a,
        lesson=lesson,
        deadline=today + timedelta(days=20),
        target_level=Level.COMMUNITY,
        affair=affair,
    )
    assert (task.area, task.title, task.issued_at is not None) == (tree.street_a, lesson.text, True)
    assert "院落党建现场会" in task.description
    assert DutyAssignment.objects.filter(task=task, area=tree.community_a).exists()
    assert DutyTask.objects.get(pk=task.pk).site_lesson == lesson  # the task links back to the lesson
    with pytest.raises(ValidationError):
        services.lesson_to_task(
            actor=cast.street_a, lesson=lesson, deadline=today, target_level=Level.COMMUNITY, affair=affair
        )
    assert DutyTask.objects.filter(site_lesson__isnull=False).count() == 1


# --- pages ------------------------------------------------------------------------------------------------
def test_the_list_page_filters_and_pins_its_queries(
    tree, cast, make_meeting, client_for, django_assert_max_num_queries
):
    make_meeting()
    make_meeting(shows="practice", practice_area=tree.community_a, practice="院落议事会", title="经验现场会")
    street = client_for(cast.street_a)
    url = "/assessments/site-meetings/"
    street.get(url)
    # session, user, grants, navigation… then the count, the page of meetings, their visiting organizations
    with django_assert_max_num_queries(14):
        response = street.get(url)
    assert [m.gathering.title for m in response.context["page_obj"]] == ["经验现场会", "院落党建现场会"]
    for i in range(6):
        make_meeting(title=f"现场会{i}")
    with django_assert_max_num_queries(14):
        assert len(street.get(url).context["page_obj"]) == 8
    practice = street.get(url, {"shows": "practice"}).context["page_obj"]
    assert [m.gathering.title for m in practice] == ["经验现场会"]
    assert client_for(cast.street_b).get(url).context["page_obj"].paginator.count == 0
    assert client_for(cast.street_b).get(url, {"area": tree.street_a.pk}).status_code == 404
    assert client_for(cast.resident).get(url).status_code == 403
    # the host community sees the meetings it hosts
    assert client_for(cast.secretary).get(url).context["page_obj"].paginator.count == 8


def test_create_show_edit_and_lessons_through_the_pages(
    tree, cast, client_for, street_task, when, affair, today
):
    street = client_for(cast.street_a)
    form = {
        "area": tree.street_a.pk,
        "title": "示范点现场会",
        "starts_at": timezone.localtime(when["starts_at"]).strftime("%Y-%m-%dT%H:%M"),
        "ends_at": timezone.localtime(when["ends_at"]).strftime("%Y-%m-%dT%H:%M"),
        "host_area": tree.community_a.pk,
        "shows": "task",
    }
    missing = street.post("/assessments/site-meetings/new/", form)
    assert missing.status_code == 200 and missing.context["form"].errors["task"] == ["请选择观摩的任务。"]
    response = street.post("/assessments/site-meetings/new/", {**form, "task": street_task.pk})
    meeting = SiteMeeting.objects.get()
    assert response.status_code == 302 and response.url == f"/assessments/site-meetings/{meeting.pk}/"
    page = street.get(response.url)
    assert "院落党建示范点建设" in page.content.decode()
    edit = f"/assessments/site-meetings/{meeting.pk}/edit/"
    changed = street.post(
        edit,
        {
            "host_area": tree.community_a.pk,
            "shows": "practice",
            "practice_area": tree.community_a.pk,
            "practice": "院落议事会",
        },
    )
    assert changed.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.shows, meeting.task_id) == ("practice", None)
    assert street.post(response.url, {"text": "推广议事会经验"}).status_code == 302
    lesson = Lesson.objects.get()
    task_url = f"/assessments/site-meetings/lessons/{lesson.pk}/task/"
    done = street.post(
        task_url,
        {
            "deadline": (today + timedelta(days=20)).isoformat(),
            "target_level": Level.COMMUNITY,
            "affair": affair.pk,
        },
    )
    lesson.refresh_from_db()
    assert done.status_code == 302 and done.url == f"/duties/tasks/{lesson.task_id}/"
    assert "现场会经验启示" in street.get(done.url).content.decode()
    # another street: missing everywhere; the host community sees but does not change
    outsider, host = client_for(cast.street_b), client_for(cast.secretary)
    for url in (response.url, edit, task_url):
        assert outsider.get(url).status_code == 404
    assert outsider.post(response.url, {"text": "x"}).status_code == 404
    assert host.get(response.url).status_code == 200
    assert host.get(edit).status_code == 403
    assert host.post(response.url, {"text": "x"}).status_code == 403


# --- API --------------------------------------------------------------------------------------------------
def test_every_step_through_the_api(tree, cast, orgs, api_for, street_task, when, affair, today):
    street = api_for(cast.street_a)
    body = {
        "area": tree.street_a.pk,
        "title": "示范点现场会",
        "starts_at": when["starts_at"].isoformat(),
        "ends_at": when["ends_at"].isoformat(),
        "host_area": tree.community_a.pk,
        "shows": "task",
        "task": street_task.pk,
        "visiting_orgs": [orgs.community_a.pk],
        "agenda": "观摩、交流",
    }
    assert api_for(cast.street_b).post("/api/site-meetings/", body, format="json").status_code in (400, 403)
    wrong = street.post("/api/site-meetings/", {**body, "task": None}, format="json")
    assert wrong.status_code == 400 and list(wrong.json()["errors"]) == ["task"]
    created = street.post("/api/site-meetings/", body, format="json")
    assert created.status_code == 201, created.content
    row = created.json()
    assert (row["shows_label"], row["agenda"], row["visiting_orgs"], row["lesson_count"]) == (
        "任务落实",
        "观摩、交流",
        [orgs.community_a.pk],
        0,
    )
    url = f"/api/site-meetings/{row['id']}/"
    edit = {
        "host_area": tree.community_a.pk,
        "shows": "practice",
        "practice_area": tree.community_a.pk,
        "practice": "议事会",
    }
    assert api_for(cast.street_b).put(url, edit, format="json").status_code == 404
    assert api_for(cast.secretary).put(url, edit, format="json").status_code == 403
    changed = street.put(url, edit, format="json")
    assert changed.status_code == 200 and changed.json()["task"] is None
    assert changed.json()["agenda"] == "观摩、交流"  # not sent: kept
    assert street.get("/api/site-meetings/", {"shows": "practice"}).json()["count"] == 1
    assert api_for(cast.street_b).get(url).status_code == 404
    assert api_for(cast.street_b).get("/api/site-meetings/").json()["count"] == 0
    lesson = street.post(
        "/api/site-meeting-lessons/", {"meeting": row["id"], "text": "推广经验"}, format="json"
    )
    assert lesson.status_code == 201, lesson.content
    assert (
        api_for(cast.street_b)
        .post("/api/site-meeting-lessons/", {"meeting": row["id"], "text": "x"}, format="json")
        .status_code
        == 400
    )  # a meeting outside the scope reads as missing
    task_url = f"/api/site-meeting-lessons/{lesson.json()['id']}/task/"
    step = {"deadline": (today + timedelta(days=20)).isoformat(), "target_level": Level.COMMUNITY}
    refused = street.post(task_url, step, format="json")
    assert refused.status_code == 400 and "affair" in refused.json()["errors"]
    assert (
        api_for(cast.street_b).post(task_url, {**step, "affair": affair.pk}, format="json").status_code == 404
    )
    done = street.post(task_url, {**step, "affair": affair.pk}, format="json")
    assert done.status_code == 201, done.content
    assert done.json()["task_title"] == "推广经验"
    assert street.post(task_url, {**step, "affair": affair.pk}, format="json").status_code == 400
    assert street.get(url).json()["tasked_count"] == 1


# --- 导出 Excel (imports.lists) ---------------------------------------------------------------------------
def test_the_export_holds_the_lists_meetings_and_none_of_another_street(
    tree, cast, orgs, make_meeting, client_for
):
    import io

    from django.urls import reverse
    from openpyxl import load_workbook

    from grassroots.audit.models import AuditEvent
    from tests.imports.helpers import read_xlsx

    make_meeting(visiting_orgs=[orgs.street_a, orgs.grid_a])
    make_meeting(shows="practice", practice_area=tree.community_a, practice="院落议事会", title="=1+2")
    url = reverse("imports:list_export", args=["assessments-site-meetings"])
    street = client_for(cast.street_a)
    page = street.get("/assessments/site-meetings/").content.decode()
    assert 'data-export="assessments-site-meetings"' in page
    response = street.post(url + "?shows=task")
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    rows = read_xlsx(content)["现场会"]
    assert rows[0] == [
        "会议",
        "开始时间",
        "组织单位所在区域",
        "承办区域",
        "观摩内容",
        "观摩单位",
        "经验启示",
        "已转化任务",
    ]
    assert [(r[0], r[2], r[3], r[5], r[6]) for r in rows[1:]] == [
        ("院落党建现场会", "青江街道", "桥楼社区", "青江街道党工委、第一网格党支部", 0)
    ]
    event = AuditEvent.objects.filter(kind="export").latest("pk")
    assert (event.user, event.count, event.unmasked) == (cast.street_a, 1, False)
    assert "现场会" in event.what and "shows=task" in event.what
    # the title beginning with = is text, not a formula
    everything = load_workbook(io.BytesIO(b"".join(street.post(url).streaming_content)))["现场会"]
    formula = next(row[0] for row in everything.iter_rows(min_row=2) if row[0].value == "=1+2")
    assert formula.data_type == "s" and formula.quotePrefix
    # another street: nothing of 青江街道, and 青江街道 itself is out of its scope
    other = client_for(cast.street_b)
    assert read_xlsx(b"".join(other.post(url).streaming_content))["现场会"][1:] == []
    assert other.post(url + f"?area={tree.street_a.pk}").status_code == 404
    assert client_for(cast.resident).post(url).status_code == 403
