"""The hash chain of the audit trail (docs/audit.md, "Hash chain").

Every row of `AuditEvent` and of auditlog's `LogEntry` gets one `ChainLink`, written in the same
transaction as the row, while the writer holds the lock on the one `ChainHead` row:

    content_hash = sha256(canonical JSON of the row's fields, as read back from the database)
    hash         = sha256(prev_hash + content_hash)       prev_hash = the hash of link seq - 1

Concurrent writers queue on the head's lock, so the chain cannot fork and `seq` has no gaps. `verify()`
walks the links in order and reports the first one that does not hold: a changed row (its content hash
differs), a deleted row (a link without its row), a deleted or changed link (seq gap, prev_hash or hash
mismatch), a row written around the chain (a row without link), a cut tail (head disagrees).

The retention job deletes rows; their links are marked `pruned` in the same transaction, and once a prefix
of the chain is all pruned it is removed and its last hash kept as the anchor the chain now starts from
(`ChainHead.anchor_seq`, `anchor_hash`, also written in the prune's own audit event).

The hashed fields are listed here, explicitly: a field added to a model later (e.g. by an auditlog
upgrade) does not change the hash of old rows. Changing a list needs a new chain (docs/audit.md).

A row whose personal identifiers were pseudonymised after a deletion request (redaction.py) no longer
matches its link's content hash; it holds when it matches its latest `Redaction` and that redaction's
event, itself on the chain, vouches for it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass

from auditlog.models import LogEntry
from django.contrib.auth import get_user_model
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils.translation import gettext as _

from grassroots.audit.models import AuditEvent, AuditScope, ChainHead, ChainLink

GENESIS = "0" * 64
CHUNK = 2000


@dataclass(frozen=True)
class Source:
    key: str
    fields: tuple[str, ...]
    actor: str | None  # the attribute holding the actor's id (SET_NULL when the user is deleted); None: none


EVENT = Source(
    ChainLink.Source.EVENT,
    (
        "kind",
        "timestamp",
        "user_id",
        "username",
        "ip",
        "user_agent",
        "what",
        "count",
        "unmasked",
        "scope_path",
    ),
    "user_id",
)
CHANGE = Source(
    ChainLink.Source.CHANGE,
    (
        "content_type_id",
        "object_pk",
        "object_id",
        "object_repr",
        "serialized_data",
        "action",
        "changes_text",
        "changes",
        "actor_id",
        "cid",
        "remote_addr",
        "remote_port",
        "timestamp",
        "additional_data",
        "actor_email",
    ),
    "actor_id",
)
# The area a change entry is shown in (AuditScope, its primary key is the entry's id): chained as a row of
# its own, in the entry's transaction, so that moving an entry out of an area's view is found too.
SCOPE = Source(ChainLink.Source.SCOPE, ("entry_id", "area_path"), None)


def default_models() -> dict[str, type[models.Model]]:
    return {EVENT.key: AuditEvent, CHANGE.key: LogEntry, SCOPE.key: AuditScope}


SOURCES = {EVENT.key: EVENT, CHANGE.key: CHANGE, SCOPE.key: SCOPE}


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _normal(value):
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat(timespec="microseconds")
    if isinstance(value, dict | list):
        # as the database gives it back: JSON text re-read, keys sorted below
        return json.loads(json.dumps(value, cls=DjangoJSONEncoder))
    return value


def content_hash(source: Source, values: dict, *, actor_id=None) -> str:
    """The hash of one row's fields (`values` as `QuerySet.values()` reads them); `actor_id` stands for a
    NULL actor whose user no longer exists."""
    data = {name: _normal(values.get(name)) for name in source.fields}
    if source.actor and data[source.actor] is None and actor_id is not None:
        data[source.actor] = actor_id
    return _sha(json.dumps([source.key, data], sort_keys=True, ensure_ascii=False, cls=DjangoJSONEncoder))


def link_hash(prev_hash: str, content: str) -> str:
    return _sha(prev_hash + content)


def _source_of(instance: models.Model) -> Source:
    if isinstance(instance, AuditScope):
        return SCOPE
    return EVENT if isinstance(instance, AuditEvent) else CHANGE


def _lock_head(head_model=ChainHead) -> ChainHead:
    head, _created = head_model.objects.select_for_update().get_or_create(pk=1)
    return head


def append(
    instance: models.Model, *, source: Source | None = None, head_model=ChainHead, link_model=ChainLink
):
    """Link a row just inserted. Must run in the transaction that inserted it (the callers: AuditEvent.save
    and the post_save receiver of LogEntry, whose writers run in a transaction, see receivers.py)."""
    return append_many([instance], source=source, head_model=head_model, link_model=link_model)


def append_many(
    instances: list[models.Model], *, source: Source | None = None, head_model=ChainHead, link_model=ChainLink
):
    """Link rows just inserted (one by `append`, or in bulk by `log_access_many`), in the given order: one
    read per model and one lock of the head for all of them, so the cost does not grow in queries with the
    number of rows. Returns the last link's sequence number."""
    if not instances:
        return None
    with transaction.atomic(savepoint=False):
        values = {}
        for model in {type(i) for i in instances}:
            fields = (source or _source_of(model())).fields
            pks = [i.pk for i in instances if type(i) is model]
            for row in model._base_manager.filter(pk__in=pks).values("pk", *fields):
                values[(model, row["pk"])] = row
        head = _lock_head(head_model)
        seq, prev, links = head.seq, head.hash, []
        for instance in instances:
            row_source = source or _source_of(instance)
            row = values[(type(instance), instance.pk)]
            content = content_hash(row_source, row)
            seq, new_hash = seq + 1, link_hash(prev, content)
            links.append(
                link_model(
                    seq=seq,
                    source=row_source.key,
                    row_id=instance.pk,
                    actor_id=row[row_source.actor] if row_source.actor else None,
                    content_hash=content,
                    prev_hash=prev,
                    hash=new_hash,
                )
            )
            prev = new_hash
        link_model.objects.bulk_create(links)
        head_model.objects.filter(pk=1).update(seq=seq, hash=prev)
        return seq


