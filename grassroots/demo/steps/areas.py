"""Step `areas`: 雅安市 with its real counties, streets and committees (data/yaan_divisions.csv), generated
streets and communities for the benchmark tiers, and generated grids, courtyards, compounds and buildings."""

from __future__ import annotations

from grassroots.areas.models import Area, Level
from grassroots.areas.subtree import lies_under, under_q
from grassroots.demo import divisions
from grassroots.demo.registry import SeedContext, seed_step
from grassroots.demo.treebuild import BulkWriter, child_path, plan_city, plan_community, row

# Where the demo accounts work: 雨城区 · 东城街道 · 东大街社区 (real codes).
PLACE_CODES = {"county": "511802", "street": "511802001", "community": "511802001001"}


@seed_step(order=10)
def areas(ctx: SeedContext) -> None:
    city = Area.objects.filter(code=divisions.CITY_CODE).first()
    if city is None:
        city = create_tree(ctx)
    else:
        ctx.log(f"  {city.name} ({city.code}) exists: its tree is kept as it is")
    load_context(ctx, city)


def create_tree(ctx: SeedContext) -> Area:
    plan = plan_city(ctx.rng, ctx.tier)
    source = divisions.city()
    city = Area.objects.add_root(
        {"name": source.name, "level": Level.CITY, "code": source.code, "numchild": len(plan)}
    )
    writer = BulkWriter(Area)
    for ci, county in enumerate(plan, 1):
        county_path = child_path(city.path, ci)
        writer.add(row(county, county_path))
        for si, street in enumerate(county.children, 1):
            street_path = child_path(county_path, si)
            writer.add(row(street, street_path))
            for mi, community in enumerate(street.children, 1):
                community_path = child_path(street_path, mi)
                community.children = plan_community(ctx.rng, ctx.tier, community.kind)
                _write_subtree(writer, community, community_path)
                community.children = []  # what is written is not kept: tier L has a million rows
    writer.flush()
    ctx.log(f"  {writer.written + 1} areas written")
    return city


def _write_subtree(writer: BulkWriter, node, path: str) -> None:
    writer.add(row(node, path))
    for i, child in enumerate(node.children, 1):
        _write_subtree(writer, child, child_path(path, i))


def load_context(ctx: SeedContext, city: Area) -> None:
    ctx.city = city
    under = Area.objects.filter(under_q(city.path, "path"), depth__lte=city.depth + 3).order_by("path")
    rows = list(under.only("id", "path", "depth", "numchild", "name", "level", "code", "retired"))
    ctx.counties = [a for a in rows if a.level == Level.COUNTY]
    ctx.streets = [a for a in rows if a.level == Level.STREET]
    ctx.communities = [a for a in rows if a.level == Level.COMMUNITY]
    ctx.places = {"city": city, **find_places(rows)}


def find_places(rows: list[Area]) -> dict[str, Area]:
    """The demo accounts' places, by their real codes; the first of each level below when a code is missing
    (e.g. a city imported from elsewhere)."""
    by_code = {a.code: a for a in rows if a.code}
    places: dict[str, Area] = {}
    parent = rows[0]
    for key, level in (("county", Level.COUNTY), ("street", Level.STREET), ("community", Level.COMMUNITY)):
        found = by_code.get(PLACE_CODES[key])
        if found is None or not lies_under(found.path, parent.path):
            found = next((a for a in rows if a.level == level and lies_under(a.path, parent.path)), None)
        if found is None:
            return places
        places[key] = parent = found
    below = Area.objects.filter(under_q(parent.path, "path"), depth__gt=parent.depth).order_by("path")
    grid = below.filter(level=Level.GRID).first()
    if grid is not None:
        places["grid"] = grid
        homes = below.filter(under_q(grid.path, "path"), level__in=[Level.COURTYARD, Level.BUILDING])
        home = homes.filter(level=Level.BUILDING).first() or homes.first()
        if home is not None:
            places["home"] = home
    return places
