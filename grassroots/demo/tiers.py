"""Sizes of the demo data. S is what `make run` loads (and what the tests load: about a second);
M (Ya'an-sized) and L (a large city, 10× M) are for benchmarks.

Real rows (the city, its 8 counties, 96 streets and townships, 659 committees) are always loaded. M and L
add generated streets and communities beside the real ones until the totals are reached. Below every
community the levels are generated: grids, then courtyards (院落) and residential compounds (小区), then
buildings (楼栋).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

Range = tuple[int, int]  # inclusive bounds for rng.randint


@dataclass(frozen=True)
class Tier:
    name: str
    description: str
    streets: int  # total streets and townships wanted (real + generated)
    communities: int  # total communities wanted (real + generated)
    grids_urban: Range  # grids per residents' committee (社区)
    grids_rural: Range  # grids per villagers' committee (村)
    courtyards_urban: Range  # courtyards per urban grid
    compounds_urban: Range  # residential compounds per urban grid
    buildings_per_compound: Range
    buildings_per_courtyard: Range
    courtyards_rural: Range  # courtyards per village grid (no buildings)
    residents: int  # generated resident accounts (besides the one demo account per role)
    groups_per_branch: Range = (0, 2)  # Party groups per grid branch


TIERS: dict[str, Tier] = {
    "S": Tier(
        name="S",
        description="the demo: every real division, a few grids per community",
        streets=0,
        communities=0,
        grids_urban=(2, 4),
        grids_rural=(1, 2),
        courtyards_urban=(1, 2),
        compounds_urban=(1, 2),
        buildings_per_compound=(2, 6),
        buildings_per_courtyard=(0, 2),
        courtyards_rural=(1, 2),
        residents=300,
    ),
    "M": Tier(
        name="M",
        description="Ya'an-sized: ~100 streets, 1,000 communities, 10,000 grids",
        streets=100,
        communities=1_000,
        grids_urban=(8, 12),
        grids_rural=(8, 12),
        courtyards_urban=(1, 2),
        compounds_urban=(1, 2),
        buildings_per_compound=(2, 8),
        buildings_per_courtyard=(0, 2),
        courtyards_rural=(1, 3),
        residents=3_000,
    ),
}
# L is M scaled ten times; everything per community stays as in M.
TIERS["L"] = replace(
    TIERS["M"],
    name="L",
    description="a large city (10× M): ~1,000 streets, 10,000 communities, 100,000 grids",
    streets=1_000,
    communities=10_000,
    residents=30_000,
)
