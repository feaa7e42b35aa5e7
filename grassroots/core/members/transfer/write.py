"""Write the prepared members in the import's one transaction (the runner opens it): new tags first, then
the members in batches (`insert_members`: the ID number and phone are encrypted here, by the fields'
`get_db_prep_save`), then their tags through the many-to-many table. Progress is reported after each batch,
and each batch's ids go out on `imports.signals.rows_written` (the search index writes them on commit)."""

from __future__ import annotations

from django.db import connections
from django.utils import timezone
from django.utils.translation import gettext as _

from grassroots.core.members.models import Member, MemberTag, TagKind
from grassroots.core.members.transfer.validate import Plan
from grassroots.imports.registry import ImportConflict, Progress
from grassroots.imports.signals import rows_written

BATCH = 2_000
STATEMENT_ROWS = 500  # rows per INSERT at most (SQLite: fewer, as many as its parameter limit allows)


def write_plan(plan: Plan, progress: Progress) -> dict[str, int]:
    tag_ids = dict(plan.known_tags)
    if plan.new_tags:  # someone may have added one meanwhile: keep theirs
        MemberTag.objects.bulk_create(
            [MemberTag(name=name, kind=TagKind.TAG) for name in plan.new_tags], ignore_conflicts=True
        )
        tag_ids.update(MemberTag.objects.filter(name__in=plan.new_tags).values_list("name", "id"))
    Through = Member.tags.through
    tags_by_row = dict(plan.tags)
    total = len(plan.rows)
    links = 0
    now = timezone.now()
    for start in range(0, total, BATCH):
        pks = insert_members(plan.rows[start : start + BATCH], now=now)
        through = [
            Through(member_id=pk, membertag_id=tag_ids[name])
            for offset, pk in enumerate(pks)
            for name in tags_by_row.get(start + offset, ())
        ]
        Through.objects.bulk_create(through, batch_size=1_000)
        rows_written.send(sender=Member, pks=pks)
        links += len(through)
        progress(min(start + BATCH, total), total)
    return {"members": total, "tags_created": len(plan.new_tags), "tag_links": links}


def insert_members(rows: list[tuple], *, now) -> list[int]:
    """Insert prepared members (each a tuple of `concrete_attnames()` values, the id None) and return their
    new ids in the same order. What `Member.objects.bulk_create` does — each value through its field's
    `get_db_prep_save`, `created_at` and `updated_at` set to `now` (auto_now_add, auto_now), one
    `INSERT … VALUES (…), (…) RETURNING id` per batch (PostgreSQL: `INSERT … SELECT * FROM UNNEST(…)`, one
    array per column, as Django's own) — without building a Member per row nor the SQL compiler's work per
    value (its pre_save, expression and placeholder checks): per 20,000 members 3.0 → 1.7 s of CPU on
    SQLite, 2.3 → 1.4 s on PostgreSQL. No signals, as with bulk_create."""
    connection = connections[Member.objects.db]
    if not connection.features.can_return_rows_from_bulk_insert:
        raise ImportConflict(_("数据库不支持批量写入后返回编号，未写入任何数据"))
    meta = Member._meta
    fields = [(i, f) for i, f in enumerate(meta.concrete_fields) if not f.primary_key]
    stamped = {i for i, f in fields if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)}
    prepare = [(i, f.get_db_prep_save) for i, f in fields]
    per_statement = min(STATEMENT_ROWS, connection.ops.bulk_batch_size([f for _i, f in fields], rows))
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for _i, f in fields)
    head = f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES "
    returning, returning_params = connection.ops.return_insert_columns([meta.pk])
    one_row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    # PostgreSQL: one array per column, as Django's own bulk insert sends them (UNNEST: a few parameters
    # to adapt and a short statement to plan, where a VALUES list takes 28 per row).
    unnest = connection.vendor == "postgresql"
    if unnest:
        arrays = ", ".join(f"(%s)::{f.db_type(connection).split('(')[0]}[]" for _i, f in fields)
        head = head.removesuffix(" VALUES ") + f" SELECT * FROM UNNEST({arrays}) "
    pks: list[int] = []
    with connection.cursor() as cursor:
        for start in range(0, len(rows), per_statement):
            batch = rows[start : start + per_statement]
            if unnest:
                params = [
                    [prep(now if i in stamped else v[i], connection) for v in batch] for i, prep in prepare
                ]
                sql = head + returning
            else:
                params = [
                    prep(now if i in stamped else values[i], connection)
                    for values in batch
                    for i, prep in prepare
                ]
                sql = head + ", ".join([one_row] * len(batch)) + " " + returning
            cursor.execute(sql, params + list(returning_params))
            pks.extend(row[0] for row in cursor.fetchall())
    if len(pks) != len(rows):
        raise ImportConflict(_("数据库不支持批量写入后返回编号，未写入任何数据"))
    return pks
