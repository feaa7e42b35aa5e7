"""The audit trail is hash-chained: every access event and change entry has a link written with it, and
`manage.py verify_audit_chain` finds a row edited or deleted behind the platform's back (raw SQL, as a
database user would), a removed link, a cut tail and a row written around the chain. Pruning keeps the
chain verifiable; the clock verifies it daily and tells the system admins when it is broken."""

from __future__ import annotations

import itertools
from io import StringIO

import pytest
from auditlog.context import disable_auditlog
from auditlog.models import LogEntry
from django.core.management import call_command
from django.db import connection

from grassroots.audit import chain
from grassroots.audit.models import AuditEvent, AuditScope, ChainHead, ChainLink
from grassroots.audit.services import prune_audit, record_access, verify_chain
from grassroots.audit.tasks import anchor_audit_head
from grassroots.clock import registry
from grassroots.workflow.models import Notification
from tests.factories import Level, make_area, make_user

from .conftest import old_entry, old_event


def sql(statement: str, *params) -> None:
    """Tampering as someone who can switch the database's append-only triggers off (its owner, a superuser:
    the triggers of audit/dbguard.py hold against everyone else)."""
    from grassroots.audit.dbguard import opened

    with opened(), connection.cursor() as cursor:
        cursor.execute(statement, params)


def verify_command() -> tuple[int, str]:
    out, err = StringIO(), StringIO()
    try:
        call_command("verify_audit_chain", stdout=out, stderr=err)
    except SystemExit as exit_:
        return int(exit_.code), err.getvalue()
    return 0, out.getvalue()


@pytest.fixture
def trail(cast, tree):
    """Five links: sign-ins and changes of both kinds, interleaved."""
    record_access(kind=AuditEvent.Kind.LOGIN, user=cast.worker)
    cast.resident.full_name = "王小明"
    cast.resident.save()
    record_access(kind=AuditEvent.Kind.LOGOUT, user=cast.worker)
    cast.resident.phone = "13800000001"
    cast.resident.save()
    record_access(kind=AuditEvent.Kind.LOGIN_FAILED, username="nobody")
    return list(ChainLink.objects.order_by("seq"))


def middle(links, source):
    """A link of `source` that is neither the first nor the last of the chain."""
    return next(link for link in links[1:-1] if link.source == source)


def test_every_row_of_the_trail_is_linked_in_order(trail):
    rows = AuditEvent.objects.count() + LogEntry.objects.count() + AuditScope.objects.count()
    assert AuditScope.objects.count() == LogEntry.objects.count() and ChainLink.objects.count() == rows
    seqs = [link.seq for link in trail]
    assert seqs == list(range(seqs[0], seqs[0] + len(seqs)))
    for before, after in itertools.pairwise(trail):
        assert after.prev_hash == before.hash
    head = ChainHead.objects.get()
    assert (head.seq, head.hash) == (trail[-1].seq, trail[-1].hash)
    code, out = verify_command()
    assert code == 0 and out.startswith("OK: ") and head.hash in out


def test_an_edited_event_in_the_middle_is_found(trail):
    link = middle(trail, "event")
    sql(f"UPDATE {AuditEvent._meta.db_table} SET username = %s WHERE id = %s", "someone-else", link.row_id)
    code, err = verify_command()
    assert code == 1
    assert f"#{link.seq} (event {link.row_id})" in err and "记录内容已被修改" in err


def test_an_edited_change_entry_is_found(trail):
    link = middle(trail, "change")
    forged = '{"phone": ["a", "b"]}'
    sql(f"UPDATE {LogEntry._meta.db_table} SET changes = %s WHERE id = %s", forged, link.row_id)
    outcome = chain.verify()
    assert not outcome.ok
    assert (outcome.broken.seq, outcome.broken.source) == (link.seq, "change")


def test_a_deleted_row_in_the_middle_is_found(trail):
    link = middle(trail, "change")
    sql("DELETE FROM audit_auditscope WHERE entry_id = %s", link.row_id)
    sql(f"DELETE FROM {LogEntry._meta.db_table} WHERE id = %s", link.row_id)
    code, err = verify_command()
    assert code == 1 and f"#{link.seq}" in err and "记录已被删除" in err


def test_a_deleted_row_and_its_link_are_found(trail):
    link = middle(trail, "event")
    sql(f"DELETE FROM {AuditEvent._meta.db_table} WHERE id = %s", link.row_id)
    sql(f"DELETE FROM {ChainLink._meta.db_table} WHERE seq = %s", link.seq)
    outcome = chain.verify()
    assert outcome.broken.seq == link.seq and "缺少" in outcome.broken.reason


def test_a_forged_link_is_found(trail):
    """Re-hashing one edited row is not enough: the next link's prev_hash no longer matches."""
    link = middle(trail, "event")
    sql(f"UPDATE {AuditEvent._meta.db_table} SET username = %s WHERE id = %s", "forged", link.row_id)
    values = AuditEvent.objects.filter(pk=link.row_id).values(*chain.EVENT.fields).get()
    content = chain.content_hash(chain.EVENT, values)
    sql(
        f"UPDATE {ChainLink._meta.db_table} SET content_hash = %s, hash = %s WHERE seq = %s",
        content,
        chain.link_hash(link.prev_hash, content),
        link.seq,
    )
    assert chain.verify().broken.seq == link.seq + 1


def test_a_cut_tail_is_found(trail):
    last = trail[-1]
    sql(f"DELETE FROM {AuditEvent._meta.db_table} WHERE id = %s", last.row_id)
    sql(f"DELETE FROM {ChainLink._meta.db_table} WHERE seq = %s", last.seq)
    assert "链尾" in chain.verify().broken.reason