def link_existing(
    *, event_model=AuditEvent, change_model=LogEntry, head_model=ChainHead, link_model=ChainLink
) -> int:
    """Chain the rows written before the chain existed, oldest first (the data migration)."""
    rows = [
        (ts, source.key, pk, model)
        for source, model in ((EVENT, event_model), (CHANGE, change_model))
        for pk, ts in model._base_manager.exclude(
            pk__in=link_model.objects.filter(source=source.key).values("row_id")
        ).values_list("pk", "timestamp")
    ]
    for _ts, key, pk, model in sorted(rows, key=lambda r: (r[0], r[1], r[2])):
        instance = model._base_manager.get(pk=pk)
        append(instance, source=SOURCES[key], head_model=head_model, link_model=link_model)
    return len(rows)


# --- verification ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Break:
    seq: int
    source: str
    row_id: int | None
    reason: str

    def __str__(self) -> str:
        where = f"#{self.seq}" + (f" ({self.source} {self.row_id})" if self.row_id is not None else "")
        return f"{where}: {self.reason}"


@dataclass(frozen=True)
class Outcome:
    checked: int
    head_seq: int
    head_hash: str
    anchor_seq: int
    broken: Break | None = None

    @property
    def ok(self) -> bool:
        return self.broken is None


def _rows(links: list[ChainLink]) -> dict[tuple[str, int], dict]:
    """The rows of a chunk of links, one query per source."""
    found: dict[tuple[str, int], dict] = {}
    for key, model in default_models().items():
        ids = [link.row_id for link in links if link.source == key and not link.pruned]
        if ids:
            for values in model._base_manager.filter(pk__in=ids).values("pk", *SOURCES[key].fields):
                found[(key, values["pk"])] = values
    return found


def _existing_users(rows: dict, links: list[ChainLink]) -> set[int]:
    """Users still present among the actors of links whose rows lost their actor."""
    wanted = {
        link.actor_id
        for link in links
        if link.actor_id is not None
        and (values := rows.get((link.source, link.row_id))) is not None
        and SOURCES[link.source].actor
        and values[SOURCES[link.source].actor] is None
    }
    if not wanted:
        return set()
    return set(get_user_model()._base_manager.filter(pk__in=wanted).values_list("pk", flat=True))


def _check_link(
    link: ChainLink, expected_seq: int, prev: str, rows: dict, users: set[int], redacted=None
) -> str | None:
    if link.seq != expected_seq:
        return _("缺少第 %(seq)s 环（链条被删除）") % {"seq": expected_seq}
    if link.prev_hash != prev:
        return _("前一环的哈希不符")
    if link.hash != link_hash(prev, link.content_hash):
        return _("本环的哈希不符（链条被修改）")
    if link.pruned:
        return None
    values = rows.get((link.source, link.row_id))
    if values is None:
        return _("记录已被删除")
    stand_in = link.actor_id if link.actor_id not in users else None
    found = content_hash(SOURCES[link.source], values, actor_id=stand_in)
    if found == link.content_hash:
        return None
    if redacted is not None:
        redaction = redacted.rows.get((link.source, link.row_id))
        if redaction is not None and redaction.content_hash == found and redacted.vouching.vouched(redaction):
            return None
    return _("记录内容已被修改")


def _unchained() -> Break | None:
    for key, model in default_models().items():
        row = (
            model._base_manager.exclude(pk__in=ChainLink.objects.filter(source=key).values("row_id"))
            .order_by("pk")
            .values_list("pk", flat=True)
            .first()
        )
        if row is not None:
            return Break(0, key, row, _("记录不在链上（绕过了审计写入）"))
    return None


@dataclass(frozen=True)
class _Redacted:
    rows: dict
    vouching: object


