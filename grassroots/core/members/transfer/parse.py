"""Cell values → Python values for the members importer (no database access). Each parser raises
`ValueError` with the reason in Chinese."""

from __future__ import annotations

import re
from datetime import date, datetime

from django.utils.translation import gettext as _

_DATE_TEXT = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_DATE_DIGITS = re.compile(r"^(\d{4})(\d{2})(\d{2})$")


def parse_date(value) -> date:
    """A date cell (Excel date, or text as 1980-01-01, 1980/1/1, 1980.1.1, 1980年1月1日, 19800101)."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    match = _DATE_TEXT.match(text) or _DATE_DIGITS.match(text)
    if not match:
        raise ValueError(_("日期格式不正确，请填写如 1980-01-01"))
    try:
        return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError as exc:
        raise ValueError(_("不是有效的日期")) from exc


def years_after(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)
