"""Write the prepared members in the import's one transaction (the runner opens it): new tags first, then
the members with `bulk_create` in batches (the ID number and phone are encrypted here, by the fields'
`get_prep_value`), then their tags through the many-to-many table. Progress is reported after each batch,
and each batch's ids go out on `imports.signals.rows_written` (the search index writes them on commit)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from grassroots.core.members.models import Member, MemberTag, TagKind
from grassroots.core.members.transfer.validate import Plan
from grassroots.imports.registry import ImportConflict, Progress
from grassroots.imports.signals import rows_written

BATCH = 2_000


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
    for start in range(0, total, BATCH):
        members = [Member(*values) for values in plan.rows[start : start + BATCH]]
        Member.objects.bulk_create(members, batch_size=500)
        if any(m.pk is None for m in members):  # databases that cannot return ids from a bulk insert
            raise ImportConflict(_("数据库不支持批量写入后返回编号，未写入任何数据"))
        through = [
            Through(member_id=member.pk, membertag_id=tag_ids[name])
            for offset, member in enumerate(members)
            for name in tags_by_row.get(start + offset, ())
        ]
        Through.objects.bulk_create(through, batch_size=1_000)
        rows_written.send(sender=Member, pks=[member.pk for member in members])
        links += len(through)
        progress(min(start + BATCH, total), total)
    return {"members": total, "tags_created": len(plan.new_tags), "tag_links": links}
