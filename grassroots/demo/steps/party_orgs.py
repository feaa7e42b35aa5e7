"""Step `party_orgs`: the city and county Party committees, a committee per street (街道党工委) or township
(镇/乡党委), a committee, general branch or branch per community, a branch per grid (or a group, below a
village branch) and a few Party groups per grid branch."""

from __future__ import annotations

from collections import defaultdict

from grassroots.areas.models import Area, Level, PartyOrg, PartyOrgKind
from grassroots.areas.subtree import under_q
from grassroots.demo.names import cn_number
from grassroots.demo.registry import SeedContext, seed_step
from grassroots.demo.treebuild import BulkWriter

CHUNK = 500  # communities per round of writes: bounds memory in tier L
SUFFIX = {
    PartyOrgKind.COMMITTEE: "党委",
    PartyOrgKind.GENERAL_BRANCH: "党总支",
    PartyOrgKind.BRANCH: "党支部",
}


@seed_step(order=20)
def party_orgs(ctx: SeedContext) -> None:
    if PartyOrg.objects.filter(under_q(ctx.city.path)).exists():
        return
    rng = ctx.rng
    city_org = PartyOrg.objects.create(
        name=f"中共{ctx.city.name}委", kind=PartyOrgKind.COMMITTEE, area=ctx.city
    )
    county_orgs = _bulk(
        [
            PartyOrg(name=f"中共{c.name}委", kind=PartyOrgKind.COMMITTEE, area=c, parent=city_org)
            for c in ctx.counties
        ]
    )
    by_county = {org.area.path: org for org in county_orgs}
    street_orgs = _bulk(
        [
            PartyOrg(
                name=f"{s.name}党工委" if s.name.endswith("街道") else f"{s.name}党委",
                kind=PartyOrgKind.COMMITTEE,
                area=s,
                parent=by_county[s.path[: -Area.steplen]],
            )
            for s in ctx.streets
        ]
    )
    by_street = {org.area.path: org for org in street_orgs}

    grids = defaultdict(list)
    community_len = len(ctx.communities[0].path) if ctx.communities else 0
    below = Area.objects.filter(under_q(ctx.city.path, "path"), level=Level.GRID).order_by("path")
    for grid in below.only("id", "path", "name"):
        grids[grid.path[:community_len]].append(grid)

    writer = BulkWriter(PartyOrg)
    for start in range(0, len(ctx.communities), CHUNK):
        chunk = ctx.communities[start : start + CHUNK]
        community_orgs = _bulk(
            [_community_org(rng, c, by_street.get(c.path[: -Area.steplen])) for c in chunk]
        )
        branches = []
        for org in community_orgs:
            community = org.area
            for grid in grids[community.path]:
                name = f"{community.name}{grid.name}"
                if org.kind == PartyOrgKind.BRANCH:  # a village branch has groups, not branches
                    writer.add(PartyOrg(name=f"{name}党小组", kind=PartyOrgKind.GROUP, area=grid, parent=org))
                else:
                    branches.append(
                        PartyOrg(name=f"{name}党支部", kind=PartyOrgKind.BRANCH, area=grid, parent=org)
                    )
        for branch in _bulk(branches):
            for n in range(1, rng.randint(*ctx.tier.groups_per_branch) + 1):
                group_name = f"{branch.name[:-3]}第{cn_number(n)}党小组"
                writer.add(
                    PartyOrg(name=group_name, kind=PartyOrgKind.GROUP, area=branch.area, parent=branch)
                )
        writer.flush()
    ctx.log(f"  {PartyOrg.objects.filter(under_q(ctx.city.path)).count()} Party organizations")


def _community_org(rng, community: Area, parent: PartyOrg | None) -> PartyOrg:
    if community.name.endswith("村"):
        kind = PartyOrgKind.GENERAL_BRANCH if rng.random() < 0.4 else PartyOrgKind.BRANCH
    else:
        kind = PartyOrgKind.COMMITTEE if rng.random() < 0.3 else PartyOrgKind.GENERAL_BRANCH
    return PartyOrg(name=f"{community.name}{SUFFIX[kind]}", kind=kind, area=community, parent=parent)


def _bulk(objs: list[PartyOrg]) -> list[PartyOrg]:
    """bulk_create, primary keys set on the objects (SQLite ≥ 3.35, PostgreSQL)."""
    return PartyOrg.objects.bulk_create(objs, batch_size=1_000)
