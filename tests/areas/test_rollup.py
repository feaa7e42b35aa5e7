"""The one roll-up (grassroots/areas/rollup.py) on a hand-counted fixture: an area's own rows, live children
with and without rows, retired children with and without rows, rows outside the subtree; per subtree at
several depths; a grouped queryset summed as a derived table; pinned query counts.

Party organizations under 雨城区 (the county), counted by hand:

雨城区            committee "区委"                                  own line: 1 org, 0 branches
├── 青江街道       committee "街道党工委" (parent of both branches)  ┐
│   └── 桥楼社区 › 第一网格: branch "支部一" (parent of the group),  │ 4 orgs, 2 branches
│       branch "支部二"; › 一号院落: group "小组"                    ┘
├── 东城街道       (live, nothing under it)                          0, 0
├── 老城街道       (retired) branch "旧支部"                          1, 1 (listed: rows lie under it)
└── 撤并街道       (retired, nothing under it)                        not listed
名山区 (another county): branch "外支部" — never counted under 雨城区.
Total under 雨城区: 6 orgs, 3 branches.
"""

from types import SimpleNamespace

import pytest
from django.db.models import Avg, Count, F, Q, Sum
from django.db.models.signals import post_init

from grassroots.areas.models import Area, PartyOrg
from grassroots.areas.rollup import Rows, over_subtrees, per_child, per_subtree
from grassroots.areas.subtree import under_q
from tests.factories import Level, make_area, make_party_org

FIGURES = {"orgs": Count("pk"), "branches": Count("pk", filter=Q(kind="branch"))}


@pytest.fixture
def counted(tree):
    old = make_area("老城街道", Level.STREET, tree.county)
    merged = make_area("撤并街道", Level.STREET, tree.county)
    other_county = make_area("名山区", Level.COUNTY, tree.city)
    county_org = make_party_org("区委", tree.county, kind="committee")
    street_org = make_party_org("街道党工委", tree.street_a, kind="committee", parent=county_org)
    one = make_party_org("支部一", tree.grid_a, parent=street_org)
    make_party_org("支部二", tree.grid_a, parent=street_org)
    make_party_org("小组", tree.courtyard_a, kind="group", parent=one)
    make_party_org("旧支部", old)
    make_party_org("外支部", other_county)
    for area in (old, merged):
        area.retired = True
        area.save()
    return SimpleNamespace(old=old, merged=merged, other_county=other_county)


def named(lines):
    return [(area.name if area else None, values) for area, values in lines]


def test_per_child_own_line_children_and_total(tree, counted, django_assert_num_queries):
    with django_assert_num_queries(1):  # the county and its children, each joined to its figures
        result = per_child(PartyOrg.objects.all(), tree.county, path_field="area__path", **FIGURES)
    assert result.own == {"orgs": 1, "branches": 0}
    assert named(result.children) == [
        ("青江街道", {"orgs": 4, "branches": 2}),
        ("东城街道", {"orgs": 0, "branches": 0}),  # live and empty: listed with zeros
        ("老城街道", {"orgs": 1, "branches": 1}),  # retired, but rows lie under it
    ]  # 撤并街道: retired and empty, not listed
    assert result.total == {"orgs": 6, "branches": 3}
    assert named(result.lines())[0] == (None, {"orgs": 1, "branches": 0})
    assert result.total == {
        name: sum(values[name] for _area, values in result.lines()) for name in FIGURES
    }  # the lines add up to the total


def test_per_child_without_own_rows_has_no_own_line(tree, counted):
    result = per_child(PartyOrg.objects.exclude(name="区委"), tree.county, path_field="area__path", **FIGURES)
    assert not result.has_own and [area.name for area, _ in result.lines()] == [
        "青江街道",
        "东城街道",
        "老城街道",
    ]
    assert result.total == {"orgs": 5, "branches": 3}


