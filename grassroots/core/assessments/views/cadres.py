"""The grid cadre score pages (网格化干部考察): the stored scores ranked within each street, the street's
recomputation; the page's 导出 Excel is declared in exports.py (imports.lists)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from grassroots.access.scoping import area_from_request, has_perm
from grassroots.core.assessments.exports import cadre_score_rows
from grassroots.core.assessments.rules import OWN_SCORE, VIEW
from grassroots.core.assessments.selectors import people as selectors
from grassroots.core.assessments.services import cadres as services
from grassroots.pages import GOOD, paginate, stack_chart, year_param


def _require_page(request) -> None:
    """Officials who assess (assessments.view) see their scope; grid workers and other field workers their
    own score (assessments.own_score); others 403."""
    if not (has_perm(request.user, VIEW) or has_perm(request.user, OWN_SCORE)):
        raise PermissionDenied


@login_required
@require_GET
def grid_extension(request):
    _require_page(request)
    year, area, listed = cadre_score_rows(request)
    page = paginate(request, listed)
    return render(
        request,
        "assessments/grid_extension.html",
        {
            "page_obj": page,
            "chart": _scores_chart(listed, page.paginator.count) if page.paginator.count else None,
            "year": year,
            "area": area,
            "weight": services.rating_weight(),
            "may_compute": selectors.may_compute(request.user, area),
            "may_see_streets": has_perm(request.user, VIEW),
        },
    )


def _scores_chart(listed, count) -> dict:
    """Every cadre the table lists (all its pages) in the table's order: their score (bars) and grid task
    rate (line, %), a missing figure a gap, not a zero; above CHART_CADRES, each street with its cadres' mean
    score and rate (selectors.cadre_chart_series, aggregated in SQL)."""
    labels, scores, percents, grouped = selectors.cadre_chart_series(listed, count)
    if grouped:
        bar, line = _("平均考察得分"), _("平均网格任务得分率")
    else:
        bar, line = _("考察得分"), _("网格任务得分率")
    chart = stack_chart(labels, [(bar, scores, GOOD)], (line, percents), unit=_("分"))
    chart["grouped"] = grouped
    return chart


@login_required
@require_POST
def grid_extension_compute(request):
    """The street recomputes its cadres' scores for the year (the same service as the API and the demo)."""
    street = area_from_request(request, VIEW, required=True)
    year = year_param(request)
    try:
        count = services.compute_cadre_scores(actor=request.user, street=street, year=year)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("已计算 %(n)d 名网格干部的考察得分。") % {"n": count})
    return redirect(reverse("assessments:grid_extension") + f"?area={street.pk}&year={year}")
