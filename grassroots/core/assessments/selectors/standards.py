"""Which communities meet a standard's item (党建工作指导标准): the figure an item's page shows.

THE definition: in year Y, a community **meets** item N of standard D when no finding of an inspection held
in Y (`Inspection.inspected_on` in Y) that cites item N of D (any version: the item is (D, N)) and lies in
the community's subtree is still open — rectifying or rectified but not yet verified. A community without
such a finding meets it, inspected or not (`inspected` says how many were inspected in Y at all). Only live
communities the viewer reaches with `assessments.view` count, and only those the standard applies to (under
its area, at the community level if it names levels)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Q

from grassroots.access.scoping import scoped
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
    communities: list[Area]  # each with .meets, .open_findings (list) and .inspected
    breakdown: Breakdown

    @property
    def meeting(self) -> int:
        return sum(1 for c in self.communities if c.meets)

    @property
    def meeting_communities(self) -> list[Area]:
        return [c for c in self.communities if c.meets]

    @property
    def not_meeting(self) -> list[Area]:
        return [c for c in self.communities if not c.meets]

    @property
    def rate(self) -> float | None:
        return round(100 * self.meeting / len(self.communities), 1) if self.communities else None


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
        community.meets = not community.open_findings
        community.inspected = any(lies_under(path, community.path) for path in inspected)
    breakdown = per_child_of(
        communities,
        area,
        path=lambda c: c.path,
        communities=lambda c: 1,
        meeting=lambda c: int(c.meets),
    )
    return Compliance(area=area, year=year, communities=communities, breakdown=breakdown)
