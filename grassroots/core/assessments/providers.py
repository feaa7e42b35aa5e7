"""Figure providers of this app (述职评议得分, 督察整改销号率) and the adapter of the duties part (任务完成率,
任务按期完成率), registered from `AssessmentsConfig.ready()`. See `figures.py` for the contract."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from django.apps import apps
from django.db.models import Avg, Count, Min, Q, QuerySet, Sum
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from grassroots.areas.models import Area
from grassroots.areas.rollup import per_subtree
from grassroots.figures.registry import Figure, register_provider


def _per_target(queryset: QuerySet, targets: Sequence[Area], **aggregates) -> dict[int, dict]:
    """{target id: `aggregates` over its subtree} (the roll-up of `grassroots.areas.rollup`)."""
    rows = per_subtree(queryset, [t.path for t in targets], path_field="area__path", **aggregates)
    return {t.pk: rows[t.path] for t in targets}


def rectification(targets: Sequence[Area], year: int) -> dict[int, Figure]:
    """Findings under each target whose deadline falls in `year`: the share verified. A target with no
    such finding had nothing to rectify (rate 1)."""
    from grassroots.core.assessments.models import Finding, FindingState

    counts = _per_target(
        Finding.objects.filter(deadline__year=year),
        targets,
        total=Count("pk"),
        done=Count("pk", filter=Q(state=FindingState.VERIFIED)),
    )
    base = reverse("assessments:finding_list")
    figures = {}
    for target in targets:
        row = counts[target.pk]
        url = f"{base}?area={target.pk}&year={year}"
        if not row["total"]:
            figures[target.pk] = Figure(Decimal(1), _("本年度无督察问题"), url)
            continue
        detail = _("已验收销号 %(done)d / %(total)d 个问题") % row
        figures[target.pk] = Figure(Decimal(row["done"]) / Decimal(row["total"]), detail, url)
    return figures


def report_score(targets: Sequence[Area], year: int) -> dict[int, Figure]:
    """The published work reports of the organizations attached to each target area: their average score
    out of 100."""
    from grassroots.core.assessments.models import ReportState, WorkReport

    rows = (
        WorkReport.objects.filter(area__in=[t.pk for t in targets], year=year, state=ReportState.PUBLISHED)
        .values("area_id")
        .annotate(avg=Avg("average_score"), n=Count("pk"), first=Min("pk"))
        .order_by()
    )
    figures = {}
    for row in rows:
        url = (
            reverse("assessments:report_detail", args=[row["first"]])
            if row["n"] == 1
            else reverse("assessments:report_list") + f"?area={row['area_id']}&year={year}"
        )
        avg = Decimal(row["avg"]).quantize(Decimal("0.01"))
        detail = _("述职评议平均分 %(avg)s") % {"avg": avg}
        figures[row["area_id"]] = Figure(avg / 100, detail, url)
    return figures


# --- the duties part (task lists) ---------------------------------------------------------------------------
# The duties part defines the figures once, in the one figure registry ("duties.completion" and
# "duties.timeliness": grassroots/core/duties/selectors/figures.py); here they are read for all targets in one
# grouped query (`grassroots.figures.compute.per_targets`).
def _duties():
    from grassroots.figures.registry import get

    return get("duties.completion")


def duty_counts(targets: Sequence[Area], year: int) -> dict[int, dict]:
    """{target id: the duties figures of `year` in its subtree} (total, approved, on_time, completion_rate,
    on_time_rate …, as `completion_figures` gives them)."""
    from grassroots.core.duties.selectors import with_rates
    from grassroots.figures.compute import per_targets

    rows = per_targets(_duties(), targets, year)
    return {pk: with_rates(row) for pk, row in rows.items()}


def _progress_url(target: Area, year: int) -> str:
    try:
        return reverse("duties:progress") + f"?area={target.pk}&year={year}"
    except NoReverseMatch:
        return ""


def duty_completion(targets: Sequence[Area], year: int) -> dict[int, Figure]:
    figures = {}
    for target_id, values in duty_counts(targets, year).items():
        if values["completion_rate"] is None:
            continue
        detail = _("完成 %(approved)d / %(total)d 项任务") % values
        figures[target_id] = Figure(values["completion_rate"], detail)
    return _with_urls(figures, targets, year)


def duty_timeliness(targets: Sequence[Area], year: int) -> dict[int, Figure]:
    figures = {}
    for target_id, values in duty_counts(targets, year).items():
        if values["on_time_rate"] is None:
            continue
        detail = _("按期完成 %(on_time)d / %(approved)d 项任务") % values
        figures[target_id] = Figure(values["on_time_rate"], detail)
    return _with_urls(figures, targets, year)


def _with_urls(figures: dict[int, Figure], targets: Sequence[Area], year: int) -> dict[int, Figure]:
    by_id = {t.pk: t for t in targets}
    return {pk: Figure(f.rate, f.detail, _progress_url(by_id[pk], year)) for pk, f in figures.items()}


def grid_cadre(targets: Sequence[Area], year: int) -> dict[int, Figure]:
    """The grid cadre score of each target (a grid, or any area: its subtree): the year's tasks issued to
    the areas under it and verified residents' ratings given there, combined by `services.cadres.combine`
    (the formula of the stored per-person score)."""
    from grassroots.core.assessments.services.cadres import combine, task_rate, verified_ratings

    tasks = duty_counts(targets, year) if _duties() is not None else {}
    stars = per_subtree(
        verified_ratings(year),
        [t.path for t in targets],
        path_field="grid__path",
        stars=Sum("score"),
        n=Count("pk"),
    )
    base = reverse("assessments:grid_extension")
    figures = {}
    for target in targets:
        counts = tasks.get(target.pk) or {"total": 0, "approved": 0, "on_time": 0}
        rated = stars[target.path]
        average = (Decimal(rated["stars"]) / rated["n"]).quantize(Decimal("0.01")) if rated["n"] else None
        score = combine(task_rate(counts["total"], counts["approved"], counts["on_time"]), average)
        if score is None:
            continue
        detail = _(
            "完成 %(approved)d / %(total)d 项网格任务（按期 %(on_time)d），居民评价 %(stars)s 星（%(n)d 人）"
        ) % {
            **counts,
            "stars": average if average is not None else "—",
            "n": rated["n"],
        }
        figures[target.pk] = Figure(score / 100, detail, f"{base}?area={target.pk}&year={year}")
    return figures


def register_builtin() -> None:
    register_provider("assessments.report_score", report_score)
    register_provider("assessments.rectification", rectification)
    register_provider("assessments.grid_cadre", grid_cadre)
    if apps.is_installed("grassroots.core.duties") and _duties() is not None:
        register_provider("duties.completion", duty_completion)
        register_provider("duties.timeliness", duty_timeliness)
