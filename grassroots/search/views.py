"""`/search/`: the one search box's page. The box POSTs (a number typed into it must not reach a URL: the
query goes behind a session token, portal/search.py); the results are read from GET, grouped by kind,
paginated, highlighted."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from grassroots.pages import paginate
from grassroots.portal.search import holds_number, search_params, search_redirect
from grassroots.search import selectors
from grassroots.search.kinds import KINDS

PAGE_SIZE = 20
MAX_QUERY = 100


@login_required
@require_http_methods(["GET", "POST"])
def page(request):
    if request.method == "POST":
        return search_redirect(request)
    params = search_params(request)
    query = (params.get("q") or "").strip()[:MAX_QUERY]
    kind = params.get("kind") or ""
    kind = kind if kind in KINDS else ""
    number_refused = any(holds_number(v) for v in request.GET.getlist("q")) or holds_number(query)
    context = {"query": query, "kind": kind, "kinds": KINDS, "number_refused": number_refused}
    if query and not number_refused:
        found = selectors.results(request.user, query)
        counts = selectors.counts(found)
        context["kind_counts"] = [(key, KINDS[key].label, KINDS[key].icon, n) for key, n in counts.items()]
        context["total"] = sum(counts.values())
        shown = found.filter(kind=kind) if kind else found
        page_obj = paginate(request, shown, PAGE_SIZE)
        context["page_obj"] = page_obj
        context["hits"] = selectors.hits(page_obj.object_list, query)
    return render(request, "search/page.html", context)
