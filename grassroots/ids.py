"""Whole numbers read by hand from a request (a query string, posted data, a URL, a cell of an import): the
one rule for "is this an id we can look up". Only the standard library: every layer may import it."""

from __future__ import annotations

# The largest value of a 64-bit signed integer: every table's id (BigAutoField) and SQLite's INTEGER. A larger
# number in a filter raised OverflowError ("Python int too large to convert to SQLite INTEGER"): a 500.
MAX_ID = 2**63 - 1


def as_id(value) -> int | None:
    """`value` as a database id — ASCII decimal digits (or an int) from 1 to MAX_ID — else None.

    `str.isdigit()` is no guard: "²" is a digit to it and no number to `int()` (ValueError, a 500 in a `pk=`
    filter), and "99999999999999999999" overflows SQLite in an `__in` filter. A record, a bool, "1_0",
    " 1", "-1" and "0" are no id either."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and value.isascii() and value.isdecimal() and len(value) <= len(str(MAX_ID)):
        number = int(value)
    else:
        return None
    return number if 1 <= number <= MAX_ID else None
