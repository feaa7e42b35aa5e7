"""Writing the index: one record (on commit of its write), its removal, the whole rebuild.

The index is derived data: it is written after the record's transaction commits (`transaction.on_commit`,
the project's rule for side effects), so a rolled-back write leaves no entry and a slow segmentation never
holds the write lock. Entries are written in the site's language (Chinese), whatever the request's.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils import translation

from grassroots.search import text
from grassroots.search.kinds import KINDS, Entry, Kind
from grassroots.search.models import SearchEntry

BATCH = 500


def _fields(entry: Entry) -> dict:
    return {
        "title": text.summary(entry.title, 200),
        "summary": text.summary(entry.summary, 200),
        "place": entry.place[:100],
        "text": text.index_text(names=entry.names, texts=(*entry.texts,)),
    }


def index_record(kind_key: str, object_id: int) -> SearchEntry | None:
    """Write (or remove) the entry of one record, read afresh: a record gone has no entry."""
    kind = KINDS[kind_key]
    record = kind.rows().filter(pk=object_id).first()
    if record is None:
        remove(kind_key, object_id)
        return None
    with translation.override(settings.LANGUAGE_CODE):
        fields = _fields(kind.entry(record))
    entry, _created = SearchEntry.objects.update_or_create(
        kind=kind_key, object_id=object_id, defaults=fields
    )
    return entry


def remove(kind_key: str, object_id: int) -> None:
    SearchEntry.objects.filter(kind=kind_key, object_id=object_id).delete()


def index_on_commit(kind_key: str, object_id: int) -> None:
    """After the current transaction commits (at once outside one): bring the record's entry up to date."""
    transaction.on_commit(lambda: index_record(kind_key, object_id), robust=True)


def _rebuild_kind(kind: Kind) -> int:
    SearchEntry.objects.filter(kind=kind.key).delete()
    batch: list[SearchEntry] = []
    count = 0
    for record in kind.rows().order_by("pk").iterator(chunk_size=BATCH):
        batch.append(SearchEntry(kind=kind.key, object_id=record.pk, **_fields(kind.entry(record))))
        if len(batch) >= BATCH:
            SearchEntry.objects.bulk_create(batch)
            count += len(batch)
            batch = []
    SearchEntry.objects.bulk_create(batch)
    return count + len(batch)


def rebuild(kinds: list[str] | None = None) -> dict[str, int]:
    """Rebuild the entries of `kinds` (default: all) from the records, in one transaction per kind.
    {kind: entries written}."""
    done = {}
    with translation.override(settings.LANGUAGE_CODE):
        for key in kinds or list(KINDS):
            with transaction.atomic():
                done[key] = _rebuild_kind(KINDS[key])
    return done
