"""One writer of ACCESS entries (查看): a single read (`log_access`, through auditlog's `accessed` signal) and
a page of reads (`log_access_many`) go through `receivers.log_access_entries`, so they give the same rows —
actor, address, scope — and the same links of the hash chain (each entry, then its scope)."""

from __future__ import annotations

from auditlog.models import LogEntry
from auditlog.receivers import log_access as auditlogs_own_receiver
from auditlog.signals import accessed

from grassroots.audit import chain
from grassroots.audit.actor import log_access, log_access_many
from grassroots.audit.models import AuditScope, ChainLink
from grassroots.audit.registry import on_accessed, tracked_models

FIELDS = ("action", "actor_id", "remote_addr", "changes", "content_type_id", "object_repr")


def shape(entry: LogEntry) -> tuple:
    scope = AuditScope.objects.get(entry=entry)
    return (*(getattr(entry, f) for f in FIELDS), scope.area_path)


def test_every_tracked_model_sends_its_reads_to_the_one_writer():
    for model in tracked_models():
        receivers = accessed._live_receivers(model)
        receivers = receivers[0] if isinstance(receivers, tuple) else receivers  # sync, async (Django 5)
        assert on_accessed in receivers, model
        assert auditlogs_own_receiver not in receivers, model


def test_a_single_read_and_a_page_of_reads_write_the_same_rows_and_links(cast, tree):
    head = chain.verify().head_seq
    log_access(actor=cast.street_a, instance=tree.courtyard_a)
    single_links = list(ChainLink.objects.filter(seq__gt=head).order_by("seq"))
    single = LogEntry.objects.filter(action=LogEntry.Action.ACCESS).get()

    log_access_many(actor=cast.street_a, instances=[tree.courtyard_a, tree.community_b])
    page = list(LogEntry.objects.filter(action=LogEntry.Action.ACCESS).exclude(pk=single.pk).order_by("pk"))
    page_links = list(ChainLink.objects.filter(seq__gt=single_links[-1].seq).order_by("seq"))

    assert shape(page[0]) == shape(single)
    assert single.actor == cast.street_a and shape(page[1])[-1] == tree.community_b.path
    # entry, then its scope: for one read as for each read of a page
    assert [link.source for link in single_links] == ["change", "scope"]
    assert [link.source for link in page_links] == ["change", "scope", "change", "scope"]
    assert [link.row_id for link in page_links] == [
        page[0].pk,
        AuditScope.objects.get(entry=page[0]).pk,
        page[1].pk,
        AuditScope.objects.get(entry=page[1]).pk,
    ]
    assert chain.verify().ok
