"""Read pages and the forms that create or edit a gathering."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms.models import model_to_dict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from grassroots.access.scoping import has_perm
from grassroots.files.serve import serve_file
from grassroots.gatherings import selectors, services
from grassroots.gatherings.exports import gathering_filter
from grassroots.gatherings.forms import (
    AttendanceSheetForm,
    DecisionForm,
    GatheringForm,
    GuestForm,
    InviteForm,
    MinutesForm,
    PhotoForm,
)
from grassroots.gatherings.views._common import get_manageable
from grassroots.pages import area_option, attach_errors, offer, paginate


@login_required
def gathering_list(request):
    filterset = gathering_filter(request)  # as its export (exports.py)
    form = filterset.form
    offer(form, "area", map(area_option, selectors.area_choices(request.user)), empty_label=_("全部区域"))
    for name in ("starts_after", "starts_before"):
        form.fields[name].widget.input_type = "date"
    return render(
        request,
        "gatherings/list.html",
        {
            "filter": filterset,
            "form": form,
            "page_obj": paginate(request, filterset.qs),
            "can_create": has_perm(request.user, "gatherings.manage"),
        },
    )


@login_required
def gathering_detail(request, pk):
    gathering = selectors.get_detail_or_404(request.user, pk)
    manage = selectors.can_manage(request.user, gathering)
    context = {
        "gathering": gathering,
        "can_manage": manage,
        "me": gathering.participants.filter(user=request.user).first(),
        "decisions": gathering.decisions.select_related("owner"),
        "photos": gathering.photos.all(),
        "guests": gathering.guests.all(),
        "breadcrumb": gathering.area.ancestors_with_self(),
        "now": timezone.now(),
    }
    if manage:
        context.update(
            participants=selectors.participants_of(gathering),
            minutes_form=MinutesForm(initial={"minutes": gathering.minutes}),
            decision_form=DecisionForm(gathering=gathering),
            photo_form=PhotoForm(),
            invite_form=InviteForm(),
            guest_form=GuestForm(),
        )
    return render(request, "gatherings/detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def gathering_create(request):
    if not has_perm(request.user, "gatherings.manage"):
        raise PermissionDenied
    initial = {"area": request.GET.get("area"), "kind": request.GET.get("kind")}
    form = GatheringForm(request.POST or None, user=request.user, initial=initial, creating=True)
    if request.method == "POST" and form.is_valid():
        try:
            gathering = services.create_gathering(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            return redirect("gatherings:detail", pk=gathering.pk)
    return render(request, "gatherings/form.html", {"form": form, "gathering": None})


@login_required
@require_http_methods(["GET", "POST"])
def gathering_edit(request, pk):
    gathering = get_manageable(request, pk)
    initial = model_to_dict(gathering, fields=services.EDITABLE_FIELDS)
    form = GatheringForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_gathering(actor=request.user, gathering=gathering, **form.cleaned_data)
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            return redirect("gatherings:detail", pk=gathering.pk)
    return render(request, "gatherings/form.html", {"form": form, "gathering": gathering})


@login_required
@require_http_methods(["GET", "POST"])
def attendance(request, pk):
    """The attendance sheet: every invited or signed-up person, present or absent with a reason."""
    gathering = get_manageable(request, pk)
    participants = list(selectors.participants_of(gathering))
    form = AttendanceSheetForm(request.POST or None, participants=participants)
    if request.method == "POST" and form.is_valid():
        try:
            marks = form.marks(all_present="all_present" in request.POST)
            services.record_attendance_sheet(actor=request.user, gathering=gathering, marks=marks)
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            return redirect("gatherings:attendance", pk=gathering.pk)
    guests = gathering.guests.all()
    context = {"gathering": gathering, "form": form, "guests": guests}
    return render(request, "gatherings/attendance.html", context)


@login_required
def photo(request, pk, photo_pk):
    """Serve a photo to those who may see its gathering (media files are never linked directly)."""
    gathering = selectors.get_visible_or_404(request.user, pk)
    item = get_object_or_404(gathering.photos, pk=photo_pk)
    return serve_file(item.image, filename=item.image.name.rsplit("/", 1)[-1])
