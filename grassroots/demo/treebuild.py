"""Planning and bulk-writing the area tree.

The tree is written with `bulk_create` and paths computed here the way django-treebeard's MP_Node
computes them (`MP_Node._get_path`: the parent's path plus the child's position in base 36, zero-padded
to `steplen` = 4), with `depth` and `numchild` set on each row, so that the rows are exactly what
`add_child` would have made, minus one query per node. Only the city root goes through treebeard's own
`add_root`.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field

from grassroots.areas.models import Area, Level
from grassroots.demo import divisions, names
from grassroots.demo.tiers import Tier

BATCH_SIZE = 2_000


@dataclass(slots=True)
class Node:
    name: str
    level: int
    code: str | None = None
    kind: str = ""  # street: subdistrict/town/township; community: residents/villagers/generated
    children: list[Node] = field(default_factory=list)


def step_key(position: int) -> str:
    """The path step of the `position`-th child (1-based), as treebeard writes it."""
    key = Area._int2str(position)
    if len(key) > Area.steplen:
        raise ValueError(f"more than {36**Area.steplen - 1} children under one node")
    return key.rjust(Area.steplen, Area.alphabet[0])


def child_path(parent_path: str, position: int) -> str:
    return parent_path + step_key(position)


def plan_city(rng: random.Random, tier: Tier) -> list[Node]:
    """Counties → streets → communities: the real divisions, plus generated streets and
    communities up to the tier's totals. Levels below communities are generated later, while writing."""
    tree = divisions.children_by_parent()
    counties: list[Node] = []
    for county in tree[divisions.CITY_CODE]:
        node = Node(county.name, Level.COUNTY, county.code, county.kind)
        for street in tree.get(county.code, []):
            street_node = Node(street.name, Level.STREET, street.code, street.kind)
            street_node.children = [
                Node(c.short_name, Level.COMMUNITY, c.code, c.kind) for c in tree.get(street.code, [])
            ]
            node.children.append(street_node)
        counties.append(node)

    real_streets = sum(len(c.children) for c in counties)
    for i in range(max(0, tier.streets - real_streets)):
        county = counties[i % len(counties)]
        taken = {s.name for s in county.children}
        county.children.append(Node(names.place_name(rng, taken, "街道"), Level.STREET, kind="subdistrict"))

    streets = [s for c in counties for s in c.children]
    extra = max(0, tier.communities - sum(len(s.children) for s in streets))
    per_street = max(1, round(tier.communities / tier.streets)) if tier.streets else 1
    targets: list[Node] = []
    for street in streets:
        if not street.children:  # a generated street gets a typical number of communities
            targets.extend([street] * per_street)
    targets = targets[:extra]
    targets.extend(rng.choice(streets) for _ in range(extra - len(targets)))
    taken_by_street: dict[int, set[str]] = {}
    for street in targets:
        taken = taken_by_street.setdefault(id(street), {c.name for c in street.children})
        street.children.append(Node(names.place_name(rng, taken, "社区"), Level.COMMUNITY, kind="generated"))
    return counties


def plan_community(rng: random.Random, tier: Tier, kind: str) -> list[Node]:
    """Grids, courtyards, compounds and buildings below one community."""
    village = kind == "villagers"
    taken: set[str] = set()
    grids: list[Node] = []
    for g in range(1, rng.randint(*(tier.grids_rural if village else tier.grids_urban)) + 1):
        grid = Node(names.grid_name(g), Level.GRID)
        if village:
            for _ in range(rng.randint(*tier.courtyards_rural)):
                grid.children.append(Node(names.courtyard_name(rng, taken, village=True), Level.COURTYARD))
        else:
            for _ in range(rng.randint(*tier.courtyards_urban)):
                courtyard = Node(names.courtyard_name(rng, taken), Level.COURTYARD)
                courtyard.children = _buildings(rng.randint(*tier.buildings_per_courtyard))
                grid.children.append(courtyard)
            for _ in range(rng.randint(*tier.compounds_urban)):
                compound = Node(names.compound_name(rng, taken), Level.COMPOUND)
                compound.children = _buildings(rng.randint(*tier.buildings_per_compound))
                grid.children.append(compound)
        grids.append(grid)
    return grids


def _buildings(count: int) -> list[Node]:
    return [Node(names.building_name(n), Level.BUILDING) for n in range(1, count + 1)]


def row(node: Node, path: str) -> Area:
    """The unsaved Area row of `node` at `path`, depth and numchild set as treebeard would."""
    return Area(
        name=node.name,
        level=node.level,
        code=node.code,
        path=path,
        depth=len(path) // Area.steplen,
        numchild=len(node.children),
    )


def flatten(node: Node, parent_path: str, position: int) -> Iterator[Area]:
    """The unsaved Area rows of `node` and its whole subtree, parents first."""
    path = child_path(parent_path, position)
    yield row(node, path)
    for i, child in enumerate(node.children, 1):
        yield from flatten(child, path, i)


class BulkWriter:
    """Buffers unsaved rows of one model and writes them with bulk_create in batches."""

    def __init__(self, model, batch_size: int = BATCH_SIZE):
        self.model = model
        self.batch_size = batch_size
        self.pending: list = []
        self.written = 0

    def add(self, obj):
        self.pending.append(obj)
        if len(self.pending) >= self.batch_size:
            self.flush()
        return obj

    def flush(self) -> None:
        if self.pending:
            # On SQLite ≥ 3.35 and PostgreSQL, bulk_create sets the primary keys on the objects.
            self.model.objects.bulk_create(self.pending, batch_size=self.batch_size)
            self.written += len(self.pending)
            self.pending = []
