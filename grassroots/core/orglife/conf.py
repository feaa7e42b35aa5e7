"""Settings of organizational life, with the defaults of the rules (三会一课). Override in settings.py:

ORGLIFE_FREQUENCY = {"orglife_general": "quarter", "orglife_committee": "month", ...}
    kind → "month" | "quarter" | "year": at least one accepted report of that kind in each such period.
    A kind left out is not required (主题党日 by default).
ORGLIFE_GROUP_MEETING_NEEDS_GROUPS = True
    党小组会 is required only of branches that have live Party groups (党小组) below them.
ORGLIFE_REMIND_DAYS = {"month": 7, "quarter": 15, "year": 30}
    how many days before a period ends its secretary is reminded of a required gathering not yet held.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

from grassroots.core.orglife import kinds
from grassroots.core.orglife.periods import MONTH, QUARTER, UNIT_LABELS, UNITS, YEAR

DEFAULT_FREQUENCY = {
    kinds.GENERAL_MEETING: QUARTER,
    kinds.COMMITTEE_MEETING: MONTH,
    kinds.GROUP_MEETING: MONTH,
    kinds.PARTY_LESSON: QUARTER,
    kinds.REVIEW_MEETING: YEAR,
}
DEFAULT_REMIND_DAYS = {MONTH: 7, QUARTER: 15, YEAR: 30}


@dataclass(frozen=True)
class Rule:
    kind: str
    unit: str
    needs_groups: bool = False  # required only of branches with Party groups

    @property
    def label(self):
        return kinds.label(self.kind)

    @property
    def unit_label(self):
        return UNIT_LABELS[self.unit]


def rules() -> list[Rule]:
    """The frequency rules in force, in the order of `kinds.KINDS`."""
    frequency = getattr(settings, "ORGLIFE_FREQUENCY", DEFAULT_FREQUENCY)
    needs_groups = getattr(settings, "ORGLIFE_GROUP_MEETING_NEEDS_GROUPS", True)
    out = []
    for code in kinds.CODES:
        unit = frequency.get(code)
        if unit is None:
            continue
        if unit not in UNITS:
            raise ValueError(f"ORGLIFE_FREQUENCY[{code!r}] must be one of {UNITS}, not {unit!r}")
        out.append(Rule(code, unit, needs_groups=needs_groups and code == kinds.GROUP_MEETING))
    return out


def remind_days(unit: str) -> int:
    return int(getattr(settings, "ORGLIFE_REMIND_DAYS", DEFAULT_REMIND_DAYS).get(unit, 0))
