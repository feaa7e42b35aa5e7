"""What tier S loads: the real divisions, the generated levels, Party organizations, tree integrity."""

from collections import Counter

from grassroots.areas.models import Area, Level, PartyOrg, PartyOrgKind
from grassroots.demo import divisions

COUNTIES = {
    "511802": "雨城区",
    "511803": "名山区",
    "511822": "荥经县",
    "511823": "汉源县",
    "511824": "石棉县",
    "511825": "天全县",
    "511826": "芦山县",
    "511827": "宝兴县",
}


def test_city_and_the_eight_real_counties(seeded):
    city = Area.objects.get(code="511800")
    assert (city.name, city.level, city.depth) == ("雅安市", Level.CITY, 1)
    counties = Area.objects.get_children(city)
    assert {c.code: c.name for c in counties} == COUNTIES
    assert {c.level for c in counties} == {Level.COUNTY}


def test_real_streets_and_committees_with_their_codes(seeded):
    streets = Area.objects.filter(level=Level.STREET)
    assert streets.count() == 96
    assert streets.exclude(code=None).count() == 96
    assert Area.objects.get(code="511802001").name == "东城街道"
    assert Area.objects.get(code="511823227").name == "小堡藏族彝族乡"
    communities = Area.objects.filter(level=Level.COMMUNITY)
    assert communities.count() == 659
    # Names are shortened for the tree: 东大街社区居委会 → 东大街社区, 澄清村委会 → 澄清村.
    assert Area.objects.get(code="511802001001").name == "东大街社区"
    assert Area.objects.get(code="511802001200").name == "澄清村"
    assert Area.objects.get(code="511825100002").name == "徙榆居委会"
    # Every real row of the data file is in the tree, under its real parent.
    by_code = {a.code: a for a in Area.objects.exclude(code=None)}
    for division in divisions.load():
        area = by_code[division.code]
        if division.parent_code:
            assert area.path[: -Area.steplen] == by_code[division.parent_code].path, division


def test_generated_levels_below_communities(seeded):
    levels = Counter(Area.objects.values_list("level", flat=True))
    for level in (Level.GRID, Level.COURTYARD, Level.COMPOUND, Level.BUILDING):
        assert levels[level] > 0, level
    # Generated areas carry no official code.
    assert not Area.objects.filter(level__gte=Level.GRID).exclude(code=None).exists()
    community = Area.objects.get(code="511802001001")
    grids = Area.objects.get_children(community)
    assert grids[0].name == "第一网格"
    assert all(g.level == Level.GRID for g in grids)
    buildings = Area.objects.filter(path__startswith=community.path, level=Level.BUILDING)
    assert buildings.filter(name="1栋").exists()
    # Villages get grids and family courtyards, no compounds or buildings.
    village = Area.objects.get(code="511802001200")
    below_village = Area.objects.filter(path__startswith=village.path, depth__gt=village.depth)
    assert set(below_village.values_list("level", flat=True)) == {Level.GRID, Level.COURTYARD}
    assert all(
        name.endswith("家院落")
        for name in below_village.filter(level=Level.COURTYARD).values_list("name", flat=True)
    )


def test_party_organizations_follow_the_tree(seeded):
    city = Area.objects.get(code="511800")
    assert PartyOrg.objects.get(area=city).name == "中共雅安市委"
    street_org = PartyOrg.objects.get(area__code="511802001")
    assert (street_org.name, street_org.kind) == ("东城街道党工委", PartyOrgKind.COMMITTEE)
    assert street_org.parent.name == "中共雨城区委"
    assert PartyOrg.objects.get(area__code="511802101").name == "草坝镇党委"
    community_org = PartyOrg.objects.get(area__code="511802001001")
    assert community_org.parent == street_org
    assert community_org.kind in {PartyOrgKind.COMMITTEE, PartyOrgKind.GENERAL_BRANCH}
    assert community_org.secretary.username == "secretary"
    # Every community has exactly one organization; every grid one branch or group.
    assert PartyOrg.objects.filter(area__level=Level.COMMUNITY).count() == 659
    grid_orgs = PartyOrg.objects.filter(area__level=Level.GRID, parent__area__level=Level.COMMUNITY)
    assert grid_orgs.count() == Area.objects.filter(level=Level.GRID).count()
    assert grid_orgs.values("area").distinct().count() == grid_orgs.count()
    # Below a village branch, grids get groups; below a committee or general branch, branches.
    for org in grid_orgs.select_related("parent")[:200]:
        expected = PartyOrgKind.GROUP if org.parent.kind == PartyOrgKind.BRANCH else PartyOrgKind.BRANCH
        assert org.kind == expected, org
    # Each organization lies in the subtree of its parent's area.
    for org in PartyOrg.objects.select_related("area", "parent__area").exclude(parent=None):
        assert org.area.path.startswith(org.parent.area.path), org


def test_tree_integrity(seeded):
    rows = list(Area.objects.values_list("path", "depth", "numchild"))
    children = Counter(path[: -Area.steplen] for path, _, _ in rows if len(path) > Area.steplen)
    paths = {path for path, _, _ in rows}
    for path, depth, numchild in rows:
        assert len(path) == depth * Area.steplen, path
        assert numchild == children[path], path
        assert len(path) == Area.steplen or path[: -Area.steplen] in paths, f"orphan {path}"
    # Levels strictly grow down the tree.
    level_of = dict(Area.objects.values_list("path", "level"))
    assert all(level_of[p] > level_of[p[: -Area.steplen]] for p in level_of if len(p) > Area.steplen)
    # And treebeard's own check, on one street (it runs two queries per node).
    assert Area.objects.find_problems(parent=Area.objects.get(code="511802001")) == ([], [], [], [], [])


def test_treebeard_appends_after_the_bulk_written_children(seeded):
    """Paths written by the loader are the ones treebeard would write: add_child continues the sequence."""
    community = Area.objects.get(code="511802001001")
    before = community.numchild
    grid = Area.objects.add_child(community, {"name": "新网格", "level": Level.GRID})
    community.refresh_from_db()
    assert community.numchild == before + 1
    assert grid.path == community.path + Area._int2str(before + 1).rjust(Area.steplen, "0")
