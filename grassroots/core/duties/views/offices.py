"""The offices of an area (a street's 党建办, 服务办, 综治办)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from grassroots.access.scoping import area_from_request, scoped
from grassroots.core.duties import selectors, services
from grassroots.core.duties.forms import OfficeForm
from grassroots.core.duties.models import Office
from grassroots.pages import attach_errors


@login_required
@require_http_methods(["GET", "POST"])
def offices(request):
    area = area_from_request(request, "duties.issue", required=True)
    form = OfficeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.create_office(actor=request.user, area=area, **form.cleaned_data)
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("科室已添加。"))
            return redirect(reverse("duties:offices") + f"?area={area.pk}")
    context = {
        "area": area,
        "offices": selectors.offices_of(area),
        "form": form,
        "areas": selectors.list_areas(request.user, "duties.issue"),
    }
    return render(request, "duties/offices.html", context)


@login_required
@require_POST
def office_retire(request, pk):
    office = get_object_or_404(
        scoped(Office.objects.select_related("area"), request.user, "duties.view"), pk=pk
    )
    services.retire_office(actor=request.user, office=office)
    messages.success(request, _("科室已撤销。"))
    return redirect(reverse("duties:offices") + f"?area={office.area_id}")
