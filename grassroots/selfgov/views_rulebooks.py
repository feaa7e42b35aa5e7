"""Pages of the four systems: a community's four (the resident's phone view: the versions in force), the
workers' list of their communities with each one's four and the missing ones marked, the coverage figure;
a rulebook's page (version in force, any version, the history of who adopted which version and when). The
draft is written and published on the documents' pages (their keeper for rulebooks is `selfgov.manage`)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from grassroots.access.scoping import area_from_request, has_perm, scope_paths
from grassroots.areas.models import Area
from grassroots.documents import selectors as documents
from grassroots.documents.models import READABLE_STATES
from grassroots.pages import paginate
from grassroots.selfgov import selectors
from grassroots.selfgov import selectors_rulebooks as rules
from grassroots.selfgov.exports import rulebook_rows, works
from grassroots.selfgov.models import RulebookKind
from grassroots.selfgov.services import rulebooks

_works = works


@login_required
def rulebook_list(request):
    """Workers: the communities of their scope (or ?area=) with their four systems, missing ones marked, and
    how many have all four. Residents: their own community's four in force."""
    user = request.user
    if not _works(user):
        community = selectors.home_community(user)
        mine = rules.four_systems(user, [community])[0] if community is not None else None
        return render(request, "selfgov/rulebooks_resident.html", {"community": community, "mine": mine})
    area, communities = rulebook_rows(request)  # as its export (exports.py)
    page_obj = paginate(request, communities)
    paths = [area.path] if area is not None else scope_paths(user, "selfgov.view")
    tops = {a.path: a for a in Area.objects.filter(path__in=paths)}
    counts = rules.coverage(list(tops))
    return render(
        request,
        "selfgov/rulebooks.html",
        {
            "area": area,
            "page_obj": page_obj,
            "rows": rules.four_systems(user, list(page_obj)),
            "coverage": [(tops[p], counts[p]) for p in sorted(tops)],
            "may_start": has_perm(user, "selfgov.manage"),
            "kinds": RulebookKind.choices,
        },
    )


@login_required
def rulebook_detail(request, pk):
    user = request.user
    rulebook = rules.get_rulebook_or_404(user, pk)
    document = rulebook.document
    may_keep = rules.may_keep(user, rulebook)
    versions = list(document.versions.select_related("adopted_by").order_by("-number"))
    if not may_keep:
        versions = [v for v in versions if v.state in READABLE_STATES]
    asked = request.GET.get("v")
    if asked:
        version = next((v for v in versions if str(v.number) == asked), None)
        if version is None:
            raise Http404
    else:
        version = next((v for v in versions if v.state == "published"), versions[0] if versions else None)
    return render(
        request,
        "selfgov/rulebook_detail.html",
        {
            "rulebook": rulebook,
            "document": document,
            "version": version,
            "sections": list(documents.body_of(version)) if version else [],
            "versions": versions,
            "may_keep": may_keep,
            "reads_documents": has_perm(user, "documents.view", rulebook.community),
        },
    )


@login_required
@require_POST
def rulebook_start(request):
    """Start one of a community's missing systems (its first draft), then write it there."""
    community = area_from_request(request, "selfgov.manage", param="community")
    if community is None:
        raise Http404
    try:
        rulebook = rulebooks.start_rulebook(
            actor=request.user, community=community, kind=request.POST.get("kind")
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(reverse("selfgov:rulebooks") + f"?area={community.pk}")
    messages.success(request, _("已建立制度草稿，请编写条目后发布。"))
    return redirect("documents:draft", pk=rulebook.document_id)
