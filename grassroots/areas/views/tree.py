"""The area tree: the user's scope roots, children loaded on demand with htmx, and a search box."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from grassroots.access.scoping import has_perm, is_operator
from grassroots.areas import selectors
from grassroots.areas.views._access import area_for

# Children shown per request; a node with more gets a "more" row that loads the next slice.
CHILDREN_PAGE = 100


def children_slice(area, offset: int = 0) -> tuple[list, int | None]:
    """One slice of `area`'s children (one query) and the offset of the next slice, if any."""
    rows = list(selectors.children_of(area)[offset : offset + CHILDREN_PAGE + 1])
    more = len(rows) > CHILDREN_PAGE
    return rows[:CHILDREN_PAGE], (offset + CHILDREN_PAGE if more else None)


@login_required
@require_GET
def tree(request):
    user = request.user
    roots = selectors.scope_roots(user)
    query = request.GET.get("q", "").strip()[:50]
    context = {
        "roots": roots,
        "query": query,
        "results": selectors.with_path_labels(selectors.search_areas(user, query)) if query else None,
        "can_import": has_perm(user, "areas.import"),
        "can_export": has_perm(user, "areas.export"),
        "can_add_root": is_operator(user),
    }
    if len(roots) == 1:
        # One root (the usual case): open it straight away, without a second request.
        context["root_children"], context["root_next"] = children_slice(roots[0])
    return render(request, "areas/tree.html", context)


@login_required
@require_GET
def children(request, pk: int):
    """The <li> rows of an area's children (an htmx fragment). Queries: session, user, grants, the area,
    the children — the same five however many children there are."""
    area = area_for(request, pk)
    try:
        offset = max(0, int(request.GET.get("offset", 0)))
    except ValueError:
        offset = 0
    rows, next_offset = children_slice(area, offset)
    return render(
        request, "areas/_children.html", {"area": area, "children": rows, "next_offset": next_offset}
    )
