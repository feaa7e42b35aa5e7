"""Joint meetings and their follow-up: a body with its member units, a meeting as a gathering (agenda,
minutes, the units' attendance), each decision an action item on the workflow (open → done with evidence →
verified, or sent back with the reason), overdue ones reminded by the clock, the scope (another street's
official, another unit's representative: 404), the board and the lists in a fixed number of queries, and
the figures."""

from datetime import timedelta

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from grassroots.accounts.roles import Role
from grassroots.cogov import selectors_meetings, services_meetings
from grassroots.cogov.models import ActionItem, ActionState, Partner
from grassroots.gatherings.models import Decision, Status
from grassroots.workflow.models import Notification, TransitionAttachment
from grassroots.workflow.services import transition
from tests.factories import make_user

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def jm(co, cast, tree, today):
    """Community A's joint-meeting body (the tea company and the school as members; a representative for
    each), and a meeting that began an hour ago."""
    school_rep = make_user("school_rep", Role.PARTNER_REP, tree.community_a)
    co.school.representatives.add(school_rep)
    body = services_meetings.save_body(
        actor=cast.secretary,
        area=tree.community_a,
        host=co.org,
        name="桥楼社区共建联席会议",
        members=[co.tea, co.school],
    )
    now = timezone.now()
    meeting = services_meetings.schedule_meeting(
        actor=cast.secretary,
        body=body,
        title="第二季度联席会议",
        starts_at=now - timedelta(hours=1),
        ends_at=now + timedelta(hours=1),
        place="社区会议室",
        agenda="一、通报共建项目\n二、议定停车整治分工",
    )
    co.school_rep, co.body, co.meeting = school_rep, body, meeting
    return co


def _item(jm, actor, *, due_in=10, owner=None, text="完善小区停车标识"):
    return services_meetings.record_decision(
        actor=actor,
        meeting=jm.meeting,
        text=text,
        due_on=timezone.localdate() + timedelta(days=due_in),
        owner_partner=owner or jm.tea,
    )


def test_meeting_is_a_gathering_with_agenda_minutes_and_units_attendance(jm, cast, api_for):
    gathering = jm.meeting.gathering
    assert gathering.kind == "joint_meeting" and gathering.area == jm.body.area
    assert gathering.description.startswith("一、通报")
    api = api_for(cast.secretary)
    url = f"/api/joint-meetings/{jm.meeting.pk}/"
    answer = api.post(
        url + "attendance/",
        {
            "rows": [
                {"partner": jm.tea.pk, "present": True, "attendee": "王经理"},
                {"partner": jm.school.pk, "present": False},
            ]
        },
        format="json",
    )
    assert answer.status_code == 200, answer.content
    assert {(a["partner"], a["present"]) for a in answer.json()["attendance"]} == {
        (jm.tea.pk, True),
        (jm.school.pk, False),
    }
    # a unit that is not a member is refused at the field, nothing written
    answer = api.post(
        url + "attendance/", {"rows": [{"partner": jm.other.pk, "present": True}]}, format="json"
    )
    assert answer.status_code == 400 and "rows" in answer.json()["errors"]
    assert jm.meeting.attendance.count() == 2
    assert api.post(url + "minutes/", {"minutes": "会议议定三项"}, format="json").status_code == 200
    assert api.post(url + "held/", {}, format="json").status_code == 200
    # a second time the workflow refuses the step: the API's refusal (400, the state named), never a 500
    again = api.post(url + "held/", {}, format="json")
    assert again.status_code == 400 and "已召开" in again.json()["detail"]
    gathering.refresh_from_db()
    assert gathering.minutes == "会议议定三项" and gathering.status == Status.HELD
    held = selectors_meetings.meetings_attended([jm.tea.pk, jm.school.pk], timezone.localdate().year)
    assert held == {jm.tea.pk: {"recorded": 1, "attended": 1}, jm.school.pk: {"recorded": 1, "attended": 0}}


