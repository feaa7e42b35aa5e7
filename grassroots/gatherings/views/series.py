"""The pages of a recurring gathering (docs/gatherings.md "Recurrence"), built once for every part: the
series with its occurrences, its change (the occurrences still to come that were not changed on their own)
and its cancellation from a day. One occurrence is changed on its own gathering's edit page. The same
services as `/api/gathering-series/`; the same scope: gatherings.view_all to see (404), gatherings.manage to
change (403)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.forms.models import model_to_dict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from grassroots.access.scoping import has_perm, scoped
from grassroots.gatherings import services
from grassroots.gatherings.forms import SeriesCancelForm, SeriesForm
from grassroots.gatherings.models import Gathering, Series
from grassroots.pages import attach_errors

VIEW = "gatherings.view_all"
MANAGE = "gatherings.manage"


def _series(request, pk, *, manage: bool = False) -> Series:
    series = get_object_or_404(
        scoped(Series.objects.select_related("area", "organizer"), request.user, VIEW), pk=pk
    )
    if manage and not has_perm(request.user, MANAGE, series.area):
        raise PermissionDenied
    return series


@login_required
def series_detail(request, pk):
    series = _series(request, pk)
    occurrences = Gathering.objects.filter(series=series).order_by("occurrence_on", "pk")
    series = Series.objects.prefetch_related(Prefetch("occurrences", queryset=occurrences)).get(pk=series.pk)
    return render(
        request,
        "gatherings/series_detail.html",
        {
            "series": series,
            "occurrences": list(series.occurrences.all()),
            "can_manage": has_perm(request.user, MANAGE, series.area),
            "cancel_form": SeriesCancelForm(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def series_edit(request, pk):
    series = _series(request, pk, manage=True)
    form = SeriesForm(request.POST or None, initial=model_to_dict(series, fields=services.SERIES_FIELDS))
    if request.method == "POST" and form.is_valid():
        changes = {name: form.cleaned_data[name] for name in services.SERIES_FIELDS}
        try:
            services.update_series(actor=request.user, series=series, **changes)
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("周期性活动已保存，尚未举行且未单独修改的场次已随之更新。"))
            return redirect("gatherings:series_detail", pk=series.pk)
    return render(request, "gatherings/series_form.html", {"form": form, "series": series})


@login_required
@require_http_methods(["GET", "POST"])
def series_cancel(request, pk):
    series = _series(request, pk, manage=True)
    form = SeriesCancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            cancelled = services.cancel_series(actor=request.user, series=series, **form.cleaned_data)
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(
                request,
                _("已自 %(day)s 起取消，取消了 %(n)d 场。")
                % {"day": form.cleaned_data["from_day"], "n": len(cancelled)},
            )
            return redirect("gatherings:series_detail", pk=series.pk)
    return render(request, "gatherings/series_cancel.html", {"form": form, "series": series})
