"""Assessment pages: schemes, a scheme's items and its table of results (peers together, ranks), computing
it in the background, one target's drill-down to each item's evidence, and hand scores with their reason."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from grassroots.access.scoping import has_perm
from grassroots.core.assessments.exports import scheme_rows
from grassroots.core.assessments.forms import CopySchemeForm, HandScoreForm, ItemForm, SchemeForm
from grassroots.core.assessments.models import AssessmentItem, ComputeStatus, Method
from grassroots.core.assessments.rules import MANAGE
from grassroots.core.assessments.selectors import schemes as selectors
from grassroots.core.assessments.services import schemes as services
from grassroots.core.assessments.views._common import require_view
from grassroots.pages import GOOD, NEUTRAL, SERIES, attach_errors, paginate, stack_chart


@login_required
def scheme_list(request):
    require_view(request)
    year, schemes = scheme_rows(request)
    return render(
        request,
        "assessments/scheme_list.html",
        {
            "page_obj": paginate(request, schemes),
            "year": year,
            "can_create": has_perm(request.user, MANAGE),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def scheme_create(request):
    if not has_perm(request.user, MANAGE):
        raise PermissionDenied
    form = SchemeForm(request.POST or None, user=request.user, initial={"area": request.GET.get("area")})
    if request.method == "POST" and form.is_valid():
        try:
            scheme = services.create_scheme(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("已创建考核方案，请添加考核项目。"))
            return redirect(scheme.get_absolute_url())
    return render(
        request, "assessments/form.html", {"form": form, "title": _("新建考核方案"), "icon": "trophy"}
    )


def _manageable(request, pk):
    scheme = selectors.scheme_or_404(request.user, pk)
    if not selectors.can_manage(request.user, scheme):
        raise PermissionDenied
    return scheme


@login_required
def scheme_detail(request, pk):
    scheme = selectors.scheme_or_404(request.user, pk)
    manage = selectors.can_manage(request.user, scheme)
    items = list(scheme.items.select_related("standard_item__section__version__document"))
    order = "rank" if request.GET.get("order") == "rank" else "peers"
    rows = selectors.results(request.user, scheme, group=request.GET.get("group") or None)
    if order == "rank":
        rows = selectors.by_rank(rows)
    summary = selectors.results_summary(rows)
    page = paginate(request, rows, per_page=50)
    for assessment in page.object_list:
        by_item = {s.item_id: s for s in assessment.scores.all()}
        for item in items:
            if item.pk in by_item:
                by_item[item.pk].item = item  # the cell template reads the item's method: no query
        assessment.cells = [by_item.get(item.pk) for item in items]
    return render(
        request,
        "assessments/scheme_detail.html",
        {
            "scheme": scheme,
            "items": items,
            "total_weight": sum((i.weight for i in items), 0),
            "page_obj": page,
            "summary": summary,
            "chart": _bands_chart(summary) if summary["targets"] else None,
            "ranking_chart": _ranking_chart(rows, items, summary),
            "order": order,
            "can_manage": manage,
            "item_form": ItemForm(scheme=scheme) if manage else None,
            "copy_form": CopySchemeForm(initial={"year": scheme.year + 1}) if manage else None,
        },
    )


def _ranking_chart(rows, items, summary) -> dict | None:
    """Every target the table lists (all its pages) in the table's order, each bar its items' points stacked
    — the table's cells, a missing score a gap; above CHART_TARGETS targets, each peer group with its items'
    mean points (selectors.ranking_series, aggregated in SQL). None when no target has a total."""
    if not summary["scored"]:
        return None
    labels, points, grouped = selectors.ranking_series(rows, summary["targets"])
    chart = stack_chart(
        labels,
        [
            (item.name, points.get(item.pk, [None] * len(labels)), SERIES[i % len(SERIES)])
            for i, item in enumerate(items)
        ],
        unit=_("分"),
    )
    chart["grouped"] = grouped
    return chart


def _bands_chart(summary) -> dict:
    """The results' spread: targets per band of their total (share of full marks), and those without one."""
    bounds = [low for low, _count in summary["bands"]]
    labels = [
        f"{low}–{bounds[i + 1]}%" if i + 1 < len(bounds) else f"≥{low}%" for i, low in enumerate(bounds)
    ]
    counts = [count for _low, count in summary["bands"]]
    return stack_chart(
        [*labels, _("尚无总分")],
        [
            (_("已评分"), [*counts, 0], GOOD),
            (_("尚无总分"), [0] * len(counts) + [summary["unscored"]], NEUTRAL),
        ],
        unit=_("个"),
    )