def test_per_child_of_a_leaf_and_of_an_empty_queryset(tree, counted):
    leaf = per_child(PartyOrg.objects.all(), tree.courtyard_a, path_field="area__path", **FIGURES)
    assert leaf.own == {"orgs": 1, "branches": 0} and leaf.children == [] and leaf.total == leaf.own
    nothing = per_child(PartyOrg.objects.none(), tree.county, path_field="area__path", **FIGURES)
    assert nothing.total == {"orgs": 0, "branches": 0} and len(nothing.children) == 2  # the live streets
    # rows, but none under the county: its live streets with zeros, the retired ones left out
    elsewhere = per_child(
        PartyOrg.objects.filter(name="外支部"), tree.county, path_field="area__path", **FIGURES
    )
    assert [area.name for area, _ in elsewhere.lines()] == ["青江街道", "东城街道"]
    assert elsewhere.total == {"orgs": 0, "branches": 0} and not elsewhere.has_own


def test_per_child_reads_the_children_as_areas(tree, counted):
    """The children of the one statement are Area objects as `children_of` gives them (every column)."""
    result = per_child(PartyOrg.objects.all(), tree.county, path_field="area__path", **FIGURES)
    street = result.children[0][0]
    assert street == tree.street_a and street.name == "青江街道" and street.level == Level.STREET
    assert (street.depth, street.path, street.numchild, street.retired) == (
        tree.street_a.depth,
        tree.street_a.path,
        tree.street_a.numchild,
        False,
    )
    assert Area.objects.get_parent(street) == tree.county and street._state.adding is False


def test_the_children_are_the_areas_from_db_makes(tree, counted):
    """Without Model.__init__ (rollup._area_maker), each child is the Area `Area.from_db` makes of its row:
    the same values and state; and while a receiver listens to Area's post_init, through `from_db` itself."""
    result = per_child(PartyOrg.objects.all(), tree.county, path_field="area__path", **FIGURES)
    attnames = [field.attname for field in Area._meta.concrete_fields if field.name != "created_at"]
    for child, _figures in result.children:
        made = Area.from_db("default", attnames, [getattr(child, name) for name in attnames])
        assert type(child) is Area and vars(child).keys() == vars(made).keys()
        assert {k: v for k, v in vars(child).items() if k != "_state"} == {
            k: v for k, v in vars(made).items() if k != "_state"
        }
        assert (child._state.adding, child._state.db) == (
            False,
            "default",
        ) and child._state.fields_cache == {}
        assert Area.objects.get_parent(child) == tree.county  # a usable node
    seen = []

    def listener(sender, instance, **kwargs):
        seen.append(instance.path)

    post_init.connect(listener, sender=Area)
    try:
        again = per_child(PartyOrg.objects.all(), tree.county, path_field="area__path", **FIGURES)
    finally:
        post_init.disconnect(listener, sender=Area)
    assert [child.path for child, _f in again.children] == [child.path for child, _f in result.children]
    assert set(seen) >= {child.path for child, _f in again.children}


def test_per_subtree_counts_own_rows_at_every_depth(tree, counted, django_assert_num_queries):
    targets = [tree.county, tree.street_a, tree.street_b, tree.grid_a, tree.courtyard_a, counted.old]
    with django_assert_num_queries(4):  # one grouped aggregate per depth: county, streets, grid, courtyard
        result = per_subtree(
            PartyOrg.objects.all(), [t.path for t in targets], path_field="area__path", **FIGURES
        )
    assert {t.name: result[t.path]["orgs"] for t in targets} == {
        "雨城区": 6,
        "青江街道": 4,
        "东城街道": 0,
        "第一网格": 3,
        "一号院落": 1,
        "老城街道": 1,
    }
    assert result[tree.grid_a.path]["branches"] == 2
    with django_assert_num_queries(1):  # one depth: one query
        streets = per_subtree(
            PartyOrg.objects.all(),
            [tree.street_a.path, tree.street_b.path],
            path_field="area__path",
            **FIGURES,
        )
    assert streets[tree.street_b.path] == {"orgs": 0, "branches": 0}


