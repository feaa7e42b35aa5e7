"""Pages of cultivation by virtue (一化): warning education of the leadership teams, integrity venues with
photos, and the venues' coverage. Thin: services decide, selectors read through the scoping function."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from grassroots.access.scoping import get_scoped_or_404, has_perm
from grassroots.files.serve import serve_file
from grassroots.pages import attach_errors, paginate
from grassroots.virtue import selectors, services
from grassroots.virtue.exports import coverage_rows, venue_rows, warning_rows
from grassroots.virtue.forms import VenueForm, VenuePhotoForm, WarningEducationForm


def _require_view(user) -> None:
    if not has_perm(user, selectors.VIEW):
        raise PermissionDenied


@login_required
@require_http_methods(["GET", "POST"])
def warning_list(request):
    """警示教育: the sessions of the teams in scope (with how many attended), the teams without one in the
    year, and (for managers) the form that records a session."""
    _require_view(request.user)
    may_manage = has_perm(request.user, selectors.MANAGE)
    form = WarningEducationForm(request.POST or None, user=request.user) if may_manage else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                education = services.record_warning_education(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, _("警示教育已登记，请在会议活动页登记出席情况。"))
                return redirect(education.get_absolute_url())
    year_filter, year, sessions = warning_rows(request)  # as its export (exports.py)
    return render(
        request,
        "virtue/warning_list.html",
        {
            "form": form,
            "year_filter": year_filter,
            "year": year,
            "page_obj": paginate(request, sessions),
            "without": selectors.teams_without_warning(request.user, year)[:200],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def venue_list(request):
    _require_view(request.user)
    may_manage = has_perm(request.user, selectors.MANAGE)
    form = VenueForm(request.POST or None, user=request.user) if may_manage else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                venue = services.create_venue(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, _("阵地已登记。"))
                return redirect(venue.get_absolute_url())
    area, rows = venue_rows(request)  # as its export (exports.py)
    return render(
        request,
        "virtue/venue_list.html",
        {"form": form, "area": area, "page_obj": paginate(request, rows)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def venue_detail(request, pk):
    """One venue: location, photos; for managers the edit form and the photo upload."""
    venue = get_object_or_404(selectors.visible_venues(request.user), pk=pk)  # residents: their community's
    may_manage = has_perm(request.user, selectors.MANAGE, venue)
    form = photo_form = None
    if may_manage:
        editing = request.method == "POST" and "save" in request.POST
        uploading = request.method == "POST" and "upload" in request.POST
        form = VenueForm(request.POST if editing else None, instance=venue, user=request.user)
        photo_form = VenuePhotoForm(request.POST if uploading else None, request.FILES if uploading else None)
        if editing and form.is_valid():
            try:
                services.update_venue(actor=request.user, venue=venue, **form.cleaned_data)
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, _("阵地信息已保存。"))
                return redirect(venue.get_absolute_url())
        if uploading and photo_form.is_valid():
            try:
                services.add_venue_photo(actor=request.user, venue=venue, **photo_form.cleaned_data)
            except ValidationError as exc:
                attach_errors(photo_form, exc)
            else:
                messages.success(request, _("照片已上传。"))
                return redirect(venue.get_absolute_url())
    elif request.method == "POST":
        raise PermissionDenied
    return render(
        request,
        "virtue/venue_detail.html",
        {
            "venue": venue,
            "photos": venue.photos.all(),
            "form": form,
            "photo_form": photo_form,
            "officials_list": has_perm(request.user, selectors.VIEW),  # residents go back to their map
        },
    )


@login_required
def venue_photo(request, pk, photo_pk):
    """Serve a venue's photo to those who may see the venue (media files are never linked directly)."""
    venue = get_object_or_404(selectors.visible_venues(request.user), pk=pk)  # residents: their community's
    photo = get_object_or_404(venue.photos, pk=photo_pk)
    return serve_file(photo.image, filename=photo.image.name.rsplit("/", 1)[-1])


@login_required
@require_POST
def venue_photo_delete(request, pk, photo_pk):
    venue = get_scoped_or_404(selectors.venues(request.user), request.user, selectors.VIEW, pk=pk)
    photo = get_object_or_404(venue.photos, pk=photo_pk)
    services.remove_venue_photo(actor=request.user, photo=photo)
    messages.success(request, _("照片已删除。"))
    return redirect(venue.get_absolute_url())


@login_required
def coverage(request):
    """阵地覆盖: per child area of the chosen area, the communities with and without each kind of venue."""
    area, rows = coverage_rows(request)  # as its export (virtue/exports.py)
    return render(request, "virtue/coverage.html", {"area": area, "rows": rows})
