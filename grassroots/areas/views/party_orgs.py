"""Party organization pages: the scoped list, an organization's page, create, edit and retire."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from grassroots.access.scoping import has_perm
from grassroots.areas import selectors, services
from grassroots.areas.exports import party_org_rows
from grassroots.areas.filters import PartyOrgFilter
from grassroots.areas.forms import PartyOrgForm, PartyOrgRetireForm
from grassroots.areas.views._access import area_for, org_for, require
from grassroots.pages import attach_errors, paginate

PAGE = 50


@login_required
@require_GET
def org_list(request):
    """Organizations in scope, filtered by `filters.PartyOrgFilter` (as the API). Queries: session, user,
    grants, [the area, for its name and for the filter], count, one page with area/parent/secretary joined."""
    user = request.user
    if not has_perm(user, "party_orgs.view"):
        return render(request, "areas/party_org_list.html", {"page_obj": None, "form": PartyOrgFilter().form})
    # the page's own check (404 outside the scope, the name shown); the filter narrows the list
    area, filterset, rows = party_org_rows(request)  # as its export (exports.py)
    page = paginate(request, rows, PAGE)
    context = {"page_obj": page, "form": filterset.form, "filter_area": area}
    return render(request, "areas/party_org_list.html", context)


@login_required
@require_GET
def org_detail(request, pk: int):
    org = org_for(request, pk)
    user = request.user
    children = org.children.select_related("area", "secretary").order_by("retired", "kind", "name")
    context = {
        "org": org,
        "crumbs": selectors.breadcrumbs(org.area, user),
        "children": children[:200],
        "parent_visible": org.parent is not None and has_perm(user, "party_orgs.view", org.parent.area),
        "can_change": has_perm(user, "party_orgs.change", org.area) and not org.retired,
    }
    return render(request, "areas/party_org_detail.html", context)


@login_required
def org_create(request, area_pk: int):
    area = area_for(request, area_pk, "party_orgs.view")
    require(request, "party_orgs.change", area)
    form = PartyOrgForm(request.POST or None, area=area, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            org = services.create_party_org(area=area, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("已新建党组织“%(name)s”") % {"name": org.name})
            return redirect("areas:party_org_detail", pk=org.pk)
    return render(request, "areas/party_org_form.html", {"form": form, "area": area, "org": None})


@login_required
def org_edit(request, pk: int):
    org = org_for(request, pk)
    require(request, "party_orgs.change", org.area)
    initial = {
        "name": org.name,
        "kind": org.kind,
        "parent": org.parent_id,
        "code": org.code,
        "secretary": org.secretary_id,
    }
    form = PartyOrgForm(request.POST or None, initial=initial, area=org.area, user=request.user, org=org)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_party_org(org=org, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("已保存"))
            return redirect("areas:party_org_detail", pk=org.pk)
    return render(request, "areas/party_org_form.html", {"form": form, "area": org.area, "org": org})


@login_required
def org_retire(request, pk: int):
    org = org_for(request, pk)
    require(request, "party_orgs.change", org.area)
    form = PartyOrgRetireForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.retire_party_org(org=org, actor=request.user)
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("已撤销党组织“%(name)s”") % {"name": org.name})
            return redirect("areas:party_org_detail", pk=org.pk)
    return render(request, "areas/party_org_retire.html", {"form": form, "org": org})
