"""An area's page, and the forms that create a child, edit, move and retire it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from grassroots.access.scoping import has_perm, is_operator
from grassroots.areas import rules, selectors, services
from grassroots.areas.forms import AreaCreateForm, AreaEditForm, AreaMoveForm, AreaRetireForm
from grassroots.areas.views._access import area_for, require
from grassroots.areas.views.tree import children_slice
from grassroots.pages import attach_errors, paginate

PEOPLE_PAGE = 25


@login_required
@require_GET
def detail(request, pk: int):
    """Breadcrumbs, child areas (first slice; the rest load like the tree), Party organizations, people
    (paginated) and the subtree's counts by level. A fixed number of queries whatever the sizes."""
    user = request.user
    area = area_for(request, pk)
    crumbs = selectors.breadcrumbs(area, user)
    parent = crumbs[-2][0] if len(crumbs) > 1 else None
    can_change = has_perm(user, "areas.change", area)
    can_change_parent = parent is not None and has_perm(user, "areas.change", parent)
    children, next_offset = children_slice(area)
    context = {
        "area": area,
        "crumbs": crumbs,
        "children": children,
        "next_offset": next_offset,
        "level_counts": selectors.subtree_level_counts(area),
        "can_change": can_change and not area.retired,
        "can_add_child": can_change and not area.retired and bool(rules.levels_below(area.level)),
        "can_move": can_change_parent and not area.retired,
        "can_retire": can_change_parent and not area.retired,
        "can_export": has_perm(user, "areas.export", area),
        "can_add_org": has_perm(user, "party_orgs.change", area) and not area.retired,
        "orgs": list(selectors.party_orgs_of(area)) if has_perm(user, "party_orgs.view", area) else None,
        "people_page": None,
    }
    if has_perm(user, "accounts.view", area):
        context["page_obj"] = context["people_page"] = paginate(
            request, selectors.people_of(area), PEOPLE_PAGE
        )
    return render(request, "areas/detail.html", context)


@login_required
def create(request, pk: int):
    """A new child of area `pk`."""
    parent = area_for(request, pk)
    require(request, "areas.change", parent)
    form = AreaCreateForm(request.POST or None, parent=parent)
    if request.method == "POST" and form.is_valid():
        try:
            area = services.create_area(parent=parent, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("已新建区域“%(name)s”") % {"name": area.name})
            return redirect("areas:detail", pk=area.pk)
    return render(request, "areas/area_form.html", {"form": form, "parent": parent, "area": None})


@login_required
def create_root(request):
    """A new root area (a new city): the operator's only (`scoping.is_operator`); the operator then holds
    the system admin role on it and grants its first officials on the users pages."""
    if not is_operator(request.user):
        raise PermissionDenied
    form = AreaCreateForm(request.POST or None, parent=None)
    if request.method == "POST" and form.is_valid():
        try:
            area = services.create_area(parent=None, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("已新建最上级区域“%(name)s”") % {"name": area.name})
            return redirect("areas:detail", pk=area.pk)
    return render(request, "areas/area_form.html", {"form": form, "parent": None, "area": None})


@login_required
def edit(request, pk: int):
    area = area_for(request, pk)
    require(request, "areas.change", area)
    form = AreaEditForm(request.POST or None, initial={"name": area.name, "code": area.code})
    if request.method == "POST" and form.is_valid():
        try:
            services.update_area(area=area, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("已保存"))
            return redirect("areas:detail", pk=area.pk)
    return render(request, "areas/area_form.html", {"form": form, "area": area, "parent": None})


def _movable(request, pk: int):
    """The area to move, visible to the user (else 404), with "areas.change" on its parent (else 403)."""
    area = area_for(request, pk)
    require(request, "areas.change", selectors.parent_of(area))
    return area


@login_required
def move(request, pk: int):
    area = _movable(request, pk)
    form = AreaMoveForm(request.POST or None, area=area, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.move_area(area=area, new_parent=form.cleaned_data["new_parent"], actor=request.user)
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(
                request, _("已移到“%(name)s”之下") % {"name": form.cleaned_data["new_parent"].name}
            )
            return redirect("areas:detail", pk=area.pk)
    query = request.GET.get("q", "").strip()[:50]
    context = {
        "area": area,
        "form": form,
        "query": query,
        "candidates": selectors.with_path_labels(selectors.move_candidates(area, request.user, query)),
        "crumbs": selectors.breadcrumbs(area, request.user),
    }
    return render(request, "areas/move.html", context)


@login_required
@require_GET
def move_candidates(request, pk: int):
    """The radio list of possible new parents matching ?q= (an htmx fragment, at most 20 rows)."""
    area = _movable(request, pk)
    query = request.GET.get("q", "").strip()[:50]
    candidates = selectors.with_path_labels(selectors.move_candidates(area, request.user, query))
    return render(request, "areas/_move_candidates.html", {"candidates": candidates, "query": query})


@login_required
def retire(request, pk: int):
    area = _movable(request, pk)
    live_areas, live_orgs = selectors.live_subtree_counts(area)
    form = AreaRetireForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            count = services.retire_area(area=area, actor=request.user, cascade=form.cleaned_data["cascade"])
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("已撤销 %(n)d 个区域") % {"n": count})
            return redirect("areas:detail", pk=area.pk)
    context = {"area": area, "form": form, "live_areas": live_areas, "live_orgs": live_orgs}
    return render(request, "areas/retire.html", context)