def test_decision_done_with_evidence_sent_back_then_verified(
    jm, cast, api_for, client_for, django_capture_on_commit_callbacks
):
    secretary = api_for(cast.secretary)
    with django_capture_on_commit_callbacks(execute=True):
        answer = secretary.post(
            f"/api/joint-meetings/{jm.meeting.pk}/decisions/",
            {
                "text": "完善小区停车标识",
                "due_on": str(timezone.localdate() + timedelta(days=10)),
                "owner_partner": jm.tea.pk,
            },
            format="json",
        )
    assert answer.status_code == 201, answer.content
    item = ActionItem.objects.get(pk=answer.json()["id"])
    assert item.state == ActionState.OPEN and item.decision.gathering == jm.meeting.gathering
    assert Decision.objects.filter(gathering=jm.meeting.gathering).count() == 1
    assert Notification.objects.filter(recipient=jm.rep, verb__contains="交办").exists()
    # on the representative's worklist, with the step to report it done
    rep = api_for(jm.rep)
    assert [i.pk for i in ActionItem.pending_for(jm.rep)] == [item.pk]
    assert "complete" in rep.get(f"/api/action-items/{item.pk}/").json()["actions"]
    assert secretary.get(f"/api/action-items/{item.pk}/").json()["actions"] == []
    # the note is required; then done with the evidence file
    url = f"/api/action-items/{item.pk}/transitions/"
    assert rep.post(url + "complete/", {"comment": ""}, format="multipart").status_code == 400
    evidence = SimpleUploadedFile("整改照片.pdf", PDF, content_type="application/pdf")
    with django_capture_on_commit_callbacks(execute=True):
        answer = rep.post(url + "complete/", {"comment": "已安装标识牌 12 块", "attachments": [evidence]})
    assert answer.status_code == 200, answer.content
    assert answer.json()["state"] == "done"
    assert TransitionAttachment.objects.filter(log__object_id=item.pk, name="整改照片.pdf").exists()
    assert Notification.objects.filter(recipient=cast.secretary, verb__contains="报告完成").exists()
    # only the host verifies or sends back; the representative may not
    assert rep.post(url + "verify/", {}, format="json").status_code == 403
    assert secretary.post(url + "send_back/", {"comment": ""}, format="json").status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        answer = secretary.post(url + "send_back/", {"comment": "缺少3号楼的标识"}, format="json")
    assert answer.json()["state"] == "open" and answer.json()["sent_back_reason"] == "缺少3号楼的标识"
    assert Notification.objects.filter(recipient=jm.rep, verb__contains="缺少3号楼").exists()
    # done again on the page (the workflow's button), verified by the host on the page
    page = client_for(jm.rep)
    detail = page.get(f"/cogov/action-items/{item.pk}/")
    assert detail.status_code == 200 and "报告完成" in detail.content.decode()
    from django.contrib.contenttypes.models import ContentType

    ct = ContentType.objects.get_for_model(ActionItem).pk
    page.post(f"/workflow/{ct}/{item.pk}/complete/", {"comment": "已补齐"})
    item.refresh_from_db()
    assert item.state == ActionState.DONE
    client_for(cast.secretary).post(f"/workflow/{ct}/{item.pk}/verify/", {"comment": ""})
    item.refresh_from_db()
    assert item.state == ActionState.VERIFIED and item.verified_at is not None
    assert item.on_time is True


def test_overdue_listed_first_and_reminded_by_the_clock(jm, cast, django_capture_on_commit_callbacks):
    late = _item(jm, cast.secretary, due_in=2, text="清理楼道杂物")
    later = _item(jm, cast.secretary, due_in=30, text="开展义诊")
    from grassroots.cogov.tasks import remind_overdue_actions

    day = late.due_on + timedelta(days=1)
    with time_machine.travel(timezone.make_aware(timezone.datetime(day.year, day.month, day.day, 8, 40))):
        assert [i.pk for i in selectors_meetings.action_item_list(cast.secretary)] == [late.pk, later.pk]
        with django_capture_on_commit_callbacks(execute=True):
            assert remind_overdue_actions.call() == 1
            assert remind_overdue_actions.call() == 0  # once, however often the clock runs
    told = set(
        Notification.objects.filter(verb__contains="逾期").values_list("recipient__username", flat=True)
    )
    assert {"rep", "secretary", "worker"} <= told
    assert not told & {"street_b", "school_rep", "street_a"}
    # reminded again a week later while it stays open; not once it is reported done
    week = day + timedelta(days=7)
    assert services_meetings.remind_overdue_actions(today=week - timedelta(days=1)) == 0
    assert services_meetings.remind_overdue_actions(today=week) == 1
    transition(late, "complete", actor=jm.rep, comment="已清理")
    assert services_meetings.remind_overdue_actions(today=week + timedelta(days=7)) == 0


