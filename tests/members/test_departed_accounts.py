"""A departed member's linked account (docs/members.md "Accounts of departed members"): deactivated with the
step that records the death or the leaving of the Party (sessions and API tokens end with it, the change in
the audit trail); kept when the member moves to another branch of the platform."""

from __future__ import annotations

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType

from grassroots.accounts.models import ApiToken, User
from grassroots.accounts.roles import Role
from grassroots.accounts.services.tokens import issue_token
from grassroots.core.members.models import Member, MemberStatus
from grassroots.core.members.services import find, manage, records
from tests.factories import make_user
from tests.members.fixtures_precisions import *  # noqa: F403


@pytest.fixture
def linked(make_member, cast, tree):
    def make(name: str):
        user = make_user(f"u{abs(hash(name)) % 10**6}", Role.MEMBER, tree.community_a, full_name=name)
        member = records.link_user(actor=cast.secretary, member=make_member(name), user=user)
        return member, user

    return make


def _signed_in(client_for, user):
    client = client_for(user)
    assert client.get("/members/mine/").status_code == 200
    return client


@pytest.mark.parametrize(
    ("step", "comment", "status"),
    [
        ("mark_left", "除名，街道党工委2026年11月批准", MemberStatus.LEFT),
        ("mark_deceased", "病故", MemberStatus.DECEASED),
    ],
)
def test_leaving_the_party_or_dying_deactivates_the_linked_account(
    linked, cast, client_for, api_for, step, comment, status
):
    member, user = linked("赵离开")
    client = _signed_in(client_for, user)
    issue_token(user=user, name="手机")
    answer = api_for(cast.secretary).post(
        f"/api/members/{member.pk}/transitions/{step}/", {"comment": comment}, format="json"
    )
    assert answer.status_code == 200, answer.content
    user.refresh_from_db()
    assert Member.objects.get(pk=member.pk).status == status
    assert not user.is_active
    assert not ApiToken.objects.filter(user=user).exists()
    assert Member.objects.get(pk=member.pk).user_id == user.pk  # the link stays for the record's history
    answer = client.get("/members/mine/")  # the session no longer authenticates
    assert answer.status_code == 302 and "/accounts/login/" in answer["Location"]
    entry = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(User), object_pk=str(user.pk)
    ).latest("pk")
    assert entry.changes_dict["is_active"] == ["True", "False"]
    assert entry.actor_id == cast.secretary.pk


def test_a_refused_step_deactivates_nothing(linked, cast):
    member, user = linked("钱未批")
    with pytest.raises(Exception):  # noqa: B017 - the way is required: the step refused
        find.change_status(actor=cast.secretary, member=member, name="mark_left")
    user.refresh_from_db()
    assert user.is_active


def test_the_other_steps_keep_the_account(linked, cast):
    member, user = linked("孙流动")
    find.change_status(actor=cast.secretary, member=member, name="mark_lost_contact", comment="电话停机")
    user.refresh_from_db()
    assert user.is_active


def test_a_transfer_within_the_platform_keeps_the_account(linked, cast, branch_b, client_for):
    member, user = linked("李转接")
    transfer = manage.request_transfer(actor=cast.secretary, member=member, to_branch=branch_b, reason="搬家")
    manage.release_transfer(actor=cast.secretary, transfer=transfer, letter_number="12")
    transfer.refresh_from_db()
    manage.take_transfer_step(actor=cast.street_b, transfer=transfer, name="receive", comment="已接收")
    member = Member.objects.get(pk=member.pk)
    user.refresh_from_db()
    assert member.branch_id == branch_b.pk and member.user_id == user.pk
    assert user.is_active
    assert client_for(user).get("/members/mine/").status_code == 200