@login_required
def scheme_status(request, pk):
    """The computation's status (htmx polls it while queued or running)."""
    scheme = selectors.scheme_or_404(request.user, pk)
    return render(request, "assessments/_compute_status.html", {"scheme": scheme})


@login_required
@require_POST
def scheme_compute(request, pk):
    scheme = _manageable(request, pk)
    services.request_compute(actor=request.user, scheme=scheme)
    messages.info(request, _("已开始计算，完成后刷新页面即可看到结果。"))
    return redirect(scheme.get_absolute_url())


@login_required
@require_http_methods(["GET", "POST"])
def item_add(request, pk):
    scheme = _manageable(request, pk)
    form = ItemForm(request.POST or None, scheme=scheme)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_item(actor=request.user, scheme=scheme, **form.cleaned_data)
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("已添加考核项目。重新计算后生效。"))
            return redirect(scheme.get_absolute_url())
    return render(
        request,
        "assessments/form.html",
        {
            "form": form,
            "title": _("添加考核项目"),
            "icon": "plus-lg",
            "subtitle": scheme.name,
            "cancel_url": scheme.get_absolute_url(),
        },
    )


@login_required
@require_POST
def item_remove(request, pk, item_pk):
    scheme = _manageable(request, pk)
    item = get_object_or_404(AssessmentItem, scheme=scheme, pk=item_pk)
    services.remove_item(actor=request.user, item=item)
    messages.success(request, _("已删除考核项目。"))
    return redirect(scheme.get_absolute_url())


@login_required
@require_POST
def scheme_copy(request, pk):
    scheme = _manageable(request, pk)
    form = CopySchemeForm(request.POST)
    if form.is_valid():
        try:
            copy = services.copy_scheme(actor=request.user, scheme=scheme, year=form.cleaned_data["year"])
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("已复制为新年度的考核方案。"))
            return redirect(copy.get_absolute_url())
    return redirect(scheme.get_absolute_url())


@login_required
@require_http_methods(["GET", "POST"])
def assessment_detail(request, pk):
    """One target's result: every item with its figure, points, evidence or hand-score reason, and the
    ranking among its peers. Those who manage the scheme score manual items here."""
    assessment = selectors.assessment_or_404(request.user, pk)
    scheme = assessment.scheme
    manage = selectors.can_manage(request.user, scheme)
    form = None
    if request.method == "POST":
        if not manage:
            raise PermissionDenied
        form = HandScoreForm(request.POST, auto_id=HandScoreForm.ids_for(request.POST.get("item")))
        if form.is_valid():
            item = get_object_or_404(AssessmentItem, scheme=scheme, pk=form.cleaned_data["item"])
            try:
                services.score_by_hand(
                    actor=request.user,
                    assessment=assessment,
                    item=item,
                    score=form.cleaned_data["score"],
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, _("已评分。"))
                return redirect(assessment.get_absolute_url())
    return render(
        request,
        "assessments/assessment_detail.html",
        {
            "assessment": assessment,
            "scheme": scheme,
            "rows": _with_score_forms(selectors.scores_of(assessment), form if manage else False),
            "peers": selectors.peer_results(assessment, request.user)[:50],
            "can_manage": manage,
            "form": form,
            "manual": Method.MANUAL,
            "computing": scheme.compute_status in (ComputeStatus.QUEUED, ComputeStatus.RUNNING),
        },
    )


def _with_score_forms(rows, posted):
    """(item, cell, form) for each row: a hand-scored item's form (the posted one for its item, with its
    errors; else one filled from the last hand score), None for other items or without the right to score."""
    out = []
    for item, cell in rows:
        form = None
        if posted is not False and item.method == Method.MANUAL:
            if posted is not None and str(posted.data.get("item")) == str(item.pk):
                form = posted
            else:
                initial = {"item": item.pk}
                if cell is not None and cell.source == "manual":
                    initial.update(score=cell.score, reason=cell.reason)
                form = HandScoreForm(initial=initial, auto_id=HandScoreForm.ids_for(item.pk))
            form.fields["score"].label = _("得分（0–%(w)s）") % {"w": item.weight}
            form.fields["score"].widget.attrs.update(min=0, max=item.weight, step="0.01")
        out.append((item, cell, form))
    return out
