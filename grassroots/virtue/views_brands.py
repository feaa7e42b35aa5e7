"""Pages of culture brands, environmental actions (绿美雅安·党员先行), the calendar of events and the venue
map. Thin: the services decide, the selectors read through the scoping function and the gatherings'
visibility rule."""

from __future__ import annotations

import calendar as pycalendar
from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from rest_framework.exceptions import Throttled

from grassroots.access.scoping import area_from_request, get_scoped_or_404, has_perm
from grassroots.gatherings.selectors import can_manage, get_detail_or_404
from grassroots.pages import area_map, attach_errors, paginate
from grassroots.virtue import limits_brands
from grassroots.virtue import selectors_brands as selectors
from grassroots.virtue import services_brands as services
from grassroots.virtue.brands_setup import ENV_KINDS
from grassroots.virtue.exports import action_rows, brand_rows
from grassroots.virtue.forms_brands import (
    ActionForm,
    BrandActivityForm,
    BrandForm,
    CalendarFilter,
    CheckInCodeForm,
)
from grassroots.virtue.models_brands import CultureBrand, EnvironmentalAction


def _require(user, permission: str) -> None:
    if not has_perm(user, permission):
        raise PermissionDenied


def _save(request, form, action, success: str):
    """Run `action(**cleaned_data)` if the form is valid; errors at their fields. The record, or None."""
    if not form.is_valid():
        return None
    try:
        record = action(**form.cleaned_data)
    except ValidationError as exc:
        attach_errors(form, exc)
        return None
    messages.success(request, success)
    return record


# --- culture brands ---------------------------------------------------------------------------------------
@login_required
@require_http_methods(["GET", "POST"])
def brand_list(request):
    _require(request.user, selectors.VIEW)
    may_manage = has_perm(request.user, selectors.MANAGE)
    form = BrandForm(request.POST or None, user=request.user) if may_manage else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        brand = _save(
            request,
            form,
            lambda **data: services.create_brand(actor=request.user, **data),
            _("文化品牌已登记。"),
        )
        if brand is not None:
            return redirect(brand.get_absolute_url())
    area, rows = brand_rows(request)  # as its export (exports.py)
    return render(
        request, "virtue/brand_list.html", {"form": form, "page_obj": paginate(request, rows), "area": area}
    )


@login_required
@require_http_methods(["GET", "POST"])
def brand_detail(request, pk):
    brand = get_scoped_or_404(
        CultureBrand.objects.select_related("area"), request.user, selectors.VIEW, pk=pk
    )
    may_manage = has_perm(request.user, selectors.MANAGE, brand.area)
    activity_form = BrandActivityForm(request.POST if "add_activity" in request.POST else None)
    edit_form = BrandForm(request.POST if "edit" in request.POST else None, instance=brand, user=request.user)
    if request.method == "POST":
        if not may_manage:
            raise PermissionDenied
        if "add_activity" in request.POST:
            activity = _save(
                request,
                activity_form,
                lambda **data: services.add_brand_activity(actor=request.user, brand=brand, **data),
                _("品牌活动已发布。"),
            )
            if activity is not None:
                return redirect(activity.get_absolute_url())
        else:
            saved = _save(
                request,
                edit_form,
                lambda **data: services.update_brand(actor=request.user, brand=brand, **data),
                _("文化品牌已保存。"),
            )
            if saved is not None:
                return redirect(saved.get_absolute_url())
    return render(
        request,
        "virtue/brand_detail.html",
        {
            "brand": brand,
            "may_manage": may_manage,
            "activity_form": activity_form if may_manage else None,
            "edit_form": edit_form if may_manage else None,
            "page_obj": paginate(request, selectors.brand_activities(brand, request.user)),
        },
    )


# --- environmental actions --------------------------------------------------------------------------------
@login_required
@require_http_methods(["GET", "POST"])
def action_list(request):
    """绿美雅安·党员先行: the environmental actions the user may see (sign up on each), and for managers the
    form that plans one."""
    _require(request.user, "gatherings.view")
    may_manage = has_perm(request.user, selectors.MANAGE)
    form = ActionForm(request.POST or None, user=request.user) if may_manage else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        action = _save(
            request,
            form,
            lambda **data: services.create_environmental_action(actor=request.user, **data),
            _("环保行动已发布，居民可以报名了。"),
        )
        if action is not None:
            return redirect(action.get_absolute_url())
    rows = action_rows(request)  # as its export (exports.py)
    return render(
        request,
        "virtue/action_list.html",
        {"form": form, "page_obj": paginate(request, rows), "now": timezone.now()},
    )


def _action_gathering(request, pk):
    gathering = get_detail_or_404(request.user, pk)
    if gathering.kind not in ENV_KINDS:
        raise Http404
    return gathering