def test_scope_another_street_and_another_unit_get_404(jm, cast, tree, api_for, client_for):
    item = _item(jm, cast.secretary)
    other_rep = make_user("other_rep", Role.PARTNER_REP, tree.community_b)
    jm.other.representatives.add(other_rep)
    pages = [
        f"/cogov/action-items/{item.pk}/",
        f"/cogov/joint-meetings/{jm.meeting.pk}/",
        f"/cogov/joint-meetings/bodies/{jm.body.pk}/",
    ]
    apis = [
        f"/api/action-items/{item.pk}/",
        f"/api/joint-meetings/{jm.meeting.pk}/",
        f"/api/joint-meetings/bodies/{jm.body.pk}/",
    ]
    for outsider in (cast.street_b, other_rep):
        client, api = client_for(outsider), api_for(outsider)
        for url in pages:
            assert client.get(url).status_code == 404, (outsider, url)
        for url in apis:
            assert api.get(url).status_code == 404, (outsider, url)
        answer = api.post(
            f"/api/action-items/{item.pk}/transitions/complete/", {"comment": "x"}, format="json"
        )
        assert answer.status_code == 404
        assert api.post(f"/api/joint-meetings/{jm.meeting.pk}/minutes/", {"minutes": "x"}).status_code == 404
    # the school's representative sits in the body (sees the meeting) but not the tea company's item
    school = api_for(jm.school_rep)
    assert school.get(f"/api/joint-meetings/{jm.meeting.pk}/").status_code == 200
    assert school.get(f"/api/action-items/{item.pk}/").status_code == 404
    assert client_for(jm.school_rep).get(f"/cogov/action-items/{item.pk}/").status_code == 404
    assert school.get("/api/action-items/").json()["count"] == 0
    item.refresh_from_db()
    assert item.state == ActionState.OPEN
    # the street's official above sees it, cannot verify (not the host's area)
    assert api_for(cast.street_a).get(f"/api/action-items/{item.pk}/").status_code == 200


def test_refusals_at_their_fields(jm, cast, tree):
    from django.core.exceptions import PermissionDenied, ValidationError

    with pytest.raises(ValidationError) as exc:
        services_meetings.record_decision(
            actor=cast.secretary, meeting=jm.meeting, text=" ", due_on=None, owner_partner=None
        )
    assert set(exc.value.message_dict) == {"text", "due_on", "owner_partner"}
    with pytest.raises(ValidationError) as exc:
        _item(jm, cast.secretary, owner=jm.other)
    assert "owner_partner" in exc.value.message_dict
    with pytest.raises(PermissionDenied):
        _item(jm, cast.street_b)
    with pytest.raises(ValidationError) as exc:
        services_meetings.save_body(
            actor=cast.secretary, area=tree.community_a, host=jm.org_b, name="x", members=[jm.other]
        )
    assert "host" in exc.value.message_dict
    assert ActionItem.objects.count() == 0


def test_pages_meeting_flow(jm, cast, client_for):
    client = client_for(cast.secretary)
    url = f"/cogov/joint-meetings/{jm.meeting.pk}/"
    assert client.get(url).status_code == 200
    answer = client.post(
        url,
        {
            "action": "decision",
            "decision-text": "开展义诊",
            "decision-owner_partner": jm.school.pk,
            "decision-due_on": "",
        },
    )
    assert answer.status_code == 200
    assert "due_on" in answer.context["decision_form"].errors
    due = (timezone.localdate() + timedelta(days=5)).isoformat()
    answer = client.post(
        url,
        {
            "action": "decision",
            "decision-text": "开展义诊",
            "decision-owner_partner": jm.school.pk,
            "decision-due_on": due,
        },
    )
    assert answer.status_code == 302
    client.post(
        url, {"action": "attendance", f"att-present_{jm.tea.pk}": "on", f"att-attendee_{jm.tea.pk}": "王"}
    )
    assert set(jm.meeting.attendance.values_list("partner_id", "present")) == {
        (jm.school.pk, False),
        (jm.tea.pk, True),
    }
    assert ActionItem.objects.get().owner_partner == jm.school
    # scheduling on the page
    answer = client.post(
        f"/cogov/joint-meetings/bodies/{jm.body.pk}/schedule/",
        {
            "title": "第三季度联席会议",
            "starts_at": "2026-08-01T09:00",
            "ends_at": "2026-08-01T11:00",
            "agenda": "",
        },
    )
    assert answer.status_code == 200 and "议程" in answer.content.decode()


