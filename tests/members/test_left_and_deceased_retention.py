"""出党 (退党, 除名, 开除党籍) is a status step of its own, on the page and in the API, closing the record;
members who left are forgotten after the departed members' period, deceased members after
MEMBERS_DECEASED_RETENTION_YEARS (clock pinned), by the clock's daily tasks, with the field list deletion
requests use; the audit trail's earlier entries about them are redacted and the hash chain still verifies,
while a namesake still in the platform keeps theirs."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from grassroots.audit import chain
from grassroots.audit.models import Redaction
from grassroots.clock.registry import discover, get
from grassroots.core.members.models import CareVisit, ContactAttempt, Member, MemberStatus
from grassroots.core.members.services import find
from grassroots.core.members.tasks import forget_deceased, forget_departed
from tests.members.fixtures_precisions import *  # noqa: F403


def entries_about(record) -> list[LogEntry]:
    content_type = ContentType.objects.get_for_model(type(record))
    return list(LogEntry.objects.filter(content_type=content_type, object_pk=str(record.pk)))


def texts(entries) -> str:
    return " ".join(f"{e.object_repr} {e.changes}" for e in entries)


def verified() -> bool:
    out = StringIO()
    call_command("verify_audit_chain", stdout=out, stderr=StringIO())
    return chain.verify().ok


def test_leaving_the_party_is_a_step_that_closes_the_record(make_member, cast, client_for, api_for):
    member = make_member("赵出党")
    page = client_for(cast.secretary).get(member.get_absolute_url()).content.decode()
    assert "登记出党" in page
    with pytest.raises(ValidationError):
        find.change_status(actor=cast.secretary, member=member, name="mark_left")  # the way is required
    find.change_status(
        actor=cast.secretary, member=member, name="mark_left", comment="除名，街道党工委2026年11月批准"
    )
    member.refresh_from_db()
    assert member.status == MemberStatus.LEFT and member.get_status_display() == "已出党"
    with pytest.raises(ValidationError):
        find.record_contact_attempt(actor=cast.secretary, member=member, method="phone")

    other = make_member("钱退党")
    answer = api_for(cast.secretary).post(
        f"/api/members/{other.pk}/transitions/mark_left/", {"comment": "本人申请退党，已批准"}, format="json"
    )
    assert answer.status_code == 200, answer.content
    assert Member.objects.get(pk=other.pk).status == MemberStatus.LEFT
    refused = api_for(cast.secretary).post(
        f"/api/members/{other.pk}/transitions/mark_left/", {"comment": "再次"}, format="json"
    )
    assert refused.status_code == 400


def test_members_who_left_are_forgotten_after_the_departed_period(make_member, cast, settings, time_machine):
    settings.MEMBERS_DEPARTED_RETENTION_YEARS = 2
    gone = make_member("孙开除", phone="13800000021", work_unit="某厂")
    find.change_status(actor=cast.secretary, member=gone, name="mark_left", comment="开除党籍")
    time_machine.move_to(timezone.now() + timedelta(days=365 * 2 - 2), tick=False)
    assert forget_departed.call()["pseudonymised"] == 0
    time_machine.move_to(timezone.now() + timedelta(days=4), tick=False)
    assert forget_departed.call() == {"pseudonymised": 1, "years": 2}
    gone = Member.objects.get(pk=gone.pk)
    assert gone.name == f"已出党党员{gone.pk}"
    assert (gone.phone, gone.id_masked, gone.work_unit, gone.status) == (None, "", "", MemberStatus.LEFT)


def test_deceased_members_are_forgotten_after_their_period_and_not_before(
    make_member, cast, settings, time_machine, today
):
    settings.MEMBERS_DECEASED_RETENTION_YEARS = 3
    gone = make_member("周已故", phone="13800000031", occupation="退休教师")
    stays = make_member("吴在册", phone="13800000032")
    visit = CareVisit.objects.create(
        member=gone, visitor=cast.worker, kind="illness", visited_on=today, help_given="慰问金", notes="住院"
    )
    contact = ContactAttempt.objects.create(member=gone, method="visit", by=cast.worker, result="家属告知")
    find.change_status(actor=cast.secretary, member=gone, name="mark_deceased", comment="2026年12月病故")

    time_machine.move_to(timezone.now() + timedelta(days=365 * 3 - 2), tick=False)
    assert forget_deceased.call()["pseudonymised"] == 0
    assert Member.objects.get(pk=gone.pk).name == "周已故"
    assert forget_departed.call()["pseudonymised"] == 0  # not the departed members' rule

    time_machine.move_to(timezone.now() + timedelta(days=4), tick=False)
    assert forget_deceased.call() == {"pseudonymised": 1, "years": 3}
    assert forget_deceased.call()["pseudonymised"] == 0  # idempotent
    gone = Member.objects.get(pk=gone.pk)
    assert gone.name == f"已故党员{gone.pk}"
    assert (gone.phone, gone.phone_masked, gone.id_masked, gone.occupation) == (None, "", "", "")
    assert gone.status == MemberStatus.DECEASED and gone.branch_id is not None
    visit.refresh_from_db()
    contact.refresh_from_db()
    assert (visit.help_given, visit.notes, contact.result) == ("", "", "")
    stays = Member.objects.get(pk=stays.pk)
    assert (stays.name, stays.phone) == ("吴在册", "13800000032")


def test_retention_redacts_earlier_audit_entries_and_the_chain_verifies(
    make_member, cast, settings, time_machine
):
    settings.MEMBERS_DECEASED_RETENTION_YEARS = 1
    gone = make_member("郑同名", phone="13800000041")
    gone.phone = "13800000042"
    gone.occupation = "个体经营"
    gone.save()  # a change entry naming the old and new masked phone and the occupation
    namesake = make_member("郑同名", phone="13800000043")
    masks = {"138****0041", "138****0042"}
    assert "郑同名" in texts(entries_about(gone)) and any(m in texts(entries_about(gone)) for m in masks)
    find.change_status(actor=cast.secretary, member=gone, name="mark_deceased", comment="病故")
    time_machine.move_to(timezone.now() + timedelta(days=400), tick=False)

    assert forget_deceased.call()["pseudonymised"] == 1
    about = texts(entries_about(gone))
    assert "郑同名" not in about and "个体经营" not in about
    assert not any(mask in about for mask in masks)
    assert f"已故党员{gone.pk}" in about
    assert Redaction.objects.exists()
    assert "郑同名" in texts(entries_about(namesake))  # keyed on the record, not on the name
    assert verified()


def test_the_deceased_task_is_on_the_clock():
    discover()
    assert get("members.forget_deceased") is not None


def test_retention_forgets_the_closed_account_and_its_sign_ins_but_not_a_namesakes(
    make_member, cast, tree, settings, time_machine
):
    """A deceased member's account, closed with the step, is pseudonymised with the record; its change
    entries and sign-ins lose the name and username; a namesake's account, record and sign-ins keep theirs
    (found by identity: the record, the account and what points at them, never by name)."""
    from grassroots.accounts.models import User
    from grassroots.accounts.roles import Role
    from grassroots.audit.models import AuditEvent
    from grassroots.audit.services import record_access
    from tests.factories import make_user

    settings.MEMBERS_DECEASED_RETENTION_YEARS = 1
    account = make_user("gone_member", Role.MEMBER, tree.community_a, full_name="冯同名")
    other = make_user("other_member", Role.MEMBER, tree.community_a, full_name="冯同名")
    gone, namesake = make_member("冯同名", user=account), make_member("冯同名", user=other)
    for user in (account, other):
        record_access(kind=AuditEvent.Kind.LOGIN, user=user)
    find.change_status(actor=cast.secretary, member=gone, name="mark_deceased", comment="病故")
    time_machine.move_to(timezone.now() + timedelta(days=400), tick=False)

    assert forget_deceased.call()["pseudonymised"] == 1
    account = User.objects.get(pk=account.pk)
    assert (account.full_name, account.username, account.is_active) == (
        f"已故党员{gone.pk}",
        f"deleted-{account.pk}",
        False,
    )
    assert "冯同名" not in texts(entries_about(account)) + texts(entries_about(gone))
    login = AuditEvent.objects.get(kind=AuditEvent.Kind.LOGIN, user=account)
    assert login.username == f"deleted-{account.pk}"
    assert "冯同名" in texts(entries_about(other)) and "冯同名" in texts(entries_about(namesake))
    assert AuditEvent.objects.get(kind=AuditEvent.Kind.LOGIN, user=other).username == "other_member"
    assert Member.objects.get(pk=namesake.pk).name == "冯同名"
    assert verified()


def test_retention_unlinks_an_account_still_in_use(make_member, cast, tree, settings, time_machine):
    """A member transferred out of the platform keeps their account (they may live here as a resident):
    retention unlinks it from the forgotten record and leaves the account as it is."""
    from grassroots.accounts.models import User
    from grassroots.accounts.roles import Role
    from tests.factories import make_user

    settings.MEMBERS_DEPARTED_RETENTION_YEARS = 1
    account = make_user("moved_away", Role.RESIDENT, tree.courtyard_a, full_name="韩转出")
    moved = make_member("韩转出", user=account)
    Member.objects.filter(pk=moved.pk).update(
        status=MemberStatus.TRANSFERRED_OUT, status_changed_at=timezone.now()
    )
    time_machine.move_to(timezone.now() + timedelta(days=400), tick=False)

    assert forget_departed.call()["pseudonymised"] == 1
    assert Member.objects.get(pk=moved.pk).user_id is None
    account = User.objects.get(pk=account.pk)
    assert (account.full_name, account.is_active) == ("韩转出", True)
    assert verified()


def test_retention_moves_what_names_the_closed_account_to_a_pseudonym(
    make_member, cast, tree, settings, time_machine
):
    """After the run, nothing outside KEEP (privacy/pseudonym.py) names the closed account — not the kept
    record, not its grants, not the steps it took: they name one new pseudonym account, as after a deletion
    request; the emptied account is left to the audit trail alone."""
    from grassroots.accounts.models import RoleGrant
    from grassroots.accounts.roles import Role
    from grassroots.privacy.pseudonym import links_to_account
    from grassroots.workflow.models import TransitionLog
    from tests.factories import make_user

    settings.MEMBERS_DECEASED_RETENTION_YEARS = 1
    account = make_user("gone_secretary", Role.COMMUNITY_SECRETARY, tree.community_a, full_name="陈已故")
    gone = make_member("陈已故", user=account)
    other = make_member("杨在册")
    find.change_status(actor=account, member=other, name="mark_lost_contact", comment="联系不上")  # a step
    step = TransitionLog.objects.get(actor=account)
    grant = RoleGrant.objects.get(user=account)
    find.change_status(actor=cast.secretary, member=gone, name="mark_deceased", comment="病故")
    time_machine.move_to(timezone.now() + timedelta(days=400), tick=False)

    assert forget_deceased.call()["pseudonymised"] == 1
    for field in links_to_account():
        rows = field.model._base_manager.filter(**{field.attname: account.pk})
        assert not rows.exists(), f"{field.model._meta.label}.{field.name} still names the closed account"
    pseudonym = Member.objects.get(pk=gone.pk).user
    assert pseudonym is not None and pseudonym.pk != account.pk and pseudonym.username.startswith("anon-")
    assert not pseudonym.is_active and pseudonym.home_area is None and pseudonym.phone == ""
    assert TransitionLog.objects.get(pk=step.pk).actor == pseudonym  # kept, by the same pseudonym
    assert RoleGrant.objects.get(pk=grant.pk).user == pseudonym
    assert verified()