@login_required
def action_detail(request, pk):
    """An environmental action: what, when and where, the sign-up (the gathering's), the check-in with the
    code shown on site, the code itself for the organizers, and the photos."""
    gathering = _action_gathering(request, pk)
    manager = can_manage(request.user, gathering)
    action = (
        services.action_of(gathering)
        if manager
        else EnvironmentalAction.objects.filter(gathering=gathering).first()
    )
    me = gathering.participants.filter(user=request.user).first()
    return render(
        request,
        "virtue/action_detail.html",
        {
            "gathering": gathering,
            "action": action,
            "manager": manager,
            "me": me,
            "form": CheckInCodeForm(),
            "photos": list(gathering.photos.all()),
            "now": timezone.now(),
        },
    )


@login_required
@require_POST
def action_check_in(request, pk):
    gathering = _action_gathering(request, pk)
    form = CheckInCodeForm(request.POST)
    try:
        limits_brands.check(request)
    except Throttled as exc:
        messages.error(request, str(exc.detail))
        return redirect("virtue:action_detail", pk=gathering.pk)
    if form.is_valid():
        try:
            services.check_in_with_code(
                user=request.user, gathering=gathering, code=form.cleaned_data["code"]
            )
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("签到成功，感谢参与绿美雅安行动！"))
            return redirect("virtue:action_detail", pk=gathering.pk)
    me = gathering.participants.filter(user=request.user).first()
    return render(
        request,
        "virtue/action_detail.html",
        {
            "gathering": gathering,
            "action": None,
            "manager": can_manage(request.user, gathering),
            "me": me,
            "form": form,
            "photos": list(gathering.photos.all()),
            "now": timezone.now(),
        },
        status=400,
    )


@login_required
@require_POST
def action_renew_code(request, pk):
    gathering = _action_gathering(request, pk)
    services.renew_check_in_code(actor=request.user, gathering=gathering)
    messages.success(request, _("已生成新的签到码，原签到码作废。"))
    return redirect("virtue:action_detail", pk=gathering.pk)


# --- the calendar of events -------------------------------------------------------------------------------
@login_required
def event_calendar(request):
    """The month's events of the virtue kinds the user may see: a month grid on wide screens, a list by day on
    phones. `?month=YYYY-MM` (this month by default), `?kind=`, `?area=` (an area of the user's scope)."""
    _require(request.user, "gatherings.view")
    today = timezone.localdate()
    filters = CalendarFilter(request.GET or None)
    year, month, kind = today.year, today.month, ""
    if filters.is_valid():
        if filters.cleaned_data.get("month"):
            year, month = (int(x) for x in filters.cleaned_data["month"].split("-"))
        kind = filters.cleaned_data.get("kind") or ""
    rows = selectors.events(request.user)
    if kind:
        rows = rows.filter(kind=kind)
    area = area_from_request(request, "gatherings.view")
    if area is not None:
        rows = rows.filter(area__path__startswith=area.path)
    events = list(selectors.events_in_month(rows, year, month)[:500])
    by_day = defaultdict(list)
    for event in events:
        by_day[timezone.localdate(event.starts_at)].append(event)
    weeks = [
        [(day, by_day.get(day, []), day.month == month) for day in week]
        for week in pycalendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    ]
    previous = (year - 1, 12) if month == 1 else (year, month - 1)
    following = (year + 1, 1) if month == 12 else (year, month + 1)
    return render(
        request,
        "virtue/calendar.html",
        {
            "filters": filters,
            "year": year,
            "month": month,
            "kind": kind,
            "weeks": weeks,
            "days": sorted(by_day.items()),
            "today": today,
            "previous": f"{previous[0]:04d}-{previous[1]:02d}",
            "following": f"{following[0]:04d}-{following[1]:02d}",
            "count": len(events),
            "env_kinds": list(ENV_KINDS),
        },
    )


# --- the venue map ----------------------------------------------------------------------------------------
@login_required
def venue_map(request):
    """The integrity venues with their location: points on the map of Ya'an's counties (the area map,
    pages.area_map: ECharts on the counties' GeoJSON from our own static files, no map tiles;
    docs/decisions.md), each a link to its venue, and the list grouped by area with the coordinates, which
    works without script."""
    from grassroots.virtue.selectors import RESIDENTS_SEE, home_community

    community = None
    if has_perm(request.user, selectors.VIEW):
        area = area_from_request(request, selectors.VIEW)
    else:  # a resident: their own community's venues, once verified (the page says so before)
        _require(request.user, RESIDENTS_SEE)
        area, community = None, home_community(request.user)
        if community is None:
            return render(
                request, "virtue/venue_map.html", {"unverified": True, "points": area_map(points=[])}
            )
    venues = list(selectors.venues_with_location(request.user, area, community)[:1000])
    groups = defaultdict(list)
    for venue in venues:
        groups[venue.area].append(venue)
    located = [v for v in venues if v.latitude is not None and v.longitude is not None]
    points = area_map(
        points=[
            {
                "name": v.name,
                "lng": v.longitude,
                "lat": v.latitude,
                "link": v.get_absolute_url(),
                "kind": f"{v.get_kind_display()} · {v.area.name}",
            }
            for v in located
        ],
        name=_("阵地"),
    )
    return render(
        request,
        "virtue/venue_map.html",
        {
            "groups": sorted(groups.items(), key=lambda item: item[0].path),
            "points": points,
            "located": len(located),
            "total": len(venues),
            "community": community,
        },
    )
