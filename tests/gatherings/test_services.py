"""Every service: what it writes, and the rules it refuses to break."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from grassroots.gatherings import services
from grassroots.gatherings.models import Gathering, Participant, Status
from grassroots.workflow.models import Notification
from grassroots.workflow.selectors import timeline
from grassroots.workflow.services import TransitionRefused
from tests.factories import make_party_org, make_user
from tests.gatherings.conftest import png_upload


def test_create_gathering_writes_it_with_the_actor_as_organizer(cast, tree, make_gathering):
    gathering = make_gathering(title="  听证会：加装电梯  ", kind="hearing", capacity=30)
    gathering.refresh_from_db()
    assert gathering.title == "听证会：加装电梯"
    assert gathering.organizer == cast.street_a
    assert gathering.status == Status.PLANNED
    assert gathering.kind_label == "听证会"
    assert gathering.capacity == 30


def test_create_refuses_an_area_outside_the_actors_scope(cast, tree, make_gathering):
    with pytest.raises(PermissionDenied):
        make_gathering(actor=cast.street_b, area=tree.community_a)
    assert not Gathering.objects.exists()


def test_create_refuses_residents(cast, tree, make_gathering):
    with pytest.raises(PermissionDenied):
        make_gathering(actor=cast.resident, area=tree.courtyard_a)


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"kind": "no_such_kind"}, "kind"),
        ({"title": "  "}, "title"),
        ({"hours": -1}, "ends_at"),
        ({"capacity": 0}, "capacity"),
        ({"signup_deadline": timezone.now() + timedelta(days=9)}, "signup_deadline"),
    ],
)
def test_create_reports_bad_fields_in_chinese_on_the_field(make_gathering, fields, field):
    with pytest.raises(ValidationError) as info:
        make_gathering(**fields)
    assert field in info.value.message_dict
    assert any("\u4e00" <= ch <= "\u9fff" for ch in info.value.message_dict[field][0])


def test_party_org_must_belong_to_the_area_or_above(cast, tree, make_gathering):
    branch = make_party_org("桥楼社区党委", tree.community_a, kind="committee")
    other = make_party_org("育才社区党委", tree.community_b, kind="committee")
    assert make_gathering(party_org=branch).party_org == branch
    with pytest.raises(ValidationError) as info:
        make_gathering(party_org=other)
    assert "party_org" in info.value.message_dict


def test_update_gathering_changes_fields(cast, make_gathering):
    gathering = make_gathering()
    services.update_gathering(actor=cast.secretary, gathering=gathering, title="新名称", place="院坝")
    gathering.refresh_from_db()
    assert (gathering.title, gathering.place) == ("新名称", "院坝")


def test_update_cannot_move_a_gathering_out_of_the_actors_scope(cast, tree, make_gathering):
    gathering = make_gathering()
    with pytest.raises(PermissionDenied):
        services.update_gathering(actor=cast.secretary, gathering=gathering, area=tree.community_b)
    with pytest.raises(PermissionDenied):
        services.update_gathering(actor=cast.street_b, gathering=gathering, title="x")
    gathering.refresh_from_db()
    assert gathering.area == tree.community_a


def test_update_refuses_capacity_below_the_signed_up(cast, make_gathering):
    gathering = make_gathering(capacity=5)
    services.sign_up(user=cast.resident, gathering=gathering)
    services.sign_up(user=cast.worker, gathering=gathering)
    with pytest.raises(ValidationError) as info:
        services.update_gathering(actor=cast.street_a, gathering=gathering, capacity=1)
    assert "已报名人数（2 人）" in info.value.message_dict["capacity"][0]


def test_update_refuses_unknown_fields(cast, make_gathering):
    with pytest.raises(TypeError):
        services.update_gathering(actor=cast.street_a, gathering=make_gathering(), status="held")


def test_cancel_gathering_notifies_participants_on_commit(
    cast, make_gathering, django_capture_on_commit_callbacks
):
    gathering = make_gathering()
    services.sign_up(user=cast.resident, gathering=gathering)
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_gathering(actor=cast.secretary, gathering=gathering, reason="暴雨")
    gathering.refresh_from_db()
    assert (gathering.status, gathering.cancel_reason) == (Status.CANCELLED, "暴雨")
    note = Notification.objects.get(recipient=cast.resident)
    assert "已取消" in note.verb and gathering.title in note.verb
    with pytest.raises(TransitionRefused) as refused:
        services.cancel_gathering(actor=cast.secretary, gathering=gathering)
    assert refused.value.code == "state"
    with pytest.raises(ValidationError):
        services.update_gathering(actor=cast.secretary, gathering=gathering, title="x")
    assert [(e.log.transition, e.actor, e.comment) for e in timeline(gathering)] == [
        ("start", cast.street_a, ""),
        ("cancel", cast.secretary, "暴雨"),
    ]


def test_mark_held_only_after_the_start(cast, make_gathering, ongoing):
    with pytest.raises(TransitionRefused) as refused:
        services.mark_held(actor=cast.street_a, gathering=make_gathering())
    assert (refused.value.code, refused.value.message) == ("condition", "会议活动尚未开始。")
    with pytest.raises(TransitionRefused) as refused:
        services.mark_held(actor=cast.resident, gathering=ongoing)
    assert refused.value.code == "permission"
    services.mark_held(actor=cast.street_a, gathering=ongoing)
    ongoing.refresh_from_db()
    assert ongoing.status == Status.HELD and ongoing.held_at is not None
    with pytest.raises(TransitionRefused):
        services.mark_held(actor=cast.street_a, gathering=ongoing)
    log = [(e.log.transition, e.log.from_state, e.log.to_state) for e in timeline(ongoing)]
    assert log == [("start", "", "planned"), ("mark_held", "planned", "held")]


def test_the_state_is_only_changed_by_a_step(cast, ongoing):
    with pytest.raises(AttributeError):
        ongoing.status = Status.HELD


def test_invite_adds_people_and_notifies_them_once(cast, make_gathering, django_capture_on_commit_callbacks):
    gathering = make_gathering(visibility="invited")
    with django_capture_on_commit_callbacks(execute=True):
        first = services.invite(actor=cast.secretary, gathering=gathering, users=[cast.resident, cast.worker])
        again = services.invite(actor=cast.secretary, gathering=gathering, users=[cast.resident])
    assert {p.user for p in first} == {cast.resident, cast.worker}
    assert again == []
    assert Participant.objects.filter(gathering=gathering, invited_at__isnull=False).count() == 2
    assert Notification.objects.filter(recipient=cast.resident).count() == 1


def test_invite_refuses_people_from_elsewhere(cast, tree, make_gathering):
    stranger = make_user("stranger", home_area=tree.community_b)
    gathering = make_gathering()
    with pytest.raises(ValidationError) as info:
        services.invite(actor=cast.street_a, gathering=gathering, users=[stranger])
    assert "不能邀请" in info.value.message_dict["users"][0]
    # Officials above the area may be invited.
    services.invite(actor=cast.street_a, gathering=gathering, users=[cast.city])
    with pytest.raises(PermissionDenied):
        services.invite(actor=cast.resident, gathering=gathering, users=[cast.worker])


def test_sign_up_and_cancel_sign_up(cast, make_gathering):
    gathering = make_gathering()
    participant = services.sign_up(user=cast.resident, gathering=gathering)
    assert participant.is_signed_up
    with pytest.raises(ValidationError, match="已报名"):
        services.sign_up(user=cast.resident, gathering=gathering)
    services.cancel_sign_up(user=cast.resident, gathering=gathering)
    assert not Participant.objects.filter(gathering=gathering).exists()
    with pytest.raises(ValidationError, match="尚未报名"):
        services.cancel_sign_up(user=cast.resident, gathering=gathering)


def test_cancel_sign_up_keeps_the_invitation(cast, make_gathering):
    gathering = make_gathering(visibility="invited")
    services.invite(actor=cast.street_a, gathering=gathering, users=[cast.resident])
    services.sign_up(user=cast.resident, gathering=gathering)
    services.cancel_sign_up(user=cast.resident, gathering=gathering)
    participant = Participant.objects.get(gathering=gathering, user=cast.resident)
    assert participant.is_invited and not participant.is_signed_up


def test_sign_up_rules(cast, tree, make_gathering):
    closed = make_gathering(signup_open=False)
    with pytest.raises(ValidationError, match="未开放报名"):
        services.sign_up(user=cast.resident, gathering=closed)
    late = make_gathering(signup_deadline=timezone.now() - timedelta(minutes=1))
    with pytest.raises(ValidationError, match="报名已截止"):
        services.sign_up(user=cast.resident, gathering=late)
    invited_only = make_gathering(visibility="invited")
    with pytest.raises(PermissionDenied):  # the resident cannot even see it
        services.sign_up(user=cast.resident, gathering=invited_only)
    with pytest.raises(ValidationError, match="仅限受邀"):  # the worker sees it but is not invited
        services.sign_up(user=cast.worker, gathering=invited_only)
    services.invite(actor=cast.street_a, gathering=invited_only, users=[cast.resident])
    assert services.sign_up(user=cast.resident, gathering=invited_only).is_signed_up
    elsewhere = make_gathering(area=tree.community_b, actor=cast.street_b)
    with pytest.raises(PermissionDenied):
        services.sign_up(user=cast.resident, gathering=elsewhere)


def test_cancel_sign_up_refused_after_the_start(cast, make_gathering):
    started = make_gathering(
        starts_in=timedelta(minutes=-10), signup_deadline=timezone.now() + timedelta(minutes=30)
    )
    services.sign_up(user=cast.resident, gathering=started)  # sign-up may run into the gathering
    with pytest.raises(ValidationError, match="已开始"):
        services.cancel_sign_up(user=cast.resident, gathering=started)


def test_check_in_during_the_gathering_only(cast, make_gathering, ongoing):
    participant = services.check_in(user=cast.resident, gathering=ongoing)
    assert participant.present is True and participant.checked_in_at is not None
    with pytest.raises(ValidationError, match="签到时间"):
        services.check_in(user=cast.resident, gathering=make_gathering())
    # from 30 minutes before the start
    soon = make_gathering(starts_in=timedelta(minutes=20))
    assert services.check_in(user=cast.resident, gathering=soon).present is True


def test_check_in_to_an_invited_only_gathering_needs_an_invitation(cast, make_gathering):
    gathering = make_gathering(visibility="invited", starts_in=timedelta(minutes=-5))
    with pytest.raises(ValidationError, match="仅限受邀"):
        services.check_in(user=cast.worker, gathering=gathering)
    services.invite(actor=cast.street_a, gathering=gathering, users=[cast.worker])
    assert services.check_in(user=cast.worker, gathering=gathering).present is True


def test_record_attendance(cast, make_gathering, ongoing):
    services.sign_up(user=cast.resident, gathering=ongoing)
    services.record_attendance(
        actor=cast.worker, gathering=ongoing, person=cast.resident, present=False, reason="生病"
    )
    participant = Participant.objects.get(gathering=ongoing, user=cast.resident)
    assert (participant.present, participant.absence_reason) == (False, "生病")
    assert participant.attendance_recorded_by == cast.worker
    services.record_attendance(actor=cast.worker, gathering=ongoing, person=cast.resident, present=True)
    participant.refresh_from_db()
    assert (participant.present, participant.absence_reason) == (True, "")


def test_record_attendance_rules(cast, make_gathering, ongoing):
    with pytest.raises(ValidationError, match="参会名单"):
        services.record_attendance(actor=cast.worker, gathering=ongoing, person=cast.admin, present=True)
    with pytest.raises(PermissionDenied):
        services.record_attendance(actor=cast.resident, gathering=ongoing, person=cast.resident, present=True)
    future = make_gathering()
    services.invite(actor=cast.street_a, gathering=future, users=[cast.resident])
    # Leave may be recorded ahead; presence only once it has started.
    services.record_attendance(
        actor=cast.worker, gathering=future, person=cast.resident, present=False, reason="出差"
    )
    with pytest.raises(ValidationError, match="尚未开始"):
        services.record_attendance(actor=cast.worker, gathering=future, person=cast.resident, present=True)


def test_record_attendance_sheet_is_all_or_nothing(cast, ongoing):
    services.sign_up(user=cast.resident, gathering=ongoing)
    services.invite(actor=cast.street_a, gathering=ongoing, users=[cast.worker])
    with pytest.raises(ValidationError):
        services.record_attendance_sheet(
            actor=cast.street_a,
            gathering=ongoing,
            marks=[(cast.resident, True, ""), (cast.admin, True, "")],
        )
    assert not Participant.objects.filter(gathering=ongoing, present__isnull=False).exists()
    changed = services.record_attendance_sheet(
        actor=cast.street_a,
        gathering=ongoing,
        marks=[(cast.resident, True, ""), (cast.worker, False, "值班")],
    )
    assert changed == 2


def test_record_minutes_and_add_decision(cast, ongoing):
    services.record_minutes(actor=cast.secretary, gathering=ongoing, minutes="  议定三件事。 ")
    decision = services.add_decision(
        actor=cast.secretary, gathering=ongoing, text="修缮院坝", owner=cast.worker, due_on=date(2030, 1, 1)
    )
    ongoing.refresh_from_db()
    assert ongoing.minutes == "议定三件事。"
    assert (decision.owner, decision.due_on, decision.created_by) == (
        cast.worker,
        date(2030, 1, 1),
        cast.secretary,
    )
    with pytest.raises(ValidationError):
        services.add_decision(actor=cast.secretary, gathering=ongoing, text=" ")
    with pytest.raises(PermissionDenied):
        services.record_minutes(actor=cast.street_b, gathering=ongoing, minutes="x")


def test_add_photo_keeps_a_real_image(cast, ongoing, settings):
    photo = services.add_photo(actor=cast.worker, gathering=ongoing, image=png_upload(), caption="合影")
    assert photo.image.name.startswith("gatherings/") and photo.image.name.endswith(".png")
    assert (settings.MEDIA_ROOT / photo.image.name).exists()


@pytest.mark.parametrize(
    "upload",
    [
        SimpleUploadedFile("fake.jpg", b"not an image at all", content_type="image/jpeg"),
        SimpleUploadedFile("doc.pdf", b"%PDF-1.4\n", content_type="application/pdf"),
    ],
)
def test_add_photo_refuses_what_is_not_an_image(cast, ongoing, upload):
    with pytest.raises(ValidationError) as info:
        services.add_photo(actor=cast.worker, gathering=ongoing, image=upload)
    assert "有效的图片" in info.value.message_dict["image"][0]
    assert not ongoing.photos.exists()


def test_nothing_is_recorded_on_a_cancelled_gathering(cast, make_gathering):
    gathering = make_gathering()
    services.cancel_gathering(actor=cast.street_a, gathering=gathering)
    for call in (
        lambda: services.record_minutes(actor=cast.street_a, gathering=gathering, minutes="x"),
        lambda: services.add_decision(actor=cast.street_a, gathering=gathering, text="x"),
        lambda: services.add_photo(actor=cast.street_a, gathering=gathering, image=png_upload()),
        lambda: services.sign_up(user=cast.resident, gathering=gathering),
    ):
        with pytest.raises(ValidationError):
            call()