def test_a_row_written_around_the_chain_is_found(trail):
    AuditEvent.objects.bulk_create([AuditEvent(kind=AuditEvent.Kind.LOGIN, username="sneaky")])
    broken = chain.verify().broken
    assert broken.source == "event" and "不在链上" in broken.reason


def test_an_entry_moved_to_another_area_is_found(trail):
    """The area a change entry is shown in (AuditScope) is chained: moving an entry out of an area's view,
    or removing its scope, breaks the chain."""
    link = middle(trail, "scope")
    sql("UPDATE audit_auditscope SET area_path = %s WHERE entry_id = %s", "0009", link.row_id)
    broken = chain.verify().broken
    assert (broken.seq, broken.source) == (link.seq, "scope") and "记录内容已被修改" in broken.reason


def test_a_deleted_scope_is_found(trail):
    link = middle(trail, "scope")
    sql("DELETE FROM audit_auditscope WHERE entry_id = %s", link.row_id)
    code, err = verify_command()
    assert code == 1 and f"#{link.seq} (scope {link.row_id})" in err


def test_a_cut_tail_with_the_head_rewritten_is_found_against_the_anchor_file(trail, settings, tmp_path):
    """Someone who can write the database cuts the last links and sets the head back to match: the chain
    itself holds, but the head the clock recorded outside the database is ahead of it."""
    settings.AUDIT_ANCHOR_FILE = tmp_path / "anchors.log"
    assert registry.get("audit.anchor_head") is not None
    anchor_audit_head.call()
    code, out = verify_command()
    assert code == 0 and "1 recorded heads agree" in out
    last, before = trail[-1], trail[-2]
    sql(f"DELETE FROM {AuditEvent._meta.db_table} WHERE id = %s", last.row_id)
    sql(f"DELETE FROM {ChainLink._meta.db_table} WHERE seq = %s", last.seq)
    sql(f"UPDATE {ChainHead._meta.db_table} SET seq = %s, hash = %s WHERE id = 1", before.seq, before.hash)
    assert chain.verify().ok  # the database alone cannot tell
    code, err = verify_command()
    assert code == 1 and f"#{last.seq}" in err and "落后" in err


def test_a_rewritten_chain_is_found_against_the_anchor_file(trail, settings, tmp_path):
    settings.AUDIT_ANCHOR_FILE = tmp_path / "anchors.log"
    chain.anchor_head()
    head = ChainHead.objects.get()
    (tmp_path / "anchors.log").write_text(f"2026-01-01T00:00:00+08:00 {head.seq} {'f' * 64}\n")
    code, err = verify_command()
    assert code == 1 and "改写" in err
    assert not verify_chain()["ok"]


def test_links_cannot_be_changed_through_the_platform(trail):
    from grassroots.audit.models import AppendOnlyError

    with pytest.raises(AppendOnlyError):
        ChainLink.objects.filter(seq=trail[0].seq).update(hash="0")
    with pytest.raises(AppendOnlyError):
        ChainLink.objects.all().delete()


def test_deleting_a_user_is_no_tampering(db):
    someone = make_user("someone")
    record_access(kind=AuditEvent.Kind.LOGIN, user=someone)
    someone.delete()  # the actor columns become NULL (SET_NULL): the trail keeps the username
    assert chain.verify().ok
    other = make_user("other")
    event = AuditEvent.objects.create(kind=AuditEvent.Kind.LOGIN, user=other, username="other")
    sql(f"UPDATE {AuditEvent._meta.db_table} SET user_id = NULL WHERE id = %s", event.pk)
    assert not chain.verify().ok  # the user still exists: the actor was removed from the row


def test_pruning_keeps_the_chain_verifiable(settings, db):
    settings.AUDIT_RETENTION_DAYS = 180
    with disable_auditlog():
        city = make_area("雅安市", Level.CITY, code="511800")
    old_event(days=400)
    old_entry(city, days=400)
    kept = old_event(days=10)
    old_event(days=300)  # after a kept row: its link stays, marked pruned
    outcome = prune_audit()
    assert outcome["events"] == 2 and outcome["changes"] == 1
    assert chain.verify().ok, chain.verify().broken
    head = ChainHead.objects.get()
    first = ChainLink.objects.order_by("seq").first()
    assert head.anchor_seq == first.seq - 1
    assert first.row_id == kept.pk and not first.pruned
    trace = AuditEvent.objects.get(kind=AuditEvent.Kind.PRUNE)
    assert f"#{head.anchor_seq} {head.anchor_hash[:16]}" in trace.what
    # pruning again with nothing new keeps it verifiable; an edit after the anchor is still found
    prune_audit()
    assert chain.verify().ok
    sql(f"UPDATE {AuditEvent._meta.db_table} SET what = %s WHERE id = %s", "x", kept.pk)
    assert chain.verify().broken.row_id == kept.pk


def test_the_daily_check_tells_the_system_admins(cast, trail, django_capture_on_commit_callbacks):
    assert registry.get("audit.verify_chain") is not None
    assert verify_chain()["ok"] is True
    assert not Notification.objects.exists()
    link = middle(trail, "event")
    sql(f"DELETE FROM {AuditEvent._meta.db_table} WHERE id = %s", link.row_id)
    with django_capture_on_commit_callbacks(execute=True):
        summary = verify_chain()
    assert summary["ok"] is False and f"#{link.seq}" in summary["broken"]
    told = set(Notification.objects.values_list("recipient__username", flat=True))
    assert told == {"admin"}
    assert "哈希链断裂" in Notification.objects.get().verb
