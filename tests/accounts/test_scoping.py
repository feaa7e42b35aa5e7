from grassroots.access.scoping import get_scoped_or_404, has_perm, scope_paths, scoped
from grassroots.areas.models import Area


def test_a_grant_covers_the_whole_subtree(cast, tree):
    visible = set(scoped(Area.objects.all(), cast.street_a, "areas.view").values_list("name", flat=True))
    assert visible == {"青江街道", "桥楼社区", "第一网格", "一号院落"}


def test_an_official_of_another_street_gets_404(cast, tree):
    import pytest
    from django.http import Http404

    with pytest.raises(Http404):
        get_scoped_or_404(Area.objects.all(), cast.street_b, "areas.view", pk=tree.community_a.pk)


def test_nested_grants_collapse_to_the_outer_path(cast, tree):
    from grassroots.accounts.models import RoleGrant

    RoleGrant.objects.create(user=cast.city, role="city_official", area=tree.street_a)
    cast.city.__dict__.pop("_grants_cache", None)
    assert scope_paths(cast.city, "areas.view") == [tree.city.path]


def test_permission_comes_from_the_role(cast, tree):
    assert has_perm(cast.street_a, "areas.change", tree.community_a)
    assert not has_perm(cast.street_a, "areas.change", tree.community_b)
    assert not has_perm(cast.resident, "areas.change")
    assert has_perm(cast.auditor, "audit.view")
    assert not has_perm(cast.street_a, "audit.view")


def test_working_area_switch_narrows_the_scope(cast, tree):
    cast.city.active_area_path = tree.street_b.path
    visible = set(scoped(Area.objects.all(), cast.city, "areas.view").values_list("name", flat=True))
    assert visible == {"东城街道", "育才社区"}
