"""What cultivation by virtue reads, through the one scoping function; figures through the one roll-up."""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Q

from grassroots.access.scoping import has_perm, scoped
from grassroots.areas.models import Area, Level
from grassroots.areas.rollup import Breakdown, per_child_of
from grassroots.areas.subtree import under_q
from grassroots.virtue.models import Venue, VenueKind, WarningEducation
from grassroots.virtue.services import MANAGE, TEAM_LEVELS, VIEW

__all__ = ["MANAGE", "VIEW"]

# Verified residents (and members) see the venues of the community they live in: the map and each venue's
# page, read only (docs/virtue.md, "Integrity venues").
RESIDENTS_SEE = "virtue.venues"


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


def covered_by_warning(year: int) -> Exists:
    """A boolean for team areas (streets, communities): a warning education session held for the team in
    `year`. The team is stored on every session (services.record_warning_education; the sessions made on the
    general form before were given theirs by migration 0012), so nothing is worked out on read."""
    return Exists(
        WarningEducation.objects.filter(
            team=OuterRef("pk"), gathering__status="held", gathering__starts_at__year=year
        )
    )


def teams_without_warning(user, year: int):
    """The streets and communities in the user's scope whose leadership team had no warning education held
    in `year` (a figure: 本年度未开展警示教育的班子)."""
    return team_areas(user, VIEW).annotate(covered=covered_by_warning(year)).filter(covered=False)


def venues(user):
    return (
        scoped(Venue.objects.all(), user, VIEW).select_related("area").annotate(photo_count=Count("photos"))
    )


def home_community(user) -> Area | None:
    """The community a verified resident lives in (whose venues they see), else None. One query."""
    from grassroots.virtue.services_points import community_of

    if not getattr(user, "identity_verified", False) or not has_perm(user, RESIDENTS_SEE):
        return None
    return community_of(user)


def visible_venues(user, community: Area | None = None):
    """The venues the user may see: those of their `virtue.view` scope and, for a verified resident, those of
    the community they live in and below (`community`: already read by the caller). Read only for the
    latter: managing is `virtue.manage` on the venue's area."""
    community = community or home_community(user)
    q = Q(pk__in=scoped(Venue.objects.all(), user, VIEW).values("pk"))
    if community is not None:
        q |= under_q(community.path, "area__path")
    return Venue.objects.filter(q).select_related("area").annotate(photo_count=Count("photos"))


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
