"""People pages: a person's assessment view (with their grid cadre score), residents rating the
cadres of their grid, stationed agencies with the street Party committee's review of their heads."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from grassroots.access.scoping import has_perm
from grassroots.core.assessments.exports import agency_rows
from grassroots.core.assessments.forms import AgencyForm, AgencyReviewForm, RatingForm, this_year
from grassroots.core.assessments.models import GridRating
from grassroots.core.assessments.rules import MANAGE
from grassroots.core.assessments.selectors import people as selectors
from grassroots.core.assessments.services import people as services
from grassroots.core.assessments.views._common import require_view
from grassroots.pages import attach_errors, paginate, year_param


@login_required
def person_detail(request, pk):
    person = selectors.person_or_404(request.user, pk)
    year = year_param(request)
    show_comments = person.pk != request.user.pk or has_perm(request.user, "assessments.view")
    return render(
        request,
        "assessments/person_detail.html",
        {"data": selectors.person_assessment(person, year, show_comments=show_comments), "year": year},
    )


@login_required
@require_http_methods(["GET", "POST"])
def rate(request):
    """A resident rates the cadres and grid workers serving their grid (verified residents only)."""
    grid = services.home_grid(request.user)
    workers = list(services.serving_workers(grid)) if grid is not None else []
    year = this_year()
    mine = {
        r.worker_id: r
        for r in GridRating.objects.filter(resident=request.user, year=year, worker__in=workers)
    }
    form = RatingForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            worker = get_user_model().objects.filter(pk=form.cleaned_data["worker"]).first()
            try:
                services.rate_worker(
                    resident=request.user,
                    worker=worker,
                    score=form.cleaned_data["score"],
                    comment=form.cleaned_data["comment"],
                )
            except ValidationError as exc:
                for message in exc.messages:
                    messages.error(request, message)
            else:
                messages.success(request, _("感谢您的评价。"))
                return redirect("assessments:rate")
        else:
            messages.error(request, _("请选择 1–5 星。"))
    for worker in workers:
        worker.my_rating = mine.get(worker.pk)
    return render(
        request,
        "assessments/rate.html",
        {"grid": grid, "workers": workers, "verified": request.user.identity_verified, "year": year},
    )


# --- stationed agencies ----------------------------------------------------------------------------------
@login_required
def agency_list(request):
    require_view(request)
    year, street, agencies = agency_rows(request)  # as its export (exports.py)
    return render(
        request,
        "assessments/agency_list.html",
        {
            "page_obj": paginate(request, agencies),
            "year": year,
            "area": street,
            "can_create": has_perm(request.user, MANAGE),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def agency_create(request):
    if not has_perm(request.user, MANAGE):
        raise PermissionDenied
    form = AgencyForm(request.POST or None, user=request.user, initial={"street": request.GET.get("area")})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("active", None)
        try:
            agency = services.create_agency(actor=request.user, **data)
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("已登记派驻机构。"))
            return redirect(agency.get_absolute_url())
    return render(
        request, "assessments/form.html", {"form": form, "title": _("登记派驻机构"), "icon": "building"}
    )


@login_required
@require_http_methods(["GET", "POST"])
def agency_edit(request, pk):
    agency = selectors.agency_or_404(request.user, pk)
    if not has_perm(request.user, MANAGE, agency.street):
        raise PermissionDenied
    initial = {
        "street": agency.street_id,
        "name": agency.name,
        "department": agency.department,
        "head": agency.head.username if agency.head else "",
        "active": agency.active,
    }
    form = AgencyForm(request.POST or None, user=request.user, initial=initial)
    form.fields["street"].disabled = True
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("street", None)
        try:
            services.update_agency(actor=request.user, agency=agency, **data)
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("已保存。"))
            return redirect(agency.get_absolute_url())
    return render(
        request,
        "assessments/form.html",
        {
            "form": form,
            "title": _("修改派驻机构"),
            "icon": "building",
            "subtitle": agency.name,
            "cancel_url": agency.get_absolute_url(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def agency_detail(request, pk):
    agency = selectors.agency_or_404(request.user, pk)
    may_review = selectors.may_review(request.user, agency)
    form = None
    if may_review and agency.head_id:
        form = AgencyReviewForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                services.review_agency_head(actor=request.user, agency=agency, **form.cleaned_data)
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, _("已保存考评。"))
                return redirect(agency.get_absolute_url())
    elif request.method == "POST":
        raise PermissionDenied
    reviews = agency.reviews.select_related("head", "reviewed_by").order_by("-year", "-pk")
    return render(
        request,
        "assessments/agency_detail.html",
        {
            "agency": agency,
            "reviews": reviews,
            "form": form,
            "may_review": may_review,
            "can_edit": has_perm(request.user, MANAGE, agency.street),
        },
    )
