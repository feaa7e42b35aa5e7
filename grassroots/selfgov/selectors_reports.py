"""The table of residents' quick reports (随手拍) for officials: per child area of the working area (per
community for a street, per street for a county, per courtyard for a community), the reports by category and
by state, ranked most first — through the one roll-up (`areas.rollup.per_child`, one statement); the
reports by category and state together (one aggregate over the area's path, the bar chart) and the newest
reports with coordinates as points of the area map (one statement, at most `MAP_POINTS`)."""

from __future__ import annotations

from django.db.models import Count, Q

from grassroots.access.scoping import has_perm, roles_of
from grassroots.accounts.roles import PUBLIC
from grassroots.areas.models import Area
from grassroots.areas.rollup import per_child
from grassroots.areas.subtree import under_q
from grassroots.selfgov.models import Category, Channel, Opinion, OpinionState

VIEW = "selfgov.view"


def may_read(user) -> bool:
    """Who reads 随手拍统计 (the page and the API): the working roles that see opinions, not residents."""
    return has_perm(user, VIEW) and bool(roles_of(user) - PUBLIC)


def _figures() -> dict:
    figures = {"total": Count("pk")}
    figures |= {f"category_{c}": Count("pk", filter=Q(category=c)) for c in Category.values}
    figures |= {f"state_{s}": Count("pk", filter=Q(state=s)) for s in OpinionState.values}
    return figures


def quick_report_table(area: Area, year: int | None = None) -> dict:
    """{"rows": [(child or None for the area's own, [per category], [per state], total)], ranked by total
    (most first, then tree order), "total": ([per category], [per state], total)} of the quick reports under
    `area` (of `year`, by the day they were made, when given). The caller checks `area` is in the reader's
    scope: every report under it is then theirs to count."""
    reports = Opinion.objects.filter(channel=Channel.QUICK_REPORT)
    if year:
        reports = reports.filter(created_at__year=year)
    breakdown = per_child(reports, area, path_field="area__path", **_figures())

    def line(figures: dict) -> tuple[list, list, int]:
        return (
            [figures[f"category_{c}"] for c in Category.values],
            [figures[f"state_{s}"] for s in OpinionState.values],
            figures["total"],
        )

    lines = [(child, *line(figures)) for child, figures in breakdown.lines()]
    order = {id(row): n for n, row in enumerate(lines)}
    lines.sort(key=lambda row: (-row[3], order[id(row)]))
    return {"rows": lines, "total": line(breakdown.total)}


# The newest quick reports drawn on the map at most (a page stays light; the table counts them all).
MAP_POINTS = 500


def _reports(area: Area, year: int | None):
    reports = Opinion.objects.filter(under_q(area.path, "area__path"), channel=Channel.QUICK_REPORT)
    return reports.filter(created_at__year=year) if year else reports


def by_category_and_state(area: Area, year: int | None = None) -> dict[str, dict[str, int]]:
    """{category: {state: count}} of the quick reports under `area` (of `year`), every category and state
    present (zeros too). One aggregate query."""
    counts = {c: dict.fromkeys(OpinionState.values, 0) for c in Category.values}
    rows = _reports(area, year).order_by().values_list("category", "state").annotate(n=Count("pk"))
    for category, state, n in rows:
        if category in counts and state in counts[category]:
            counts[category][state] = n
    return counts


def map_points(area: Area, year: int | None = None, limit: int = MAP_POINTS) -> list[dict]:
    """The newest quick reports under `area` (of `year`) that carry the phone's position: {"id", "lng",
    "lat", "category", "state", "text", "area_name", "created_at"}. One query."""
    rows = (
        _reports(area, year)
        .filter(latitude__isnull=False, longitude__isnull=False)
        .order_by("-created_at", "-pk")
        .values("pk", "longitude", "latitude", "category", "state", "text", "area__name", "created_at")[
            :limit
        ]
    )
    return [
        {
            "id": row["pk"],
            "lng": row["longitude"],
            "lat": row["latitude"],
            "category": row["category"],
            "state": row["state"],
            "text": row["text"],
            "area_name": row["area__name"],
            "created_at": row["created_at"],
        }
        for row in rows
    ]
