"""What cultivation by virtue reads, through the one scoping function; figures through the one roll-up."""

from __future__ import annotations

from django.db.models import Count, Q

from grassroots.access.scoping import scoped
from grassroots.areas.models import Area, Level
from grassroots.areas.rollup import Breakdown, per_child_of
from grassroots.areas.subtree import under_q
from grassroots.virtue.models import Venue, VenueKind, WarningEducation
from grassroots.virtue.services import MANAGE, TEAM_LEVELS, VIEW

__all__ = ["MANAGE", "VIEW"]


def warning_educations(user):
    """The warning education sessions in the user's scope, with the number marked present."""
    return (
        scoped(WarningEducation.objects.all(), user, VIEW)
        .select_related("gathering", "team", "created_by")
        .annotate(attended=Count("gathering__participants", filter=Q(gathering__participants__present=True)))
        .order_by("-gathering__starts_at", "-pk")
    )


def team_areas(user, permission: str = MANAGE):
    """Streets and communities (their leadership teams) in the user's scope, not retired."""
    return scoped(
        Area.objects.filter(level__in=TEAM_LEVELS, retired=False), user, permission, "path"
    ).order_by("path")


def teams_without_warning(user, year: int):
    """The streets and communities in the user's scope whose leadership team had no warning education held
    in `year` (a figure: 本年度未开展警示教育的班子)."""
    educated = WarningEducation.objects.filter(
        gathering__status="held", gathering__starts_at__year=year
    ).values("team_id")
    return team_areas(user, VIEW).exclude(pk__in=educated)


def venues(user):
    return (
        scoped(Venue.objects.all(), user, VIEW).select_related("area").annotate(photo_count=Count("photos"))
    )


def venue_areas(user):
    return scoped(Area.objects.filter(retired=False), user, MANAGE, "path").order_by("path")


def coverage(area: Area) -> Breakdown:
    """Communities under `area` with and without each kind of venue, per child area (the one roll-up's
    rule: `per_child_of`). Two queries for the rows, one for the children."""
    communities = list(
        Area.objects.filter(under_q(area.path, "path"), level=Level.COMMUNITY, retired=False).only("path")
    )
    width = len(communities[0].path) if communities else 0
    having: dict[str, set[str]] = {kind: set() for kind in VenueKind.values}
    if communities:
        for path, kind in (
            Venue.objects.filter(under_q(area.path, "area__path"))
            .values_list("area__path", "kind")
            .distinct()
        ):
            if len(path) >= width:  # a venue of a street's own counts for no community
                having[kind].add(path[:width])
    figures = {"communities": lambda a: 1}
    for kind in VenueKind.values:
        figures[kind] = lambda a, kind=kind: int(a.path in having[kind])
    return per_child_of(communities, area, path=lambda a: a.path, **figures)


def coverage_lines(breakdown: Breakdown) -> list[dict]:
    """Rows for the page and the API: per line, communities, with and without each kind."""
    rows = []
    lines = [(area, figures, False) for area, figures in breakdown.lines()]
    for area, figures, total in [*lines, (breakdown.area, breakdown.total, True)]:
        row = {"area": area, "total": total, "communities": figures["communities"], "kinds": []}
        for kind, label in VenueKind.choices:
            row["kinds"].append(
                {
                    "kind": kind,
                    "label": label,
                    "with": figures[kind],
                    "without": figures["communities"] - figures[kind],
                }
            )
        rows.append(row)
    return rows