def test_board_and_lists_in_a_fixed_number_of_queries(jm, cast, client_for, django_assert_max_num_queries):
    client = client_for(cast.secretary)
    client.get("/cogov/board/")  # warm the session and caches

    def measure():
        for url in ("/cogov/board/", "/cogov/action-items/", "/cogov/joint-meetings/"):
            with django_assert_max_num_queries(22):
                answer = client.get(url)
            assert answer.status_code == 200, url

    measure()
    for n in range(6):
        item = _item(jm, cast.secretary, due_in=n, text=f"事项{n}")
        if n < 3:  # decided at an earlier meeting, overdue now
            ActionItem.objects.filter(pk=item.pk).update(due_on=timezone.localdate() - timedelta(days=n + 1))
        partner = Partner.objects.create(name=f"单位{n}", kind="other", area=jm.body.area)
        jm.body.members.add(partner)
    measure()
    board = client.get("/cogov/board/").content.decode()
    assert "事项0" in board and "逾期" in board


def test_figures(jm, cast, tree):
    from grassroots.core.assessments.figures import get_provider

    year = timezone.localdate().year
    late = _item(jm, cast.secretary, due_in=0, text="逾期的")
    ActionItem.objects.filter(pk=late.pk).update(due_on=timezone.localdate() - timedelta(days=1))
    done = _item(jm, cast.secretary, due_in=5, text="按期的")
    transition(done, "complete", actor=jm.rep, comment="完成")
    targets = [tree.street_a]  # the street: its subtree
    assert get_provider("cogov.actions_done").func(targets, year)[targets[0].pk].rate == 0.5
    assert get_provider("cogov.actions_on_time").func(targets, year)[targets[0].pk].rate == 0.5
    assert get_provider("cogov.actions_not_overdue").func(targets, year)[targets[0].pk].rate == 0.5
    assert get_provider("cogov.meetings_held").func(targets, year)[targets[0].pk].rate == 0


def test_attendance_rate_for_the_partner_score(jm, cast):
    year = timezone.localdate().year
    services_meetings.record_attendance(
        actor=cast.secretary, meeting=jm.meeting, rows=[(jm.tea, True, "", ""), (jm.school, False, "", "")]
    )
    assert selectors_meetings.meeting_attendance_rate([jm.tea.pk, jm.school.pk], year) == {}  # not held yet
    services_meetings.mark_held(actor=cast.secretary, meeting=jm.meeting)
    rates = selectors_meetings.meeting_attendance_rate([jm.tea.pk, jm.school.pk, jm.other.pk], year)
    assert rates == {jm.tea.pk: 1.0, jm.school.pk: 0.0}


