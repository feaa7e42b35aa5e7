"""Tree operations through the services: create, edit, move (the subtree's paths follow), retire; the level
rule, code uniqueness and who may act."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from grassroots.access.scoping import scoped
from grassroots.areas import services
from grassroots.areas.models import Area, Level, PartyOrg
from tests.factories import make_area, make_party_org


def fresh(area: Area) -> Area:
    return Area.objects.get(pk=area.pk)


def test_create_adds_the_last_child_and_counts_it(cast, tree):
    area = services.create_area(
        parent=tree.community_a, name=" 第二网格 ", level=Level.GRID, code=None, actor=cast.street_a
    )
    assert area.name == "第二网格"
    assert area.path.startswith(tree.community_a.path) and area.depth == tree.community_a.depth + 1
    assert area.path > tree.grid_a.path
    assert fresh(tree.community_a).numchild == 2
    assert Area.objects.find_problems() == ([], [], [], [], [])


def test_levels_may_be_skipped_downward(cast, tree):
    compound = services.create_area(
        parent=tree.community_a, name="阳光小区", level=Level.COMPOUND, actor=cast.secretary
    )
    building = services.create_area(parent=compound, name="1栋", level=Level.BUILDING, actor=cast.secretary)
    assert Area.objects.get_parent(building) == compound


@pytest.mark.parametrize(
    ("parent_name", "level"),
    [
        ("community_a", Level.COMMUNITY),  # same level as the parent
        ("community_a", Level.STREET),  # above the parent
        ("street_a", Level.COUNTY),
        ("grid_a", Level.CITY),
    ],
)
def test_level_must_be_below_the_parents(cast, tree, parent_name, level):
    before = Area.objects.count()
    with pytest.raises(ValidationError) as info:
        services.create_area(parent=getattr(tree, parent_name), name="错层", level=level, actor=cast.street_a)
    assert "level" in info.value.message_dict
    assert "必须低于上级区域的层级" in info.value.message_dict["level"][0]
    assert Area.objects.count() == before


def test_code_is_unique_and_digits_only(cast, tree):
    with pytest.raises(ValidationError) as info:
        services.create_area(
            parent=tree.community_a, name="重复", level=Level.GRID, code="511802001001", actor=cast.street_a
        )
    assert "已被其他区域使用" in info.value.message_dict["code"][0]
    with pytest.raises(ValidationError) as info:
        services.create_area(
            parent=tree.community_a, name="字母", level=Level.GRID, code="AB12", actor=cast.street_a
        )
    assert "数字" in info.value.message_dict["code"][0]
    # a blank code is stored as NULL, so any number of areas may have none
    a = services.create_area(
        parent=tree.community_a, name="无码一", level=Level.GRID, code="", actor=cast.street_a
    )
    b = services.create_area(
        parent=tree.community_a, name="无码二", level=Level.GRID, code="  ", actor=cast.street_a
    )
    assert a.code is None and b.code is None


def test_only_officials_covering_the_parent_may_create(cast, tree):
    for outsider in (cast.street_b, cast.resident, cast.auditor, cast.worker):
        with pytest.raises(PermissionDenied):
            services.create_area(parent=tree.community_a, name="x", level=Level.GRID, actor=outsider)
    for official in (cast.city, cast.street_a):  # a root only by the system or the operator
        with pytest.raises(PermissionDenied):
            services.create_area(parent=None, name="成都市", level=Level.CITY, actor=official)
    root = services.create_area(parent=None, name="成都市", level=Level.CITY, code="510100", actor=None)
    assert root.depth == 1
    other = services.create_area(parent=None, name="绵阳市", level=Level.CITY, actor=cast.admin)
    assert other.depth == 1 and other.grants.get().user == cast.admin


def test_update_renames_and_recodes(cast, tree):
    services.update_area(area=tree.grid_a, actor=cast.secretary, name="一网格", code="511802001501")
    grid = fresh(tree.grid_a)
    assert (grid.name, grid.code) == ("一网格", "511802001501")
    with pytest.raises(ValidationError):  # 13 digits is too long
        services.update_area(area=tree.grid_a, actor=cast.secretary, code="5118020010015")
    with pytest.raises(ValidationError) as info:
        services.update_area(area=tree.grid_a, actor=cast.secretary, code="511802002001")  # 育才社区's
    assert "code" in info.value.message_dict
    with pytest.raises(PermissionDenied):
        services.update_area(area=tree.grid_a, actor=cast.street_b, name="越权")


def test_move_rewrites_the_paths_of_the_whole_subtree(cast, tree):
    building = make_area("2栋", Level.BUILDING, tree.courtyard_a)
    services.move_area(area=tree.community_a, new_parent=tree.street_b, actor=cast.city)
    community, grid, courtyard, building = (
        fresh(a) for a in (tree.community_a, tree.grid_a, tree.courtyard_a, building)
    )
    street_b = fresh(tree.street_b)
    assert community.path.startswith(street_b.path) and community.depth == street_b.depth + 1
    assert grid.path.startswith(community.path) and grid.depth == community.depth + 1
    assert courtyard.path.startswith(grid.path) and building.path.startswith(courtyard.path)
    assert fresh(tree.street_a).numchild == 0 and street_b.numchild == 2
    assert Area.objects.find_problems() == ([], [], [], [], [])
    # the scope follows the tree: street_b now sees the moved community, street_a no longer does
    visible_b = set(scoped(Area.objects.all(), cast.street_b, "areas.view").values_list("name", flat=True))
    assert {"桥楼社区", "第一网格", "一号院落", "2栋"} <= visible_b
    cast.street_a.__dict__.pop("_grants_cache", None)
    assert not scoped(Area.objects.filter(pk=community.pk), cast.street_a, "areas.view").exists()


def test_move_may_change_depth_when_skipping_levels(cast, tree):
    compound = make_area("阳光小区", Level.COMPOUND, tree.courtyard_a)
    make_area("1栋", Level.BUILDING, compound)
    services.move_area(area=compound, new_parent=tree.community_a, actor=cast.secretary)
    compound = fresh(compound)
    assert compound.depth == tree.community_a.depth + 1
    assert Area.objects.get_children(compound).get().depth == compound.depth + 1
    assert Area.objects.find_problems() == ([], [], [], [], [])


def test_move_refusals(cast, tree):
    paths = dict(Area.objects.values_list("pk", "path"))
    with pytest.raises(ValidationError) as info:  # under its own subtree
        services.move_area(area=tree.community_a, new_parent=tree.grid_a, actor=cast.street_a)
    assert "自己或它的下级" in info.value.message_dict["new_parent"][0]
    with pytest.raises(ValidationError) as info:  # a grid under a grid: level not below
        other_grid = make_area("第二网格", Level.GRID, tree.community_a)
        services.move_area(area=tree.grid_a, new_parent=other_grid, actor=cast.street_a)
    assert "必须低于" in info.value.message_dict["new_parent"][0]
    with pytest.raises(PermissionDenied):  # street_a may not move into street_b's subtree
        services.move_area(area=tree.grid_a, new_parent=tree.community_b, actor=cast.street_a)
    with pytest.raises(PermissionDenied):  # nor move its own street (its parent, the county, is not theirs)
        services.move_area(area=tree.street_a, new_parent=tree.county, actor=cast.street_a)
    with pytest.raises(PermissionDenied):  # street_b may not take street_a's community
        services.move_area(area=tree.community_a, new_parent=tree.street_b, actor=cast.street_b)
    unchanged = {pk: path for pk, path in Area.objects.values_list("pk", "path") if pk in paths}
    assert unchanged == paths


def test_move_to_the_current_parent_changes_nothing(cast, tree):
    path = tree.grid_a.path
    services.move_area(area=tree.grid_a, new_parent=tree.community_a, actor=cast.secretary)
    assert fresh(tree.grid_a).path == path


def test_retire_a_leaf(cast, tree):
    assert services.retire_area(area=tree.courtyard_a, actor=cast.secretary) == 1
    assert fresh(tree.courtyard_a).retired
    assert Area.objects.filter(pk=tree.courtyard_a.pk).exists()  # never deleted


def test_retire_with_live_children_is_refused_unless_the_subtree_goes_too(cast, tree):
    org = make_party_org("桥楼社区党委", tree.community_a, kind="committee")
    with pytest.raises(ValidationError) as info:
        services.retire_area(area=tree.community_a, actor=cast.street_a)
    assert "2 个未撤销的下级区域和 1 个党组织" in info.value.message_dict["cascade"][0]
    assert not Area.objects.filter(retired=True).exists()

    assert services.retire_area(area=tree.community_a, actor=cast.street_a, cascade=True) == 3
    retired = set(Area.objects.filter(retired=True).values_list("name", flat=True))
    assert retired == {"桥楼社区", "第一网格", "一号院落"}
    assert PartyOrg.objects.get(pk=org.pk).retired
    # grants on retired areas stop counting: the secretary of 桥楼社区 has no scope left
    cast.secretary.__dict__.pop("_grants_cache", None)
    assert not scoped(Area.objects.all(), cast.secretary, "areas.view").exists()


def test_retire_needs_the_parent_and_refuses_twice(cast, tree):
    with pytest.raises(PermissionDenied):  # nobody retires the root of their own scope
        services.retire_area(area=tree.community_a, actor=cast.secretary)
    with pytest.raises(PermissionDenied):
        services.retire_area(area=tree.grid_a, actor=cast.street_b)
    services.retire_area(area=tree.courtyard_a, actor=cast.secretary)
    with pytest.raises(ValidationError):
        services.retire_area(area=fresh(tree.courtyard_a), actor=cast.secretary)


def test_a_retired_area_takes_no_children_and_is_frozen(cast, tree):
    services.retire_area(area=tree.courtyard_a, actor=cast.secretary)
    courtyard = fresh(tree.courtyard_a)
    with pytest.raises(ValidationError):
        services.create_area(parent=courtyard, name="楼", level=Level.BUILDING, actor=cast.secretary)
    with pytest.raises(ValidationError):
        services.update_area(area=courtyard, name="改名", actor=cast.secretary)
    with pytest.raises(ValidationError):
        services.move_area(area=courtyard, new_parent=tree.community_a, actor=cast.secretary)
    live_courtyard = make_area("二号院落", Level.COURTYARD, tree.grid_a)
    grid2 = make_area("第二网格", Level.GRID, tree.community_a)
    services.retire_area(area=grid2, actor=cast.secretary)
    with pytest.raises(ValidationError) as info:
        services.move_area(area=live_courtyard, new_parent=fresh(grid2), actor=cast.secretary)
    assert "已撤销" in info.value.message_dict["new_parent"][0]
