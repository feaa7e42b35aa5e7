"""Calendar periods (month, quarter, year) and the slots a frequency rule asks for inside a period."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

MONTH, QUARTER, YEAR = "month", "quarter", "year"
UNITS = (MONTH, QUARTER, YEAR)
UNIT_LABELS = {MONTH: gettext_lazy("每月"), QUARTER: gettext_lazy("每季度"), YEAR: gettext_lazy("每年")}
_MONTHS = {MONTH: 1, QUARTER: 3, YEAR: 12}


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True, order=True)
class Period:
    """A calendar month, quarter or year: `start` is its first day."""

    start: date
    unit: str

    @classmethod
    def of(cls, unit: str, day: date) -> Period:
        if unit == YEAR:
            return cls(date(day.year, 1, 1), YEAR)
        if unit == QUARTER:
            return cls(date(day.year, (day.month - 1) // 3 * 3 + 1, 1), QUARTER)
        if unit == MONTH:
            return cls(date(day.year, day.month, 1), MONTH)
        raise ValueError(f"unknown period unit {unit!r}")

    @classmethod
    def parse(cls, text: str) -> Period:
        """ "2025" (year), "2025-Q2" (quarter), "2025-03" (month); ValueError otherwise."""
        text = (text or "").strip().upper()
        if m := re.fullmatch(r"(\d{4})", text):
            return cls(date(int(m[1]), 1, 1), YEAR)
        if m := re.fullmatch(r"(\d{4})-Q([1-4])", text):
            return cls(date(int(m[1]), (int(m[2]) - 1) * 3 + 1, 1), QUARTER)
        if (m := re.fullmatch(r"(\d{4})-(\d{1,2})", text)) and 1 <= int(m[2]) <= 12:
            return cls(date(int(m[1]), int(m[2]), 1), MONTH)
        raise ValueError(f"invalid period {text!r}")

    @property
    def end(self) -> date:
        """The last day of the period."""
        return _add_months(self.start, _MONTHS[self.unit]) - timedelta(days=1)

    @property
    def key(self) -> str:
        if self.unit == YEAR:
            return f"{self.start.year}"
        if self.unit == QUARTER:
            return f"{self.start.year}-Q{(self.start.month - 1) // 3 + 1}"
        return f"{self.start.year}-{self.start.month:02d}"

    @property
    def label(self) -> str:
        if self.unit == YEAR:
            return _("%(year)d年") % {"year": self.start.year}
        if self.unit == QUARTER:
            return _("%(year)d年第%(q)d季度") % {
                "year": self.start.year,
                "q": (self.start.month - 1) // 3 + 1,
            }
        return _("%(year)d年%(month)d月") % {"year": self.start.year, "month": self.start.month}

    def __str__(self) -> str:
        return self.label

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    def slots(self, unit: str) -> list[Period]:
        """The periods of `unit` lying wholly inside this one (none when `unit` is longer)."""
        if _MONTHS[unit] > _MONTHS[self.unit]:
            return []
        step = _MONTHS[unit]
        return [Period(_add_months(self.start, i), unit) for i in range(0, _MONTHS[self.unit], step)]

    def previous(self) -> Period:
        return Period(_add_months(self.start, -_MONTHS[self.unit]), self.unit)

    def next(self) -> Period:
        return Period(_add_months(self.start, _MONTHS[self.unit]), self.unit)
