"""A completed deletion request pseudonymises the person's identifiers in the audit trail's earlier entries
(name, masked phone, username of their sign-ins) and the hash chain still verifies: each changed row has a
`Redaction` with its new hash, vouched for by a chained event holding the digest of the redactions. A later
change to a redacted row, to the vouching event or a forged redaction is still reported as tampering."""

from __future__ import annotations

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import connection

from grassroots.accounts.models import RoleGrant, User
from grassroots.audit import chain
from grassroots.audit.models import AuditEvent, ChainLink, Redaction
from grassroots.audit.services import record_access
from grassroots.privacy.services import submit_request
from grassroots.workflow.services import transition


def sql(statement: str, *params) -> None:
    """Tampering as someone who can switch the database's append-only triggers off (its owner, a superuser:
    the triggers of audit/dbguard.py hold against everyone else)."""
    from grassroots.audit.dbguard import opened

    with opened(), connection.cursor() as cursor:
        cursor.execute(statement, params)


def user_entries(user) -> list[LogEntry]:
    content_type = ContentType.objects.get_for_model(User)
    return list(LogEntry.objects.filter(content_type=content_type, object_pk=str(user.pk)).order_by("pk"))


@pytest.fixture
def erased(cast):
    person = cast.resident
    person.full_name, person.phone = "王小明", "13800001234"
    person.save()  # a change entry: name, masked phone
    person.phone = "13900005678"
    person.save()
    record_access(kind=AuditEvent.Kind.LOGIN, user=person)
    before = {
        "entries": [e.pk for e in user_entries(person)],
        "login": AuditEvent.objects.get(kind=AuditEvent.Kind.LOGIN, user=person).pk,
    }
    request = submit_request(user=person, kind="deletion")
    transition(request, "complete", actor=cast.street_a)
    request.refresh_from_db()
    return person, before, request


def test_earlier_entries_lose_the_name_and_numbers_and_the_chain_verifies(erased, cast):
    person, before, request = erased
    for entry in LogEntry.objects.filter(pk__in=before["entries"]):
        text = f"{entry.object_repr} {entry.changes} {entry.serialized_data}"
        assert "王小明" not in text and "138****1234" not in text and "139****5678" not in text, text
    login = AuditEvent.objects.get(pk=before["login"])
    assert login.username == f"deleted-{person.pk}" and login.user_id == person.pk
    # the role of the grants' entries is not mistaken for the username "resident"
    grant_type = ContentType.objects.get_for_model(RoleGrant)
    assert any("resident" in str(e.changes) for e in LogEntry.objects.filter(content_type=grant_type))
    assert Redaction.objects.count() >= 3
    event = AuditEvent.objects.get(what__contains="审计记录假名化")
    assert event.user == cast.street_a and event.what.startswith(f"删除申请 #{request.pk}")
    assert "审计记录：假名化" in request.outcome
    assert chain.verify().ok


def test_a_redacted_row_changed_again_is_found(erased):
    _person, before, _request = erased
    row = before["login"]
    sql(f"UPDATE {AuditEvent._meta.db_table} SET username = %s WHERE id = %s", "someone-else", row)
    outcome = chain.verify()
    assert not outcome.ok and outcome.broken.row_id == row


def test_a_changed_vouching_event_is_found(erased):
    event = AuditEvent.objects.get(what__contains="审计记录假名化")
    changed = event.what[:-1] + ("1" if event.what.endswith("0") else "0")  # a digest may end in 0 already
    sql(f"UPDATE {AuditEvent._meta.db_table} SET what = %s WHERE id = %s", changed, event.pk)
    assert not chain.verify().ok


def test_a_forged_redaction_does_not_cover_an_edit(erased, cast):
    event = AuditEvent.objects.get(what__contains="审计记录假名化")
    other = AuditEvent.objects.filter(user=cast.street_a).exclude(pk=event.pk).first()
    if other is None:
        other = record_access(kind=AuditEvent.Kind.LOGIN, user=cast.street_a)
    sql(f"UPDATE {AuditEvent._meta.db_table} SET username = %s WHERE id = %s", "forged", other.pk)
    values = AuditEvent.objects.filter(pk=other.pk).values(*chain.EVENT.fields).get()
    Redaction.objects.create(
        source=ChainLink.Source.EVENT,
        row_id=other.pk,
        content_hash=chain.content_hash(chain.EVENT, values),
        event_id=event.pk,
    )
    outcome = chain.verify()
    assert not outcome.ok  # the event no longer vouches for its redactions: the first one breaks


def _member_of(user, tree, name: str, visitor):
    from datetime import date

    from grassroots.core.members.models import CareVisit, Member
    from tests.factories import make_party_org
    from tests.members.fixtures_precisions import new_id_number

    branch = make_party_org(f"{name}{user.pk}支部", tree.community_a)
    member = Member.objects.create(
        name=name,
        gender="male",
        birth_date=date(1980, 5, 1),
        id_number=new_id_number(date(1980, 5, 1)),
        branch=branch,
        joined_probationary_on=date(2005, 7, 1),
        user=user,
    )
    visit = CareVisit.objects.create(member=member, visitor=visitor, kind="illness", notes="住院")
    return member, visit


def entries_about(record) -> str:
    content_type = ContentType.objects.get_for_model(type(record))
    return " ".join(
        f"{e.object_repr} {e.changes}"
        for e in LogEntry.objects.filter(content_type=content_type, object_pk=str(record.pk))
    )


def test_a_deletion_finds_entries_by_identity_and_a_namesake_keeps_theirs(cast, tree):
    """The person's account, their member record and its care visits (two steps from the account: named by
    the members part's `records`) lose the name; a namesake's account, record and visit keep it, also where
    their entries' text holds the same name."""
    from grassroots.accounts.roles import Role
    from tests.factories import make_user

    person = cast.resident
    namesake = make_user("namesake", Role.RESIDENT, tree.courtyard_a, home_area=tree.courtyard_a)
    for user in (person, namesake):
        user.full_name = "陈同名"
        user.save()
    mine, my_visit = _member_of(person, tree, "陈同名", cast.worker)
    theirs, their_visit = _member_of(namesake, tree, "陈同名", cast.worker)
    record_access(kind=AuditEvent.Kind.LOGIN, user=namesake)
    assert "陈同名" in entries_about(my_visit) + entries_about(mine)

    request = submit_request(user=person, kind="deletion")
    transition(request, "complete", actor=cast.street_a)

    for record in (person, mine, my_visit):
        assert "陈同名" not in entries_about(record), record
    for record in (namesake, theirs, their_visit):
        assert "陈同名" in entries_about(record), record
    login = AuditEvent.objects.get(kind=AuditEvent.Kind.LOGIN, user=namesake)
    assert login.username == namesake.username
    assert chain.verify().ok
