"""Writing the index: one record (on commit of its write), many records at once (on commit of a bulk import,
or of an area's rename), a removal, the whole rebuild.

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


def index_records(kind_key: str, object_ids) -> int:
    """Write the entries of many records in bulk, read afresh in batches of BATCH: per batch one read of the
    records (with what their entries read), one delete of their old entries, one insert. Records gone lose
    their entry. Returns the entries written."""
    kind = KINDS[kind_key]
    ids = sorted(set(object_ids))
    written = 0
    with translation.override(settings.LANGUAGE_CODE):
        for start in range(0, len(ids), BATCH):
            chunk = ids[start : start + BATCH]
            entries = [
                SearchEntry(kind=kind_key, object_id=record.pk, **_fields(kind.entry(record)))
                for record in kind.rows().filter(pk__in=chunk)
            ]
            with transaction.atomic():
                SearchEntry.objects.filter(kind=kind_key, object_id__in=chunk).delete()
                SearchEntry.objects.bulk_create(entries)
            written += len(entries)
    return written


def index_many_on_commit(kind_key: str, object_ids) -> None:
    """After the current transaction commits (at once outside one): the entries of these records, in bulk."""
    ids = list(object_ids)
    if ids:
        transaction.on_commit(lambda: index_records(kind_key, ids), robust=True)


def reindex_area(area_id: int) -> int:
    """The entries showing an area (`place`) under another name than its own, written again in bulk: after a
    rename, every record of the area in every kind (one query per kind to find them, then index_records)."""
    from grassroots.areas.models import Area

    name = Area.objects.filter(pk=area_id).values_list("name", flat=True).first()
    if name is None:
        return 0
    written = 0
    for kind in KINDS.values():
        records = kind.model_class().objects.filter(**{kind.area_path: area_id}).values("pk")
        stale = (
            SearchEntry.objects.filter(kind=kind.key, object_id__in=records)
            .exclude(place=name[:100])
            .values_list("object_id", flat=True)
        )
        ids = list(stale)
        if ids:
            written += index_records(kind.key, ids)
    return written


def reindex_area_on_commit(area_id: int) -> None:
    transaction.on_commit(lambda: reindex_area(area_id), robust=True)


def reindex_party_org(org_id: int) -> int:
    """The entries naming a Party organization (their summary starts with its name, their place is its
    area's name) that show another name or place, written again in bulk: after a rename or a move, every
    record of the organization in every kind that declares `party_org_path` (one query per such kind to find
    them, then index_records). A save that changes neither writes nothing."""
    from grassroots.areas.models import PartyOrg

    org = PartyOrg.objects.filter(pk=org_id).values("name", "area__name").first()
    if org is None:
        return 0
    shown = text.summary(f"{org['name']} · ", 200)
    written = 0
    for kind in KINDS.values():
        if not kind.party_org_path:
            continue
        records = kind.model_class().objects.filter(**{kind.party_org_path: org_id}).values("pk")
        stale = (
            SearchEntry.objects.filter(kind=kind.key, object_id__in=records)
            .exclude(summary__startswith=shown, place=(org["area__name"] or "")[:100])
            .values_list("object_id", flat=True)
        )
        ids = list(stale)
        if ids:
            written += index_records(kind.key, ids)
    return written


def reindex_party_org_on_commit(org_id: int) -> None:
    transaction.on_commit(lambda: reindex_party_org(org_id), robust=True)


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
