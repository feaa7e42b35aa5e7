"""Which communities meet a standard's item (党建工作指导标准): the figure an item's page shows.

THE definition: in year Y each community is in one of three groups for item N of standard D (any version:
the item is (D, N)):
- **does not meet** (未达标): a finding of an inspection held in Y (`Inspection.inspected_on` in Y) that cites
  the item and lies in the community's subtree is still open — rectifying or rectified but not yet verified;
- **meets** (达标): otherwise, when an inspection held in Y lies in the community's subtree;
- **not inspected** (未督察): otherwise — nothing is known of Y; it is not counted as meeting.
Only live communities the viewer reaches with `assessments.view` count, and only those the standard applies
to (under its area, at the community level if it names levels)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Q

from grassroots.access.scoping import has_perm, scoped
from grassroots.areas.models import Area, Level
from grassroots.areas.rollup import Breakdown, per_child_of
from grassroots.areas.subtree import lies_under, under_q
from grassroots.core.assessments.models import Finding, FindingState, Inspection
from grassroots.core.assessments.rules import VIEW
from grassroots.documents.citing import same_item_q
from grassroots.documents.models import Item

OPEN_STATES = (FindingState.RECTIFYING, FindingState.RECTIFIED)


@dataclass
class Compliance:
    area: Area
    year: int
    communities: list[Area]  # each with .status, .meets, .open_findings (list) and .inspected
    breakdown: Breakdown  # per child: communities, meeting, not_meeting, not_inspected

    @property
    def meeting(self) -> int:
        return len(self.meeting_communities)

    @property
    def meeting_communities(self) -> list[Area]:
        return [c for c in self.communities if c.status == MEETS]

    @property
    def not_meeting(self) -> list[Area]:
        return [c for c in self.communities if c.status == NOT_MEETING]

    @property
    def not_inspected(self) -> list[Area]:
        return [c for c in self.communities if c.status == NOT_INSPECTED]

    @property
    def rate(self) -> float | None:
        """Share of the communities that meet the item, of all counted (the not inspected included)."""
        return round(100 * self.meeting / len(self.communities), 1) if self.communities else None


MEETS, NOT_MEETING, NOT_INSPECTED = "meets", "not_meeting", "not_inspected"


def status_of(*, open_findings: list, inspected: bool) -> str:
    """A community's group (the module's definition): an open finding decides, then an inspection."""
    if open_findings:
        return NOT_MEETING
    return MEETS if inspected else NOT_INSPECTED


def figure_area(user, item: Item, area: Area) -> Area:
    """The area the figure is for, asked about `area`: a standard set below it (a street's own standard seen
    from the city) is counted over the standard's area, when the user reaches that area."""
    document = item.section.version.document
    if lies_under(document.area.path, area.path) and has_perm(user, VIEW, document.area):
        return document.area
    return area


def compliance(user, item: Item, area: Area, year: int) -> Compliance:
    """The communities under `area` (and under the standard's area) that meet `item` in `year`, and the
    roll-up per child of `area`. Four queries: communities, open findings, inspected areas, the children."""
    document = item.section.version.document
    applies = not document.applies_to or Level.COMMUNITY in document.applies_to
    communities = (
        list(
            scoped(
                Area.objects.filter(
                    under_q(area.path, "path"),
                    under_q(document.area.path, "path"),
                    level=Level.COMMUNITY,
                    retired=False,
                ),
                user,
                VIEW,
            ).order_by("path")
        )
        if applies
        else []
    )
    open_findings = list(
        Finding.objects.filter(
            Q(standard_item__in=Item.objects.filter(same_item_q(item))),
            under_q(area.path),
            inspection__inspected_on__range=(date(year, 1, 1), date(year, 12, 31)),
            state__in=OPEN_STATES,
        )
        .select_related("area")
        .order_by("deadline", "pk")
    )
    inspected = set(
        Inspection.objects.filter(
            under_q(area.path), inspected_on__range=(date(year, 1, 1), date(year, 12, 31))
        ).values_list("area__path", flat=True)
    )
    for community in communities:
        community.open_findings = [f for f in open_findings if lies_under(f.area.path, community.path)]
        community.inspected = bool(community.open_findings) or any(
            lies_under(path, community.path) for path in inspected
        )
        community.status = status_of(open_findings=community.open_findings, inspected=community.inspected)
        community.meets = community.status == MEETS
    breakdown = per_child_of(
        communities,
        area,
        path=lambda c: c.path,
        communities=lambda c: 1,
        meeting=lambda c: int(c.status == MEETS),
        not_meeting=lambda c: int(c.status == NOT_MEETING),
        not_inspected=lambda c: int(c.status == NOT_INSPECTED),
    )
    return Compliance(area=area, year=year, communities=communities, breakdown=breakdown)
