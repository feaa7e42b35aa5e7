"""Environmental actions (绿美雅安·党员先行): gatherings of their own kinds with sign-up (capacity, cancel),
check-in by the organizer or by the resident with the code shown on site (once), photos served only in scope;
the calendar and /api/events/ show a user only what they may see; query counts of the lists."""

import io
import threading
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, connections
from PIL import Image

from grassroots.accounts.roles import Role
from grassroots.gatherings import services as gatherings
from grassroots.gatherings.models import Participant
from grassroots.virtue import services_brands as services
from grassroots.virtue.brands_setup import ENV_CLEANUP, ENV_SORTING
from tests.factories import make_user

TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 5, 12, 9, 30, tzinfo=TZ)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def pinned(time_machine):
    time_machine.move_to(NOW, tick=False)
    return NOW


def action(cast, tree, *, days=2, capacity=None, kind=ENV_CLEANUP, area=None):
    start = NOW + timedelta(days=days)
    return services.create_environmental_action(
        actor=cast.worker,
        area=area or tree.community_a,
        kind=kind,
        title="青衣江畔清洁行动",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        place="社区广场",
        capacity=capacity,
    )


def jpeg() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (40, 140, 60)).save(buffer, "JPEG")
    return SimpleUploadedFile("site.jpg", buffer.getvalue(), content_type="image/jpeg")


def test_create_refusals(cast, tree, pinned):
    made = action(cast, tree, capacity=2)
    assert made.gathering.signup_open and len(made.check_in_code) == 6 and made.check_in_code.isdigit()
    with pytest.raises(ValidationError) as info:
        action(cast, tree, area=tree.community_b)
    assert "area" in info.value.message_dict
    with pytest.raises(ValidationError) as info:
        action(cast, tree, kind="lecture")
    assert "kind" in info.value.message_dict
    with pytest.raises(PermissionDenied):
        services.create_environmental_action(
            actor=cast.resident,
            area=tree.community_a,
            kind=ENV_CLEANUP,
            title="x",
            starts_at=NOW + timedelta(days=1),
            ends_at=NOW + timedelta(days=1, hours=1),
        )


def test_sign_up_capacity_and_cancel(cast, tree, pinned):
    made = action(cast, tree, capacity=1)
    gatherings.sign_up(user=cast.resident, gathering=made.gathering)
    other = make_user("neighbour", Role.RESIDENT, tree.courtyard_a, home_area=tree.courtyard_a)
    with pytest.raises(ValidationError) as info:
        gatherings.sign_up(user=other, gathering=made.gathering)
    assert info.value.code == "full"
    gatherings.cancel_sign_up(user=cast.resident, gathering=made.gathering)
    gatherings.sign_up(user=other, gathering=made.gathering)
    assert (
        Participant.objects.filter(gathering=made.gathering, signed_up_at__isnull=False).get().user == other
    )


def test_check_in_with_the_code_once(cast, tree, time_machine):
    time_machine.move_to(NOW, tick=False)
    made = action(cast, tree, days=1)
    gathering = made.gathering
    gatherings.sign_up(user=cast.resident, gathering=gathering)
    time_machine.move_to(gathering.starts_at + timedelta(minutes=5), tick=False)
    with pytest.raises(ValidationError) as info:  # the plain self check-in is refused for these kinds
        gatherings.check_in(user=cast.resident, gathering=gathering)
    assert info.value.code == "code_required"
    with pytest.raises(ValidationError) as info:
        services.check_in_with_code(user=cast.resident, gathering=gathering, code="000000x")
    assert "code" in info.value.message_dict
    participant = services.check_in_with_code(
        user=cast.resident, gathering=gathering, code=made.check_in_code
    )
    assert participant.present is True and participant.checked_in_at is not None
    with pytest.raises(ValidationError) as info:
        services.check_in_with_code(user=cast.resident, gathering=gathering, code=made.check_in_code)
    assert info.value.code == "already"
    renewed = services.renew_check_in_code(actor=cast.worker, gathering=gathering)
    other = make_user("neighbour", Role.RESIDENT, tree.courtyard_a, home_area=tree.courtyard_a)
    if renewed.check_in_code != made.check_in_code:
        with pytest.raises(ValidationError):
            services.check_in_with_code(user=other, gathering=gathering, code=made.check_in_code)
    services.check_in_with_code(user=other, gathering=gathering, code=renewed.check_in_code)
    assert Participant.objects.filter(gathering=gathering, present=True).count() == 2
    with pytest.raises(PermissionDenied):
        services.renew_check_in_code(actor=cast.street_b, gathering=gathering)


