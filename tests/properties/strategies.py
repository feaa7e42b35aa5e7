"""Hypothesis strategies shared by the property tests: cells of a workbook, made of what a careless or
hostile user types — right values, almost right values, other types, formulas, blanks, huge texts.

The settings are bounded and derandomized (`BOUNDED`): the same examples on every run, so CI is not flaky
and a failure is reproduced by running the test again. `rolled_back()` and `row_counts()`: each example
starts from the fixture's rows, and what it wrote (or did not) is counted over every table of the parts."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import date, datetime

from django.apps import apps
from django.db import transaction
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from grassroots.core.members.identity import id_check_digit

# Each test resets the database itself around each example (see `rolled_back`), so Hypothesis's warning
# about function-scoped fixtures (shared by all examples) does not apply.
BOUNDED = settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# What a cell can hold: no control characters (an xlsx file cannot carry them; openpyxl refuses them).
texts = st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs")), max_size=12)

garbage = st.one_of(
    st.none(),
    st.just(""),
    st.just(" "),
    texts,
    st.text(alphabet="0123456789-/. 年月日X", max_size=20),
    st.integers(min_value=-(10**12), max_value=10**19),
    st.floats(allow_nan=True, allow_infinity=False, width=32),
    st.booleans(),
    st.sampled_from(['=HYPERLINK("http://evil.example","x")', "@SUM(A1)", "+1", "-1", "\t=1", "0", "NULL"]),
    st.just("长" * 300),
)

dates = st.one_of(
    st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)),
    st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2100, 1, 1)),
    st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)).map(
        lambda d: d.strftime("%Y年%m月%d日")
    ),
    st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)).map(lambda d: d.strftime("%Y%m%d")),
)


@st.composite
def id_numbers(draw, latest: date = date(2012, 12, 31)) -> str:
    """A valid 18-digit ID number (region of 雨城区), born by `latest`; serials from a small pool, so that
    duplicates happen."""
    birth = draw(st.dates(min_value=date(1930, 1, 1), max_value=latest))
    serial = draw(st.integers(min_value=0, max_value=20))
    first17 = "511802" + birth.strftime("%Y%m%d") + f"{serial:03d}"
    return first17 + id_check_digit(first17)


def cell(*right):
    """A cell that holds one of the `right` values (or what the given strategies draw) or garbage."""
    options = [s if isinstance(s, st.SearchStrategy) else st.just(s) for s in right]
    return st.one_of(*options, *options, garbage)  # the right values twice as likely


@st.composite
def corrupted(draw, right_rows: st.SearchStrategy, wild_cells: list[st.SearchStrategy], max_changes: int = 3):
    """Rows that are right but for a few cells (none a quarter of the time): each changed cell is drawn from
    its column's wild strategy. Most files are then nearly right, which is where mistakes hide."""
    rows = [list(r) for r in draw(right_rows)]
    changes = draw(st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 10**6)), max_size=max_changes))
    for row_pick, column_pick in changes:
        if rows:
            row = rows[row_pick % len(rows)]
            column = column_pick % len(row)
            row[column] = draw(wild_cells[column])
    return rows


def row_counts() -> dict[str, int]:
    """Rows of every table of the project's parts, but the import jobs themselves and the audit trail."""
    return {
        m._meta.label: m.objects.count()
        for m in apps.get_models()
        if m.__module__.startswith("grassroots.")
        and m._meta.app_label not in {"imports", "audit", "clock"}
        and not m._meta.proxy
    }


@contextmanager
def rolled_back():
    """Each example starts from the fixture's rows: its writes are undone when it ends."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)
