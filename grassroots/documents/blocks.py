"""The handbook's home block (grassroots/portal/homes.py): on the console of a community's secretary:
the work handbooks in force for their community that they have not finished reading, with the
chapters they confirmed (their own count, never anyone else's: reading is not a metric). Gone once every
chapter is read. Four queries, whatever the handbooks."""

from __future__ import annotations

from django.db.models import Count

from grassroots.accounts.roles import Role
from grassroots.documents.models import Kind, ReadConfirmation, Section
from grassroots.documents.selectors import documents_for
from grassroots.portal.homes import OFFICIAL, register_block

READERS = (Role.COMMUNITY_SECRETARY,)  # the handbook for new secretaries (its links are theirs to follow)


def handbook_block(request):
    user = request.user
    areas = [g.area for g in user.grants_cached() if g.role in READERS]
    if not areas:
        return None
    rows = []
    for document in documents_for(user, Kind.HANDBOOK):  # the version in force prefetched
        if not document.current or not any(document.applies_to_area(area) for area in areas):
            continue
        rows.append((document, document.current[0]))
    if not rows:
        return None
    versions = [version.pk for _document, version in rows]
    read = dict(
        ReadConfirmation.objects.filter(user=user, section__version__in=versions)
        .values("section__version")
        .annotate(n=Count("pk"))
        .values_list("section__version", "n")
    )
    chapters = dict(
        Section.objects.filter(version__in=versions)
        .values("version")
        .annotate(n=Count("pk"))
        .values_list("version", "n")
    )
    handbooks = [
        {"document": document, "read": read.get(version.pk, 0), "chapters": chapters.get(version.pk, 0)}
        for document, version in rows
        if read.get(version.pk, 0) < chapters.get(version.pk, 0)
    ]
    return {"handbooks": handbooks} if handbooks else None


def register_blocks() -> None:
    register_block(
        "handbook",
        template="documents/blocks/handbook.html",
        data=handbook_block,
        homes={OFFICIAL},
        order=14,
        roles=READERS,
    )