def test_the_organizer_checks_in_on_the_sheet(cast, tree, time_machine):
    time_machine.move_to(NOW, tick=False)
    made = action(cast, tree, days=1, kind=ENV_SORTING)
    gatherings.sign_up(user=cast.resident, gathering=made.gathering)
    time_machine.move_to(made.gathering.starts_at + timedelta(minutes=10), tick=False)
    gatherings.record_attendance(
        actor=cast.worker, gathering=made.gathering, person=cast.resident, present=True
    )
    assert made.gathering.participants.get(user=cast.resident).present is True
    with pytest.raises(PermissionDenied):
        gatherings.record_attendance(
            actor=cast.street_b, gathering=made.gathering, person=cast.resident, present=True
        )


def test_pages_code_check_in_and_photos_scoped(cast, tree, client_for, time_machine):
    time_machine.move_to(NOW, tick=False)
    made = action(cast, tree, days=1)
    photo = gatherings.add_photo(actor=cast.worker, gathering=made.gathering, image=jpeg(), caption="现场")
    resident = client_for(cast.resident)
    page = resident.get(f"/virtue/actions/{made.gathering.pk}/")
    assert page.status_code == 200
    assert made.check_in_code not in page.content.decode()  # the code only for organizers
    assert (
        made.check_in_code
        in client_for(cast.worker).get(f"/virtue/actions/{made.gathering.pk}/").content.decode()
    )
    assert resident.get(f"/gatherings/{made.gathering.pk}/photos/{photo.pk}/").status_code == 200
    outsider = client_for(cast.street_b)
    assert outsider.get(f"/virtue/actions/{made.gathering.pk}/").status_code == 404
    assert outsider.get(f"/gatherings/{made.gathering.pk}/photos/{photo.pk}/").status_code == 404
    time_machine.move_to(made.gathering.starts_at, tick=False)
    resident = client_for(cast.resident)  # a new day: sign in again
    wrong = resident.post(f"/virtue/actions/{made.gathering.pk}/check-in/", {"code": "abc"})
    assert wrong.status_code == 400 and "签到码不正确" in wrong.content.decode()
    ok = resident.post(f"/virtue/actions/{made.gathering.pk}/check-in/", {"code": made.check_in_code})
    assert ok.status_code == 302
    assert made.gathering.participants.get(user=cast.resident).present is True


def test_api_steps(cast, tree, api_for, time_machine):
    time_machine.move_to(NOW, tick=False)
    worker = api_for(cast.worker)
    start = NOW + timedelta(days=1)
    answer = worker.post(
        "/api/environmental-actions/",
        {
            "kind": ENV_CLEANUP,
            "title": "清洁行动",
            "area": tree.community_a.pk,
            "starts_at": start.isoformat(),
            "ends_at": (start + timedelta(hours=2)).isoformat(),
            "capacity": 1,
        },
        format="json",
    )
    assert answer.status_code == 201, answer.content
    pk, code = answer.json()["id"], answer.json()["check_in_code"]
    resident = api_for(cast.resident)
    listed = resident.get("/api/environmental-actions/").json()["results"]
    assert [row["id"] for row in listed] == [pk] and listed[0]["check_in_code"] is None
    assert resident.post(f"/api/environmental-actions/{pk}/sign-up/").json()["me_signed_up"] is True
    other = make_user("neighbour", Role.RESIDENT, tree.courtyard_a, home_area=tree.courtyard_a)
    assert api_for(other).post(f"/api/environmental-actions/{pk}/sign-up/").status_code == 400
    assert api_for(cast.street_b).post(f"/api/environmental-actions/{pk}/sign-up/").status_code == 404
    time_machine.move_to(start, tick=False)
    assert resident.post(f"/api/environmental-actions/{pk}/check-in/", {"code": "111"}).status_code == 400
    checked = resident.post(f"/api/environmental-actions/{pk}/check-in/", {"code": code})
    assert checked.status_code == 200 and checked.json()["me_present"] is True
    assert (
        worker.post(f"/api/environmental-actions/{pk}/check-in-person/", {"username": "resident"}).status_code
        == 200
    )
    assert (
        api_for(cast.street_b)
        .post(f"/api/environmental-actions/{pk}/check-in-person/", {"username": "resident"})
        .status_code
        == 404
    )