def test_the_partners_page_lists_its_action_items_in_the_viewers_scope(
    jm, cast, tree, client_for, api_for, django_assert_max_num_queries
):
    """The county bureau sits in community A's body and in one of street B's: its page shows each viewer the
    items they may open — street B's official only street B's, A's secretary only A's."""
    jm.body.members.add(jm.bureau)
    mine = _item(jm, cast.secretary, owner=jm.bureau, text="A社区义诊排班")
    body_b = services_meetings.save_body(
        actor=cast.street_b,
        area=tree.community_b,
        host=jm.org_b,
        name="育才社区联席会议",
        members=[jm.bureau],
    )
    now = timezone.now()
    meeting_b = services_meetings.schedule_meeting(
        actor=cast.street_b,
        body=body_b,
        title="育才社区联席会议",
        starts_at=now - timedelta(hours=1),
        ends_at=now + timedelta(hours=1),
        place="会议室",
        agenda="议定义诊",
    )
    theirs = services_meetings.record_decision(
        actor=cast.street_b,
        meeting=meeting_b,
        text="B社区健康讲座",
        due_on=timezone.localdate() + timedelta(days=5),
        owner_partner=jm.bureau,
    )
    url = f"/cogov/partners/{jm.bureau.pk}/"
    secretary, street_b = client_for(cast.secretary), client_for(cast.street_b)
    page_a = secretary.get(url).content.decode()
    assert "A社区义诊排班" in page_a and "B社区健康讲座" not in page_a
    page_b = street_b.get(url).content.decode()
    assert "B社区健康讲座" in page_b and "A社区义诊排班" not in page_b
    # the API's same list: /api/action-items/?partner=
    listed = api_for(cast.street_b).get(f"/api/action-items/?partner={jm.bureau.pk}").json()
    assert [row["id"] for row in listed["results"]] == [theirs.pk]
    assert api_for(cast.secretary).get(f"/api/action-items/?partner={jm.tea.pk}").json()["count"] == 0
    assert api_for(cast.secretary).get("/api/action-items/?partner=x").status_code == 400
    assert street_b.get(mine.get_absolute_url()).status_code == 404
    # more items do not add queries
    secretary.get(url)
    with django_assert_max_num_queries(40) as first:
        secretary.get(url)
    for n in range(5):
        _item(jm, cast.secretary, owner=jm.bureau, text=f"事项{n}")
    with django_assert_max_num_queries(len(first)):
        assert "事项4" in secretary.get(url).content.decode()


def test_the_exports_hold_the_meetings_and_items_in_scope_and_none_of_another_street(
    jm, cast, tree, client_for
):
    from django.urls import reverse

    from tests.imports.helpers import read_xlsx

    _item(jm, cast.secretary, text="=完善小区停车标识")
    body_b = services_meetings.save_body(
        actor=cast.street_b, area=tree.community_b, host=jm.org_b, name="育才社区联席会议", members=[jm.other]
    )
    now = timezone.now()
    theirs = services_meetings.schedule_meeting(
        actor=cast.street_b,
        body=body_b,
        title="育才联席会议",
        starts_at=now - timedelta(hours=1),
        ends_at=now + timedelta(hours=1),
        place="育才会议室",
        agenda="议定分工",
    )
    services_meetings.record_decision(
        actor=cast.street_b,
        meeting=theirs,
        text="育才停车整治",
        due_on=timezone.localdate() + timedelta(days=5),
        owner_partner=jm.other,
    )
    street = client_for(cast.street_a)
    for kind, page in (
        ("cogov-meetings", "/cogov/joint-meetings/"),
        ("cogov-action-items", "/cogov/action-items/"),
    ):
        assert f'data-export="{kind}"' in street.get(page).content.decode()
    meetings = reverse("imports:list_export", args=["cogov-meetings"])
    rows = read_xlsx(b"".join(street.post(meetings).streaming_content))["联席会议"]
    assert rows[0] == ["会议名称", "联席会议", "时间", "状态", "出席单位", "督办事项"]
    assert [(r[0], r[1], r[5]) for r in rows[1:]] == [("第二季度联席会议", "桥楼社区共建联席会议", 1)]
    items = reverse("imports:list_export", args=["cogov-action-items"])
    rows = read_xlsx(b"".join(street.post(items).streaming_content))["联席会议督办事项"]
    assert rows[0] == ["落实事项", "责任单位（人）", "完成期限", "状态", "逾期", "会议"]
    assert [(r[0], r[1], r[4], r[5]) for r in rows[1:]] == [
        ("=完善小区停车标识", str(jm.tea), "否", "第二季度联席会议")  # as text: the file keeps no formula
    ]
    other = client_for(cast.street_b)
    assert [
        r[0] for r in read_xlsx(b"".join(other.post(items).streaming_content))["联席会议督办事项"][1:]
    ] == ["育才停车整治"]
    assert [r[0] for r in read_xlsx(b"".join(other.post(meetings).streaming_content))["联席会议"][1:]] == [
        "育才联席会议"
    ]
    assert other.post(meetings + f"?body={jm.body.pk}").status_code == 404
    assert client_for(cast.resident).post(items).status_code == 403
