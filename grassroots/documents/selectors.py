"""Reads shared by the pages and the API: the documents a user sees, their versions, a diff between two
versions, the search over the published handbooks, a reader's own confirmations."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from grassroots.access.scoping import has_perm
from grassroots.documents.models import (
    READABLE_STATES,
    Document,
    DocumentVersion,
    Item,
    Kind,
    ReadConfirmation,
    Section,
    VersionState,
    kind_rules,
)

SEARCH_LIMIT = 50


def documents_for(user, kind: str | None = None) -> QuerySet[Document]:
    qs = Document.visible_to(user).select_related("area")
    if kind:
        qs = qs.filter(kind=kind)
    current = DocumentVersion.objects.filter(state=VersionState.PUBLISHED).select_related("adopted_by")
    return qs.prefetch_related(Prefetch("versions", queryset=current, to_attr="current")).order_by(
        "area__path", "title", "pk"
    )


def get_document_or_404(user, pk) -> Document:
    return get_object_or_404(Document.visible_to(user).select_related("area"), pk=pk)


def may_manage(user, document: Document) -> bool:
    return has_perm(user, kind_rules(document.kind).keeper, document.area)


def versions_for(user, document: Document) -> QuerySet[DocumentVersion]:
    """The versions a user reads: published and superseded ones; the draft too for the document's keepers."""
    qs = document.versions.select_related("adopted_by", "created_by").order_by("-number")
    return qs if may_manage(user, document) else qs.filter(state__in=READABLE_STATES)


def get_version_or_404(user, document: Document, number) -> DocumentVersion:
    return get_object_or_404(versions_for(user, document), number=number)


def current_version(document: Document) -> DocumentVersion | None:
    return document.versions.filter(state=VersionState.PUBLISHED).first()


def body_of(version: DocumentVersion) -> QuerySet[Section]:
    """A version's chapters with their items: two queries."""
    return version.sections.prefetch_related("items")


def get_item_or_404(user, pk) -> Item:
    """An item of a version the user may read (another street's standards answer 404, and so does an id
    that is not a number: `/api/standard-items/abc/…` was a 500, and so was "²", a digit to `isdigit()`
    and no number to `int()`; `isdecimal()` holds only what `int()` reads)."""
    if not str(pk).isdecimal():
        raise Http404
    item = get_object_or_404(
        Item.objects.select_related("section__version__document__area"),
        pk=pk,
        section__version__document__in=Document.visible_to(user),
    )
    if item.section.version.state not in READABLE_STATES and not may_manage(
        user, item.section.version.document
    ):
        raise Http404
    return item


def citable_items(user) -> QuerySet[Item]:
    """The items of the standards in force the user reads: what a finding or an assessment item may cite."""
    return (
        Item.objects.filter(
            section__version__state=VersionState.PUBLISHED,
            section__version__document__kind=Kind.STANDARD,
            section__version__document__in=Document.visible_to(user),
        )
        .select_related("section__version__document")
        .order_by("section__version__document__title", "section__position", "position")
    )


# --- the diff ----------------------------------------------------------------------------------------------


@dataclass
class DiffRow:
    number: str
    status: str  # added, removed, changed, same
    old: str
    new: str
    chunks: list[tuple[str, str]]  # (op, text): op "", "+" or "-", for the changed text


def _words(old: str, new: str) -> list[tuple[str, str]]:
    chunks = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            chunks.append(("", old[a1:a2]))
        else:
            if a2 > a1:
                chunks.append(("-", old[a1:a2]))
            if b2 > b1:
                chunks.append(("+", new[b1:b2]))
    return chunks


def _flat(version: DocumentVersion) -> dict[str, str]:
    """{number: text} of a version's chapters ("第3章 title") and items, in reading order."""
    rows: dict[str, str] = {}
    for section in body_of(version):
        rows[f"§{section.number}"] = section.title
        for item in section.items.all():
            rows[item.number] = item.text + (f" => {item.link}" if item.link else "")
    return rows


def diff(old: DocumentVersion, new: DocumentVersion) -> list[DiffRow]:
    """Item by item (matched by number; chapters by their number, shown as §3): added, removed, changed,
    same — in the new version's order, removed ones after the item they followed."""
    before, after = _flat(old), _flat(new)
    rows = []
    for number, text in after.items():
        if number not in before:
            rows.append(DiffRow(number, "added", "", text, [("+", text)]))
        elif before[number] != text:
            rows.append(DiffRow(number, "changed", before[number], text, _words(before[number], text)))
        else:
            rows.append(DiffRow(number, "same", text, text, [("", text)]))
    for number, text in before.items():
        if number not in after:
            rows.append(DiffRow(number, "removed", text, "", [("-", text)]))
    return rows


# --- the handbook's search and reading --------------------------------------------------------------------


def search_handbooks(user, query: str) -> QuerySet[Item]:
    """Items of the handbooks in force the user reads whose text or chapter title contains `query`
    (icontains: the same on SQLite and PostgreSQL; see docs/documents.md)."""
    query = query.strip()
    if not query:
        return Item.objects.none()
    return (
        Item.objects.filter(
            section__version__state=VersionState.PUBLISHED,
            section__version__document__kind=Kind.HANDBOOK,
            section__version__document__in=Document.visible_to(user),
        )
        .filter(Q(text__icontains=query) | Q(section__title__icontains=query))
        .select_related("section__version__document")
        .order_by("section__version__document__title", "section__position", "position")[:SEARCH_LIMIT]
    )


def read_by(user, version: DocumentVersion) -> set[int]:
    """The ids of the chapters of `version` the user confirmed reading (their own; nobody else's)."""
    return set(
        ReadConfirmation.objects.filter(user=user, section__version=version).values_list(
            "section_id", flat=True
        )
    )