def verify() -> Outcome:
    """Walk the whole chain from its anchor; the first broken link, or None. Reads the links and rows in
    chunks of 2,000 (a few queries per chunk), so memory stays flat on a long chain."""
    head = ChainHead.objects.filter(pk=1).first() or ChainHead(pk=1)
    prev, expected, checked = head.anchor_hash, head.anchor_seq + 1, 0

    def outcome(broken: Break | None = None) -> Outcome:
        return Outcome(checked, head.seq, head.hash, head.anchor_seq, broken)

    from grassroots.audit.models import Redaction
    from grassroots.audit.redaction import Vouching

    links = ChainLink.objects.filter(seq__gt=head.anchor_seq).order_by("seq")
    last = head.anchor_seq
    vouching = Vouching() if Redaction.objects.exists() else None
    while True:
        chunk = list(links.filter(seq__gt=last)[:CHUNK])
        if not chunk:
            break
        rows = _rows(chunk)
        users = _existing_users(rows, chunk)
        redacted = _Redacted(vouching.latest(chunk), vouching) if vouching is not None else None
        for link in chunk:
            reason = _check_link(link, expected, prev, rows, users, redacted)
            if reason is not None:
                return outcome(Break(expected, link.source, link.row_id, reason))
            prev, expected, checked = link.hash, expected + 1, checked + 1
        last = chunk[-1].seq
    if expected - 1 != head.seq or prev != head.hash:
        return outcome(Break(expected, "", None, _("链尾与链头不符（末尾的链条被删除）")))
    return outcome(_unchained())


# --- pruning --------------------------------------------------------------------------------------------


def mark_pruned(model: type[models.Model], ids: list[int]) -> None:
    """Inside the retention job's transaction (allow_prune): the rows `ids` of `model` were deleted."""
    key = next(key for key, chained in default_models().items() if chained is model)
    ChainLink.objects.filter(source=key, row_id__in=ids).update(pruned=True)


def anchor_pruned_prefix() -> tuple[int, str]:
    """Remove the prefix of links whose rows are all pruned; the chain then starts from the hash of the last
    removed link (the anchor). Call inside allow_prune(). Returns the anchor (seq, hash)."""
    with transaction.atomic():
        head = _lock_head()
        first_kept = (
            ChainLink.objects.filter(pruned=False).order_by("seq").values_list("seq", flat=True).first()
        )
        cut = head.seq if first_kept is None else first_kept - 1
        if cut <= head.anchor_seq:
            return head.anchor_seq, head.anchor_hash
        anchor_hash = ChainLink.objects.filter(seq=cut).values_list("hash", flat=True).get()
        ChainLink.objects.filter(seq__lte=cut).delete()
        ChainHead.objects.filter(pk=1).update(anchor_seq=cut, anchor_hash=anchor_hash)
        return cut, anchor_hash


# --- the head anchored outside the database ------------------------------------------------------------


def anchor_file():
    """AUDIT_ANCHOR_FILE: where the clock appends the chain's head (outside the database: a file the
    database's users cannot rewrite; ship it to the log collector or a write-once store)."""
    from pathlib import Path

    from django.conf import settings

    return Path(settings.AUDIT_ANCHOR_FILE)


def anchor_head(*, now: dt.datetime | None = None) -> tuple[int, str]:
    """Append `<time> <seq> <hash>` of the chain's head to the anchor file (one line; the clock, hourly)."""
    from django.utils import timezone

    head = ChainHead.objects.filter(pk=1).first() or ChainHead(pk=1)
    path = anchor_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="ascii") as out:
        out.write(f"{(now or timezone.now()).isoformat()} {head.seq} {head.hash}\n")
    return head.seq, head.hash


def check_anchors() -> tuple[int, Break | None]:
    """Compare every head recorded in the anchor file with the chain: the chain must still reach each
    recorded seq, with the recorded hash (a link pruned since is not compared, the anchor itself is). A tail
    cut and the head rewritten to match is found here, where `verify()` alone cannot see it. (number of lines
    compared, the first mismatch or None); no file: nothing to compare."""
    path = anchor_file()
    if not path.exists():
        return 0, None
    head = ChainHead.objects.filter(pk=1).first() or ChainHead(pk=1)
    compared = 0
    for line in path.read_text(encoding="ascii").splitlines():
        parts = line.split()
        if len(parts) != 3:
            continue
        when, seq, recorded = parts[0], int(parts[1]), parts[2]
        if seq > head.seq:
            reason = _("链头（第 %(head)s 环）落后于 %(when)s 在库外记录的第 %(seq)s 环（末尾的链条被删除）")
            return compared, Break(seq, "", None, reason % {"head": head.seq, "when": when, "seq": seq})
        if seq == head.anchor_seq:
            found = head.anchor_hash
        elif seq < head.anchor_seq:
            continue
        else:
            found = ChainLink.objects.filter(seq=seq).values_list("hash", flat=True).first()
        if found != recorded:
            reason = _("第 %(seq)s 环的哈希与 %(when)s 在库外记录的不符（链条被改写）")
            return compared, Break(seq, "", None, reason % {"seq": seq, "when": when})
        compared += 1
    return compared, None
