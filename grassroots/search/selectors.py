"""Reading the index: the entries a user may see that hold every word of a query, and their highlights.

`results(user, query)` is one queryset: the entries matching the words (backend.matching_q) and, for each
kind, only those whose record is in the kind's own visible queryset (kinds.Kind.visible: the list's
selector, the one scoping function behind it) — as `object_id IN (subquery)`, so counting and paging are
two queries whatever the number of kinds or results. A kind whose list the user may not read adds nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from grassroots import pinyin
from grassroots.search import backend, text
from grassroots.search.kinds import KINDS
from grassroots.search.models import SearchEntry

_ORDER = Case(
    *(When(kind=key, then=Value(rank)) for rank, key in enumerate(KINDS)),
    default=Value(len(KINDS)),
    output_field=IntegerField(),
)


def visible_q(user, kinds=None) -> Q:
    """Entries whose record the user may see, kind by kind."""
    q = Q(pk__in=[])
    if user is None or not user.is_authenticated or not user.is_active:
        return q
    for key in kinds or KINDS:
        visible = KINDS[key].visible(user).order_by().values("pk")
        q |= Q(kind=key, object_id__in=visible)
    return q


def results(user, query: str, kind: str | None = None) -> QuerySet[SearchEntry]:
    """The entries the user may see holding every word of `query`, grouped by kind (the kinds' order) and
    ranked within a kind: a title that is the query itself first, then by relevance (backend.relevance:
    bm25 on SQLite, ts_rank on PostgreSQL), then the most recently indexed."""
    words = text.query_words(query)
    if not words or (kind and kind not in KINDS):
        return SearchEntry.objects.none()
    kinds = [kind] if kind else None
    return (
        SearchEntry.objects.filter(backend.matching_q(words))
        .filter(visible_q(user, kinds))
        .annotate(kind_rank=_ORDER)
        .order_by("kind_rank", _exact_title(query), backend.relevance(words), "-updated_at", "-pk")
        .defer("text")
    )


def _exact_title(query: str) -> Case:
    """0 for an entry whose title is the query (as typed, or in Simplified characters), else 1."""
    typed = " ".join(query.split())
    exact = Q(title__iexact=typed) | Q(title__iexact=text.simplified(typed))
    return Case(When(exact, then=Value(0)), default=Value(1), output_field=IntegerField())


def counts(queryset: QuerySet[SearchEntry]) -> dict[str, int]:
    """{kind: results} of a results queryset, in the kinds' order (one query)."""
    rows = queryset.order_by().values("kind").annotate(n=Count("pk")).values_list("kind", "n")
    found = dict(rows)
    return {key: found[key] for key in KINDS if found.get(key)}


@dataclass(frozen=True)
class Hit:
    kind: str
    kind_label: str
    object_id: int
    title: str
    summary: str
    place: str
    url: str
    title_html: SafeString
    summary_html: SafeString


def _pinyin_of(value: str) -> tuple[str, str]:
    return pinyin.initials(value), pinyin.full(value)


def highlight(value: str, words: list[str], *, name: bool = False) -> SafeString:
    """`value` escaped, each occurrence of a query word (compared in Simplified, lower case) in <mark>. A name
    found by its pinyin (a latin query word that starts its initials or its pinyin) is marked whole."""
    if not value:
        return mark_safe("")
    folded = text.simplified(value)
    if len(folded) != len(value):  # a conversion that changed the length: compare as it is
        folded = value.lower()
    spans: list[tuple[int, int]] = []
    for word in sorted(words, key=len, reverse=True):
        for found in re.finditer(re.escape(word), folded):
            spans.append(found.span())
    if not spans and name and any(w.isascii() for w in words):
        initials, full = _pinyin_of(value)
        if any(w.isascii() and (initials.startswith(w) or full.startswith(w)) for w in words):
            spans = [(0, len(value))]
    marked = [False] * len(value)
    for start, end in spans:
        for i in range(start, end):
            marked[i] = True
    out, i = [], 0
    while i < len(value):
        j = i
        while j < len(value) and marked[j] == marked[i]:
            j += 1
        piece = escape(value[i:j])
        out.append(f"<mark>{piece}</mark>" if marked[i] else piece)
        i = j
    return mark_safe("".join(out))


def hits(entries, query: str) -> list[Hit]:
    """The entries of a page as results to show (no query: the URLs are reversed, the texts marked)."""
    words = text.query_words(query)
    out = []
    for entry in entries:
        kind = KINDS.get(entry.kind)
        if kind is None:
            continue
        name = entry.kind in ("member", "partner")
        out.append(
            Hit(
                kind=entry.kind,
                kind_label=str(kind.label),
                object_id=entry.object_id,
                title=entry.title,
                summary=entry.summary,
                place=entry.place,
                url=kind.url(entry.object_id),
                title_html=highlight(entry.title, words, name=name),
                summary_html=highlight(entry.summary, words),
            )
        )
    return out
