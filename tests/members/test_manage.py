"""Manage (管理): the transfer workflow (full path, refusals, cancel; each side sees its half) and the
conversion due dates of probationary members with their reminders."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from grassroots.accounts.roles import Role
from grassroots.core.members.models import ConversionReminder, Member, Transfer
from grassroots.core.members.selectors import manage as selectors
from grassroots.core.members.services import find, manage
from grassroots.core.members.tasks import remind_conversions_due
from grassroots.workflow.models import Notification, TransitionLog
from grassroots.workflow.selectors import pending_for
from tests.factories import make_user
from tests.members.fixtures_precisions import *  # noqa: F403


def fresh(transfer):
    return Transfer.objects.select_related("member", "from_branch", "to_branch").get(pk=transfer.pk)


@pytest.fixture
def transfer(cast, member, branch_b):
    return manage.request_transfer(
        actor=cast.secretary, member=member, to_branch=branch_b, reason="搬家到育才社区"
    )


def test_full_path_requested_released_received(
    cast, member, branch_b, transfer, django_capture_on_commit_callbacks
):
    receiving_secretary = make_user("yucai_branch_sec")
    branch_b.secretary = receiving_secretary
    branch_b.save()
    assert transfer.state == "requested" and transfer.from_branch_id == member.branch_id
    assert [item.url for item in pending_for(cast.secretary)] == [transfer.get_absolute_url()]
    assert pending_for(cast.street_b) == []

    with django_capture_on_commit_callbacks(execute=True):
        manage.release_transfer(
            actor=cast.secretary, transfer=fresh(transfer), letter_number="雅组转〔2025〕12号"
        )
    t = fresh(transfer)
    assert (t.state, t.letter_number) == ("released", "雅组转〔2025〕12号") and t.released_at
    assert Notification.objects.filter(recipient=receiving_secretary).exists()  # the new side is told
    assert [item.url for item in pending_for(cast.street_b)] == [transfer.get_absolute_url()]
    assert [item.url for item in pending_for(receiving_secretary)] == [transfer.get_absolute_url()]
    assert pending_for(cast.secretary) == []

    manage.take_transfer_step(actor=cast.street_b, transfer=t, name="receive", comment="已接收")
    t = fresh(transfer)
    assert t.state == "received" and t.received_at
    moved = Member.objects.get(pk=member.pk)
    assert (moved.branch_id, moved.status) == (branch_b.pk, "normal")
    ct = ContentType.objects.get_for_model(Member)
    assert TransitionLog.objects.filter(
        content_type=ct, object_id=member.pk, transition="transfer_in"
    ).exists()
    # the member is now in street B's scope and no longer in street A's
    assert Member.visible_to(cast.street_b).filter(pk=member.pk).exists()
    assert not Member.visible_to(cast.street_a).filter(pk=member.pk).exists()
    # both sides keep the transfer in their history
    assert Transfer.visible_to(cast.street_a).filter(pk=t.pk).exists()
    assert Transfer.visible_to(cast.street_b).filter(pk=t.pk).exists()


def test_a_mobile_member_received_elsewhere_is_normal_again(cast, member, branch_b):
    find.mark_mobile(actor=cast.secretary, member=member, mobile_location="育才社区")
    t = manage.request_transfer(
        actor=cast.secretary, member=Member.objects.get(pk=member.pk), to_branch=branch_b
    )
    manage.release_transfer(actor=cast.secretary, transfer=fresh(t), letter_number="12")
    manage.take_transfer_step(actor=cast.street_b, transfer=fresh(t), name="receive")
    moved = Member.objects.get(pk=member.pk)
    assert (moved.status, moved.mobile_location) == ("normal", "")


def test_each_side_sees_its_half(cast, transfer):
    assert Transfer.visible_to(cast.secretary).filter(pk=transfer.pk).exists()
    assert not Transfer.visible_to(cast.street_b).filter(pk=transfer.pk).exists()  # nothing to do yet
    manage.release_transfer(actor=cast.street_a, transfer=fresh(transfer), letter_number="12")
    assert Transfer.visible_to(cast.street_b).filter(pk=transfer.pk).exists()
    assert Transfer.visible_to(cast.secretary).filter(pk=transfer.pk).exists()
    assert not Transfer.visible_to(cast.resident).filter(pk=transfer.pk).exists()


def test_release_needs_the_letter_number_and_the_old_side(cast, transfer):
    with pytest.raises(ValidationError) as info:
        manage.release_transfer(actor=cast.secretary, transfer=fresh(transfer), letter_number="  ")
    assert info.value.message_dict == {"letter_number": ["请填写介绍信编号。"]}
    with pytest.raises(PermissionDenied):
        manage.release_transfer(actor=cast.street_b, transfer=fresh(transfer), letter_number="12")
    assert fresh(transfer).state == "requested"


def test_the_new_side_receives_not_the_old_one(cast, transfer):
    manage.release_transfer(actor=cast.secretary, transfer=fresh(transfer), letter_number="12")
    with pytest.raises(PermissionDenied):
        manage.take_transfer_step(actor=cast.secretary, transfer=fresh(transfer), name="receive")
    assert fresh(transfer).state == "released"


def test_refused_by_the_old_side_with_a_reason(cast, member, transfer):
    with pytest.raises(ValidationError) as info:
        manage.take_transfer_step(actor=cast.secretary, transfer=fresh(transfer), name="refuse_release")
    assert "comment" in info.value.message_dict
    manage.take_transfer_step(
        actor=cast.secretary, transfer=fresh(transfer), name="refuse_release", comment="党费未交清"
    )
    t = fresh(transfer)
    assert (t.state, t.refusal_reason) == ("refused", "党费未交清")
    assert Member.objects.get(pk=member.pk).branch_id == t.from_branch_id


def test_refused_by_the_new_side_leaves_the_member_where_they_were(cast, member, transfer):
    manage.release_transfer(actor=cast.secretary, transfer=fresh(transfer), letter_number="12")
    manage.take_transfer_step(
        actor=cast.street_b, transfer=fresh(transfer), name="refuse_receipt", comment="查无此人"
    )
    t = fresh(transfer)
    assert (t.state, t.refusal_reason) == ("refused", "查无此人")
    assert Member.objects.get(pk=member.pk).branch_id == t.from_branch_id
    assert Transfer.visible_to(cast.street_b).filter(pk=t.pk).exists()  # in the new side's history too


def test_the_member_asks_and_cancels_their_own_transfer(cast, tree, member, branch_b):
    me = make_user("me", Role.MEMBER, tree.courtyard_a)
    member.user = me
    member.save()
    t = manage.request_transfer(actor=me, member=member, to_branch=branch_b)
    assert Transfer.visible_to(me).filter(pk=t.pk).exists()
    manage.take_transfer_step(actor=me, transfer=fresh(t), name="cancel")
    assert fresh(t).state == "cancelled"
    with pytest.raises(PermissionDenied):
        manage.request_transfer(actor=cast.resident, member=member, to_branch=branch_b)


def test_one_open_transfer_per_member_and_sensible_targets(cast, member, branch_a, branch_b, transfer):
    with pytest.raises(ValidationError) as info:
        manage.request_transfer(actor=cast.secretary, member=member, to_branch=branch_b)
    assert "member" in info.value.message_dict
    manage.take_transfer_step(actor=cast.secretary, transfer=fresh(transfer), name="cancel")
    with pytest.raises(ValidationError) as info:
        manage.request_transfer(actor=cast.secretary, member=member, to_branch=branch_a)
    assert "to_branch" in info.value.message_dict
    manage.request_transfer(actor=cast.secretary, member=member, to_branch=branch_b)  # allowed again


def test_pages_each_side(client_for, cast, transfer):
    old, new = client_for(cast.secretary), client_for(cast.street_b)
    url = f"/members/transfers/{transfer.pk}/"
    assert old.get(url).status_code == 200
    assert new.get(url).status_code == 404
    assert new.get(f"/members/transfers/{transfer.pk}/release/").status_code == 404
    assert client_for(cast.auditor).get(f"/members/transfers/{transfer.pk}/release/").status_code == 403
    response = old.post(f"/members/transfers/{transfer.pk}/release/", {"letter_number": "", "comment": ""})
    assert response.status_code == 200 and "介绍信编号" in response.content.decode()
    response = old.post(f"/members/transfers/{transfer.pk}/release/", {"letter_number": "12号"})
    assert response.status_code == 302
    page = new.get(url)
    assert page.status_code == 200
    assert "接收" in page.content.decode()
    response = new.get("/members/transfers/")
    assert [t.pk for t in response.context["page_obj"]] == [transfer.pk]
    ct = ContentType.objects.get_for_model(Transfer)
    assert new.post(f"/workflow/{ct.pk}/{transfer.pk}/receive/", {"comment": ""}).status_code == 302
    assert fresh(transfer).state == "received"
    assert [t.pk for t in old.get("/members/transfers/?tab=history").context["page_obj"]] == [transfer.pk]


def test_a_generic_release_post_without_the_form_is_refused(client_for, cast, transfer):
    ct = ContentType.objects.get_for_model(Transfer)
    response = client_for(cast.secretary).post(f"/workflow/{ct.pk}/{transfer.pk}/release/", {"comment": ""})
    assert response.status_code == 403
    assert fresh(transfer).state == "requested"


def test_request_page_for_keepers_and_for_the_member_themself(client_for, cast, tree, member, branch_b):
    response = client_for(cast.secretary).post(
        f"/members/{member.pk}/transfers/new/", {"to_branch": branch_b.pk}
    )
    assert response.status_code == 302
    assert client_for(cast.street_b).get(f"/members/{member.pk}/transfers/new/").status_code == 404


# --- conversions -------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("joined", "due"),
    [
        (date(2024, 2, 29), date(2025, 2, 28)),
        (date(2023, 3, 1), date(2024, 3, 1)),
        (date(2023, 2, 28), date(2024, 2, 28)),
    ],
)
def test_due_dates_and_their_inverse(joined, due):
    assert manage.add_one_year(joined) == due
    cutoff = manage.joined_on_or_before_for_due(due)
    assert joined <= cutoff
    assert manage.add_one_year(cutoff + timedelta(days=1)) > due


def probationary(make_member, name, due_in_days, **fields):
    today = timezone.localdate()
    joined = manage.joined_on_or_before_for_due(today + timedelta(days=due_in_days))
    return make_member(name, joined_probationary_on=joined, joined_full_on=None, **fields)


def test_conversions_due_in_the_next_60_days_overdue_included(cast, make_member):
    probationary(make_member, "十天后", 10)
    probationary(make_member, "已过期", -5)
    probationary(make_member, "七十天后", 70)
    make_member("正式党员")
    gone = probationary(make_member, "已故", 3)
    find.change_status(actor=cast.secretary, member=gone, name="mark_deceased", comment="病故")
    rows = selectors.with_due_dates(selectors.conversions_due(cast.secretary))
    assert [m.name for m in rows] == ["已过期", "十天后"]
    assert rows[1].days_to_conversion == 10
    assert list(selectors.conversions_due(cast.street_b)) == []


def test_reminders_30_days_ahead_once_per_member_and_due_date(
    today, cast, tree, make_member, branch_a, django_capture_on_commit_callbacks
):
    branch_secretary = make_user("branch_sec")
    branch_a.secretary = branch_secretary
    branch_a.save()
    due_30 = probationary(make_member, "三十天后", 30)
    probationary(make_member, "三十一天后", 31)
    probationary(make_member, "昨天到期", -1)
    today_due = probationary(make_member, "今天到期", 0)

    with django_capture_on_commit_callbacks(execute=True):
        assert remind_conversions_due.call() == 2
    assert set(ConversionReminder.objects.values_list("member__name", flat=True)) == {"三十天后", "今天到期"}
    reminded = set(Notification.objects.values_list("recipient__username", flat=True))
    assert reminded == {"branch_sec", "secretary"}  # the branch's and the community's secretaries
    assert Notification.objects.filter(recipient=cast.secretary).count() == 2

    with django_capture_on_commit_callbacks(execute=True):
        assert remind_conversions_due.call() == 0  # idempotent
    assert Notification.objects.count() == 4

    # a corrected joining date gives a new due date: reminded again for that one
    Member.objects.filter(pk=due_30.pk).update(
        joined_probationary_on=due_30.joined_probationary_on - timedelta(days=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert remind_conversions_due.call() == 1
    assert ConversionReminder.objects.filter(member=due_30).count() == 2
    assert ConversionReminder.objects.filter(member=today_due).count() == 1


def test_on_a_leap_day_nobody_falls_due_and_the_28th_was_yesterday(
    time_machine, cast, tree, make_member, django_capture_on_commit_callbacks
):
    """Joined 28 Feb 2027: due 28 Feb 2028, overdue on the leap day; joined 1 Mar 2027: due tomorrow."""
    time_machine.move_to(datetime(2028, 2, 29, 7, 30, tzinfo=ZoneInfo("Asia/Shanghai")), tick=True)
    make_member("昨天到期", joined_probationary_on=date(2027, 2, 28), joined_full_on=None)
    make_member("明天到期", joined_probationary_on=date(2027, 3, 1), joined_full_on=None)
    with django_capture_on_commit_callbacks(execute=True):
        assert remind_conversions_due.call() == 1
    assert list(ConversionReminder.objects.values_list("member__name", "due_on")) == [
        ("明天到期", date(2028, 3, 1))
    ]


def test_conversions_page(client_for, cast, make_member, django_assert_max_num_queries):
    for i in range(12):
        probationary(make_member, f"预备{i}", i)
    client = client_for(cast.street_a)
    # session, user, grants, secretary orgs, count, unread badge, page: at most 7
    with django_assert_max_num_queries(7):
        response = client.get("/members/conversions/")
    assert len(response.context["page_obj"]) == 12
    assert client_for(cast.resident).get("/members/conversions/").status_code == 403
    assert client_for(cast.street_b).get("/members/conversions/").context["page_obj"].paginator.count == 0