def test_a_grouped_queryset_is_summed_as_a_derived_table(tree, counted, django_assert_num_queries):
    # One row per organization with an aggregate (how many organizations sit directly below it).
    grouped = PartyOrg.objects.annotate(subs=Count("children"))
    figures = {
        "orgs": Count("pk"),
        "subs": Sum("subs"),
        "with_subs": Count("pk", filter=Q(subs__gt=0)),
        "subs_equal_one": Count("pk", filter=Q(subs=1) & Q(subs__lte=F("subs"))),
    }
    with django_assert_num_queries(1):  # the derived table summed per child prefix, joined to the children
        result = per_child(grouped, tree.county, path_field="area__path", **figures)
    # 区委 → 街道党工委 → 支部一, 支部二; 支部一 → 小组.
    assert result.own == {"orgs": 1, "subs": 1, "with_subs": 1, "subs_equal_one": 1}
    assert named(result.children)[0] == (
        "青江街道",
        {"orgs": 4, "subs": 3, "with_subs": 2, "subs_equal_one": 1},
    )
    assert result.total == {"orgs": 6, "subs": 4, "with_subs": 3, "subs_equal_one": 2}
    # The same counts as the plain aggregate over the same rows.
    plain = per_child(PartyOrg.objects.all(), tree.county, path_field="area__path", orgs=Count("pk"))
    assert plain.total["orgs"] == result.total["orgs"] and plain.own["orgs"] == result.own["orgs"]
    by_path = per_subtree(
        grouped, [tree.street_a.path, tree.street_b.path], path_field="area__path", **figures
    )
    assert by_path[tree.street_a.path] == named(result.children)[0][1]


def test_only_additive_figures(tree):
    for figure in (Avg("pk"), Sum("pk", distinct=True)):
        with pytest.raises(TypeError):
            per_child(PartyOrg.objects.all(), tree.county, path_field="area__path", figure=figure)


def test_a_distinct_count_is_counted_once_in_the_total(tree):
    """The one exception to "lines add up": a distinct count (people with rows in several areas) counts each
    value once per line and once in the total, which is counted again over the whole subtree."""
    make_party_org("青江支部", tree.community_a, kind="branch")
    make_party_org("青江党委", tree.street_a, kind="committee")
    make_party_org("东城支部", tree.street_b, kind="branch")
    result = per_child(
        PartyOrg.objects.all(), tree.county, path_field="area__path", kinds=Count("kind", distinct=True)
    )
    under = PartyOrg.objects.filter(area__path__startswith=tree.county.path)
    assert result.total["kinds"] == under.values("kind").distinct().count()
    assert result.total["kinds"] == 2  # branch and committee, though the two streets' lines hold 2 + 1
    assert sorted(values["kinds"] for _, values in result.lines()) == [1, 2]


def test_figures_on_own_columns_sum_the_plain_rows_as_django_would(tree, counted, django_assert_num_queries):
    """Counts and sums filtered on the model's own columns (`in`, negation, OR, a column against another) are
    summed in one statement over the rows (the derived table), without Django's aggregate SQL: the same
    numbers as Django's own aggregate over each line's rows. A nullable column falls back to Django's SQL
    (its ~Q keeps NULL rows)."""
    PartyOrg.objects.filter(name="支部二").update(code="B2")
    figures = {
        "orgs": Count("pk"),
        "low": Count("pk", filter=Q(kind__in=["branch", "group"])),
        "not_branch_live": Count("pk", filter=~Q(kind="branch") & Q(retired=False)),
        "either": Count("pk", filter=Q(kind="committee") | Q(retired=True)),
        "named_as_is": Count("pk", filter=Q(name=F("name"))),
        "not_coded": Count("pk", filter=~Q(code="B2")),  # code is nullable: Django's SQL
    }
    with django_assert_num_queries(2):  # Django's aggregate (a nullable column), the children
        result = per_child(PartyOrg.objects.all(), tree.county, path_field="area__path", **figures)
    for area, values in result.lines():
        rows = (
            PartyOrg.objects.filter(area=tree.county)
            if area is None
            else PartyOrg.objects.filter(under_q(area.path))
        )
        assert values == rows.aggregate(**figures), area
    assert result.total == PartyOrg.objects.filter(under_q(tree.county.path)).aggregate(**figures)
    assert result.total["low"] == 4 and result.total["not_coded"] == 5