def test_calendar_and_events_scoped(cast, tree, client_for, api_for, pinned, django_assert_max_num_queries):
    mine = action(cast, tree, days=3)
    elsewhere = services.create_environmental_action(
        actor=cast.street_b,
        area=tree.community_b,
        kind=ENV_CLEANUP,
        title="育才社区清洁",
        starts_at=NOW + timedelta(days=3),
        ends_at=NOW + timedelta(days=3, hours=1),
    )
    month = (NOW + timedelta(days=3)).strftime("%Y-%m")
    page = client_for(cast.resident).get(f"/virtue/calendar/?month={month}")
    assert page.status_code == 200
    body = page.content.decode()
    assert mine.gathering.title in body and elsewhere.gathering.title not in body
    outsider = client_for(cast.street_b).get(f"/virtue/calendar/?month={month}").content.decode()
    assert mine.gathering.title not in outsider and elsewhere.gathering.title in outsider
    api = api_for(cast.resident)
    rows = api.get(f"/api/events/?month={month}&kind={ENV_CLEANUP}").json()["results"]
    assert [row["id"] for row in rows] == [mine.gathering.pk]
    assert api.get("/api/events/?month=2027-13").status_code == 400
    assert api_for(cast.street_b).get(f"/api/events/{mine.gathering.pk}/").status_code == 404
    for i in range(4):
        action(cast, tree, days=4 + i)
    with django_assert_max_num_queries(12):
        assert api.get(f"/api/events/?month={month}").status_code == 200
    with django_assert_max_num_queries(12):
        assert api.get("/api/environmental-actions/").status_code == 200


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs a server database for real concurrency")
@pytest.mark.django_db(transaction=True)
def test_concurrent_sign_ups_never_overbook(cast, tree):
    start = datetime.now(TZ) + timedelta(days=2)
    made = services.create_environmental_action(
        actor=cast.worker,
        area=tree.community_a,
        kind=ENV_CLEANUP,
        title="并发报名",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        capacity=2,
    )
    people = [
        make_user(f"r{i}", Role.RESIDENT, tree.courtyard_a, home_area=tree.courtyard_a) for i in range(6)
    ]
    barrier = threading.Barrier(len(people))
    outcomes: list[str] = []
    lock = threading.Lock()

    def attempt(user):
        try:
            barrier.wait()
            gatherings.sign_up(user=user, gathering=made.gathering)
            result = "ok"
        except ValidationError as exc:
            result = exc.code
        finally:
            connections.close_all()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=attempt, args=(user,)) for user in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["full"] * 4 + ["ok"] * 2
    assert Participant.objects.filter(gathering=made.gathering, signed_up_at__isnull=False).count() == 2


def test_the_action_export_holds_what_the_user_sees(cast, tree, client_for, pinned):
    from django.urls import reverse

    from grassroots.audit.models import AuditEvent
    from tests.imports.helpers import read_xlsx

    made = action(cast, tree, capacity=20)
    gatherings.sign_up(user=cast.resident, gathering=made.gathering)
    services.create_environmental_action(
        actor=cast.street_b,
        area=tree.community_b,
        kind=ENV_SORTING,
        title="育才社区垃圾分类",
        starts_at=NOW + timedelta(days=3),
        ends_at=NOW + timedelta(days=3, hours=1),
    )
    url = reverse("imports:list_export", args=["virtue-actions"])
    street = client_for(cast.street_a)
    assert 'data-export="virtue-actions"' in street.get(reverse("virtue:action_list")).content.decode()
    rows = read_xlsx(b"".join(street.post(url).streaming_content))["环保行动"]
    assert rows[0] == ["活动名称", "类型", "所在区域", "开始时间", "地点", "名额", "已报名", "状态"]
    assert [(r[0], r[2], r[4], r[5], r[6]) for r in rows[1:]] == [
        ("青衣江畔清洁行动", "桥楼社区", "社区广场", 20, 1)
    ]
    assert AuditEvent.objects.filter(kind="export", user=cast.street_a).count() == 1
    theirs = read_xlsx(b"".join(client_for(cast.street_b).post(url).streaming_content))["环保行动"]
    assert [r[0] for r in theirs[1:]] == ["育才社区垃圾分类"]
