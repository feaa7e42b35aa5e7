"""Care (关爱): the care list of a community (who has not been visited this year), care visits, and the
Party-membership anniversaries (政治生日) of a month."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from grassroots.access.scoping import scoped
from grassroots.areas.models import Area, Level
from grassroots.core.members.exports import anniversary_rows, care_rows
from grassroots.core.members.forms.care import CareVisitForm
from grassroots.core.members.selectors import care as selectors
from grassroots.core.members.services import care as services
from grassroots.core.members.views._precisions import (
    back,
    member_for_change,
    require_view,
)
from grassroots.pages import attach_errors, paginate

MAX_COMMUNITY_OPTIONS = 500


@login_required
def care_list(request):
    """Members needing care in a community (`?area=`; any area of the scope works), those not visited this
    year first; `?unvisited=1` keeps only them."""
    require_view(request)
    today = timezone.localdate()
    area, unvisited, members = care_rows(request)  # as its export (members/exports.py)
    communities = scoped(
        Area.objects.filter(level=Level.COMMUNITY, retired=False), request.user, "members.view", "path"
    )
    context = {
        "today": today,
        "area": area,
        "unvisited": unvisited,
        "communities": communities.order_by("path")[:MAX_COMMUNITY_OPTIONS],
        "page_obj": paginate(request, members),
    }
    return render(request, "members/care_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def care_visit_add(request, pk):
    member = member_for_change(request, pk)
    form = CareVisitForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_care_visit(actor=request.user, member=member, **form.cleaned_data)
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("已登记关爱走访。"))
            return back(request, member)
    return render(
        request,
        "members/precision_form.html",
        {"form": form, "member": member, "title": _("登记关爱走访"), "icon": "heart"},
    )


@login_required
def anniversaries(request):
    """政治生日: members who joined the Party in `?month=` (this month by default), by day."""
    require_view(request)
    today = timezone.localdate()
    month, area, members = anniversary_rows(request)  # as its export (members/exports.py)
    page = paginate(request, members)
    for member in page.object_list:
        member.party_years = selectors.party_years(member, today.year)
    context = {"month": month, "months": range(1, 13), "area": area, "page_obj": page, "today": today}
    return render(request, "members/anniversaries.html", context)