def test_a_whole_table_is_written_without_django_and_a_filtered_one_through_it(
    tree, counted, django_assert_num_queries
):
    """`Model.objects.all()` with figures on its own columns: the rows read by a statement the roll-up writes
    itself (`_every_row`, the area path through the foreign key); a filtered queryset through Django. The same
    numbers as Django's aggregate over each line's rows."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with django_assert_num_queries(1), CaptureQueriesContext(connection) as plain:
        whole = per_child(PartyOrg.objects.all(), tree.county, path_field="area__path", **FIGURES)
    assert " t0 JOIN " in plain.captured_queries[0]["sql"]  # written by the roll-up
    with CaptureQueriesContext(connection) as filtered:
        live = per_child(
            PartyOrg.objects.filter(retired=False), tree.county, path_field="area__path", **FIGURES
        )
    assert " t0 " not in filtered.captured_queries[0]["sql"]  # Django's
    for result, rows in ((whole, PartyOrg.objects.all()), (live, PartyOrg.objects.filter(retired=False))):
        for area, values in result.lines():
            line = rows.filter(area=tree.county) if area is None else rows.filter(under_q(area.path))
            assert values == line.aggregate(**FIGURES), area
    assert whole.total == {"orgs": 6, "branches": 3}


def _org_rows(kinds=("branch", "committee", "group")) -> Rows:
    """PartyOrg's rows as a part would write them: its kind and area path, under the roll-up's path."""

    def statement(under: str):
        sql = (
            "SELECT o.kind AS kind, a.path AS rollup_path FROM areas_partyorg o"
            f" JOIN areas_area a ON a.id = o.area_id WHERE o.kind IN ({', '.join(['%s'] * len(kinds))})"
        )
        params = list(kinds)
        if under:
            sql += " AND a.path >= %s AND a.path < %s"
            params += [under, under + "~"]
        return sql, params

    return Rows(PartyOrg, statement)


def test_rows_written_by_their_part_are_summed_as_a_queryset(tree, counted, django_assert_num_queries):
    """`Rows`: the part's own statement of one row per thing, summed per child (one statement with the
    children) and per subtree like a queryset's rows; a distinct count or a union of subtrees refuses it."""
    with django_assert_num_queries(1):  # the part's rows summed per child prefix, joined to the children
        result = per_child(_org_rows(), tree.county, path_field="unused", **FIGURES)
    queryset = per_child(PartyOrg.objects.all(), tree.county, path_field="area__path", **FIGURES)
    assert (result.own, named(result.children), result.total) == (
        queryset.own,
        named(queryset.children),
        queryset.total,
    )
    with django_assert_num_queries(2):  # one statement per depth: the county, the streets
        sums = per_subtree(
            _org_rows(), [tree.county.path, tree.street_a.path, tree.street_b.path], path_field="x", **FIGURES
        )
    assert sums[tree.county.path] == {"orgs": 6, "branches": 3}
    assert sums[tree.street_a.path] == {"orgs": 4, "branches": 2}
    assert sums[tree.street_b.path] == {"orgs": 0, "branches": 0}
    assert per_child(_org_rows(("group",)), tree.county, path_field="x", **FIGURES).total == {
        "orgs": 1,
        "branches": 0,
    }
    with pytest.raises(TypeError):
        per_child(_org_rows(), tree.county, path_field="x", kinds=Count("kind", distinct=True))
    with pytest.raises(TypeError):
        over_subtrees(_org_rows(), [tree.county.path], path_field="x", **FIGURES)


def test_median_of_counted_values():
    from collections import Counter

    from grassroots.areas.rollup import median

    assert median(Counter()) is None
    assert median(Counter({4: 1, 6: 1, 10: 1})) == 6
    assert median(Counter({4: 1, 10: 1})) == 7
    assert median(Counter({1: 3, 9: 1})) == 1  # 1 1 1 9
    assert median(Counter({1: 2, 9: 2})) == 5  # 1 1 9 9
    assert median(Counter({4: 1, 6: 1}) + Counter({10: 1})) == 6  # lines' counts add up


