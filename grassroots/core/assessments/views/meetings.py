"""On-site meetings (现场会) and review meetings (述职评议会) are gatherings of their own kinds: this page
lists them (the gatherings' own visibility and query) and links to the gatherings pages; no model of its
own."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from grassroots.access.scoping import has_perm
from grassroots.core.assessments.views._common import require_view
from grassroots.gatherings import selectors as gatherings
from grassroots.pages import paginate

KINDS = ("site_meeting", "review_meeting")


@login_required
def site_meetings(request):
    require_view(request, "gatherings.view")
    kind = request.GET.get("kind") if request.GET.get("kind") in KINDS else "site_meeting"
    queryset = gatherings.list_for(request.user).filter(kind=kind)
    return render(
        request,
        "assessments/site_meetings.html",
        {
            "page_obj": paginate(request, queryset),
            "kind": kind,
            "can_create": has_perm(request.user, "gatherings.manage"),
        },
    )