def test_per_subtree_chooses_targets_by_their_ranges(tree, counted, monkeypatch):
    """Figures that follow a relation (Django's grouped aggregate): the targets are chosen by their index
    ranges, which the planner counts right (`SUBSTRING(path) IN (…)` it guesses at half a percent of the
    rows: at tier L PostgreSQL scanned 1.26 million areas for eight counties); past `_RANGES_AT_MOST` targets
    by their prefixes. The same answers either way."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from grassroots.areas import rollup

    by_parent = {"orgs": Count("pk"), "under_committee": Count("pk", filter=Q(parent__kind="committee"))}
    paths = [tree.street_a.path, tree.street_b.path, counted.old.path]
    with CaptureQueriesContext(connection) as ranges:
        first = per_subtree(PartyOrg.objects.all(), paths, path_field="area__path", **by_parent)
    assert first == {
        tree.street_a.path: {"orgs": 4, "under_committee": 3},  # all but 小组 (under 支部一)
        tree.street_b.path: {"orgs": 0, "under_committee": 0},
        counted.old.path: {"orgs": 1, "under_committee": 0},
    }
    (statement,) = [q["sql"] for q in ranges.captured_queries]
    assert " IN (" not in statement and statement.count(" BETWEEN ") == 1 + len(paths)  # subtree + targets
    monkeypatch.setattr(rollup, "_RANGES_AT_MOST", 2)
    with CaptureQueriesContext(connection) as prefixes:
        assert per_subtree(PartyOrg.objects.all(), paths, path_field="area__path", **by_parent) == first
    assert " IN (" in prefixes.captured_queries[0]["sql"]


def test_a_childs_creation_time_is_read_when_asked(tree, counted, django_assert_num_queries):
    """A child's `created_at` is not read with its line (deferred): asked for, it is the database's value as
    Django reads it (aware), in one query."""
    result = per_child(PartyOrg.objects.all(), tree.county, path_field="area__path", **FIGURES)
    street = result.children[0][0]
    assert street.get_deferred_fields() == {"created_at"}
    with django_assert_num_queries(1):
        created = street.created_at
    assert created == Area.objects.get(pk=street.pk).created_at and created.tzinfo is not None


def test_figures_of_one_shape_with_other_values_are_planned_apart(tree, counted, django_assert_num_queries):
    """The roll-up keeps each figure shape's plan (`rollup._PLANS`): the same names and classes with another
    filter value, another list for `__in`, another column, on another model, or a value of another type
    are other plans, and each call counts its own figures."""
    from grassroots.areas import rollup

    def orgs(**figures):
        return per_child(PartyOrg.objects.all(), tree.county, path_field="area__path", **figures).total

    assert orgs(n=Count("pk", filter=Q(kind="branch"))) == {"n": 3}
    assert orgs(n=Count("pk", filter=Q(kind="committee"))) == {"n": 2}
    assert orgs(n=Count("pk", filter=Q(kind="branch"))) == {"n": 3}  # its plan kept
    assert orgs(n=Count("pk", filter=Q(kind__in=["branch", "group"]))) == {"n": 4}
    assert orgs(n=Count("pk", filter=Q(kind__in=["group"]))) == {"n": 1}
    assert orgs(n=Count("pk", filter=~Q(kind="branch"))) == {"n": 3}
    assert orgs(n=Count("pk", filter=Q(retired=True))) == {"n": 0}
    assert orgs(n=Count("pk", filter=Q(retired=1))) == {"n": 0}  # an int: its own plan, the same answer
    retired = Count("pk", filter=Q(retired=True))
    # the other model: 老城街道 and 撤并街道
    assert per_child(Area.objects.all(), tree.county, path_field="path", n=retired).total == {"n": 2}
    keys = [key for key in rollup._PLANS if key[1] is PartyOrg and key[-1][0][0] == "n"]
    assert len({key[-1] for key in keys}) >= 7  # one plan per filter above
    with django_assert_num_queries(1):  # a kept plan: still the one statement
        assert orgs(n=Count("pk", filter=Q(kind="branch"))) == {"n": 3}
    assert rollup._shape({"n": Count("pk", filter=Q(kind=F("name")))}) is not None  # a column: kept
    for unkept in (Count("pk", filter=Q(name__in={"支部一"})), Count("pk", filter=Q(id__gt=1.0))):
        assert rollup._shape({"n": unkept}) is None  # a set, a float: planned each call
    assert orgs(n=Count("pk", filter=Q(name__in={"支部一"}))) == {"n": 1}
