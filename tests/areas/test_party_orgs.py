"""Party organizations: the kind hierarchy, scope, the pages and their query counts."""

import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from grassroots.accounts.models import RoleGrant
from grassroots.areas import services
from grassroots.areas.models import PartyOrg, PartyOrgKind
from tests.factories import make_area, make_party_org, make_user


@pytest.fixture
def orgs(tree):
    street = make_party_org("青江街道党工委", tree.street_a, kind="committee")
    community = make_party_org("桥楼社区党委", tree.community_a, kind="committee", parent=street)
    branch = make_party_org("第一网格党支部", tree.grid_a, kind="branch", parent=community)
    other = make_party_org("育才社区党委", tree.community_b, kind="committee")
    return street, community, branch, other


def test_create_with_the_right_kinds(cast, tree, orgs):
    _street, community, _branch, _other = orgs
    general = services.create_party_org(
        area=tree.community_a,
        name="社区党总支",
        kind=PartyOrgKind.GENERAL_BRANCH,
        parent=community,
        actor=cast.secretary,
    )
    branch2 = services.create_party_org(
        area=tree.grid_a, name="第二党支部", kind=PartyOrgKind.BRANCH, parent=general, actor=cast.secretary
    )
    group = services.create_party_org(
        area=tree.courtyard_a,
        name="一号院落党小组",
        kind=PartyOrgKind.GROUP,
        parent=branch2,
        code="QJ-001",
        secretary=cast.resident,
        actor=cast.secretary,
    )
    assert group.parent == branch2 and group.secretary == cast.resident


@pytest.mark.parametrize(
    ("kind", "parent_index", "field", "message"),
    [
        (PartyOrgKind.GROUP, None, "kind", "党小组必须隶属于一个党支部"),
        (PartyOrgKind.GROUP, 1, "parent", "党小组的上级组织只能是党支部"),  # a group under a committee
        (PartyOrgKind.GENERAL_BRANCH, 2, "parent", "党总支的上级组织只能是党委"),  # under a branch
        (PartyOrgKind.BRANCH, 2, "parent", "党支部的上级组织只能是党委、党总支"),  # a branch under a branch
        (PartyOrgKind.COMMITTEE, 2, "parent", "党委的上级组织只能是党委"),
    ],
)
def test_kind_hierarchy_is_enforced(cast, tree, orgs, kind, parent_index, field, message):
    parent = orgs[parent_index] if parent_index is not None else None
    with pytest.raises(ValidationError) as info:
        services.create_party_org(
            area=tree.courtyard_a, name="新组织", kind=kind, parent=parent, actor=cast.street_a
        )
    assert message in info.value.message_dict[field][0]
    assert not PartyOrg.objects.filter(name="新组织").exists()


def test_parent_must_cover_the_area_and_be_in_scope(cast, tree, orgs):
    _street, _community, branch, other = orgs
    with pytest.raises(ValidationError) as info:  # 育才社区党委 is street_b's, outside street_a's scope
        services.create_party_org(
            area=tree.grid_a, name="x", kind="branch", parent=other, actor=cast.street_a
        )
    assert "不在您的管辖范围内" in info.value.message_dict["parent"][0]
    with pytest.raises(ValidationError) as info:  # the city official sees it, but it is not above the grid
        services.create_party_org(area=tree.grid_a, name="x", kind="branch", parent=other, actor=cast.city)
    assert "必须包含本组织所在区域" in info.value.message_dict["parent"][0]
    with pytest.raises(ValidationError):  # a group on the community under a branch on the grid below it
        services.create_party_org(
            area=tree.community_a, name="x", kind="group", parent=branch, actor=cast.city
        )


def test_secretary_must_be_in_scope(cast, tree):
    stranger = make_user("stranger", "member", tree.community_b)
    with pytest.raises(ValidationError) as info:
        services.create_party_org(
            area=tree.grid_a, name="x", kind="branch", secretary=stranger, actor=cast.street_a
        )
    assert "书记必须是您管辖范围内的用户" in info.value.message_dict["secretary"][0]


def test_update_refuses_cycles_and_kinds_that_break_children(cast, tree, orgs):
    street, community, branch, _other = orgs
    with pytest.raises(ValidationError) as info:
        services.update_party_org(org=street, parent=community, actor=cast.city)
    assert "本组织或其下级组织" in info.value.message_dict["parent"][0]
    with pytest.raises(ValidationError) as info:  # a committee with a branch below cannot become a group
        services.update_party_org(org=community, kind="group", parent=branch, actor=cast.city)
    services.update_party_org(org=branch, name="第一网格党支部（新）", code="B-1", actor=cast.secretary)
    assert PartyOrg.objects.get(pk=branch.pk).code == "B-1"


def test_change_needs_the_permission_on_the_area(cast, tree, orgs):
    _street, _community, branch, other = orgs
    for actor in (cast.street_b, cast.worker, cast.resident, cast.auditor):
        with pytest.raises(PermissionDenied):
            services.update_party_org(org=branch, name="越权", actor=actor)
        with pytest.raises(PermissionDenied):
            services.create_party_org(area=tree.grid_a, name="越权", kind="branch", actor=actor)
    with pytest.raises(PermissionDenied):
        services.retire_party_org(org=other, actor=cast.street_a)


def test_retire_refuses_while_children_live(cast, tree, orgs):
    _street, community, branch, _other = orgs
    with pytest.raises(ValidationError) as info:
        services.retire_party_org(org=community, actor=cast.secretary)
    assert "1 个未撤销的下级组织" in info.value.messages[0]
    services.retire_party_org(org=branch, actor=cast.secretary)
    services.retire_party_org(org=PartyOrg.objects.get(pk=community.pk), actor=cast.secretary)
    assert PartyOrg.objects.filter(pk__in=[branch.pk, community.pk], retired=True).count() == 2


# --- pages ------------------------------------------------------------------------------------------


def test_list_is_scoped_and_filtered(cast, tree, orgs, client_for):
    def listed(user, **params) -> set[str]:
        html = client_for(user).get(reverse("areas:party_org_list"), params).content.decode()
        return {org.name for org in PartyOrg.objects.all() if f">{org.name}</a>" in html}

    assert listed(cast.street_a) == {"青江街道党工委", "桥楼社区党委", "第一网格党支部"}
    assert listed(cast.street_b) == {"育才社区党委"}
    assert listed(cast.city, kind="branch") == {"第一网格党支部"}
    assert listed(cast.city, area=tree.street_b.pk) == {"育才社区党委"}
    assert listed(cast.city, q="网格") == {"第一网格党支部"}
    # filtering by an area outside the scope is 404
    response = client_for(cast.street_a).get(reverse("areas:party_org_list"), {"area": tree.street_b.pk})
    assert response.status_code == 404


@pytest.mark.parametrize("n", [3, 60])
def test_list_query_count_does_not_grow(cast, tree, client_for, django_assert_max_num_queries, n):
    parent = make_party_org("桥楼社区党委", tree.community_a, kind="committee")
    for i in range(n):
        area = make_area(f"院落{i}", 6, tree.grid_a)
        org = make_party_org(f"第{i}党支部", area, parent=parent)
        org.secretary = cast.worker
        org.save()
    client = client_for(cast.street_a)
    # session, user, grants, count, one page (area, parent, secretary joined); the shell's unread count
    with django_assert_max_num_queries(6):
        response = client.get(reverse("areas:party_org_list"))
    assert response.status_code == 200
    rows = re.findall(r'<td><a href="/areas/party-orgs/\d+/">', response.content.decode())
    assert len(rows) == min(n + 1, 50)


def test_detail_scope(cast, tree, orgs, client_for):
    _street, community, branch, _other = orgs
    url = reverse("areas:party_org_detail", args=[branch.pk])
    assert client_for(cast.street_b).get(url).status_code == 404
    html = client_for(cast.secretary).get(url).content.decode()
    assert "桥楼社区党委" in html and reverse("areas:party_org_edit", args=[branch.pk]) in html
    html = (
        client_for(cast.secretary)
        .get(reverse("areas:party_org_detail", args=[community.pk]))
        .content.decode()
    )
    # its parent (the street's committee) is above the secretary's scope: named, not linked
    assert "青江街道党工委" in html and reverse("areas:party_org_detail", args=[orgs[0].pk]) not in html
    assert client_for(cast.resident).get(url).status_code == 404  # residents do not see Party organizations


@pytest.mark.parametrize("name", ["party_org_edit", "party_org_retire"])
def test_change_pages_404_for_outsiders_403_for_readers(cast, tree, orgs, client_for, name):
    branch = orgs[2]
    url = reverse(f"areas:{name}", args=[branch.pk])
    assert client_for(cast.street_b).get(url).status_code == 404
    assert client_for(cast.worker).get(url).status_code == 403
    assert client_for(cast.auditor).get(url).status_code == 403
    assert client_for(cast.secretary).get(url).status_code == 200


def test_create_edit_retire_through_the_pages(cast, tree, orgs, client_for):
    _street, community, branch, _other = orgs
    RoleGrant.objects.create(user=cast.resident, role="member", area=tree.courtyard_a)
    client = client_for(cast.secretary)
    url = reverse("areas:party_org_create", args=[tree.courtyard_a.pk])
    page = client.get(url).content.decode()
    parents = page.split('name="parent"')[1].split("</select>")[0]
    secretaries = page.split('name="secretary"')[1].split("</select>")[0]
    # parents offered: organizations on the courtyard's ancestors inside the secretary's scope
    assert f'value="{branch.pk}"' in parents and f'value="{community.pk}"' in parents
    assert f'value="{orgs[0].pk}"' not in parents
    # secretaries offered: members and workers holding a role in the courtyard's subtree
    assert f'value="{cast.resident.pk}"' in secretaries and f'value="{cast.worker.pk}"' not in secretaries
    response = client.post(url, {"name": "一号院落党小组", "kind": "group", "parent": community.pk})
    assert response.status_code == 200 and "党小组的上级组织只能是党支部" in response.content.decode()
    response = client.post(url, {"name": "一号院落党小组", "kind": "group", "parent": branch.pk, "code": ""})
    group = PartyOrg.objects.get(name="一号院落党小组")
    assert response.status_code == 302 and group.parent == branch and group.code is None

    response = client.post(
        reverse("areas:party_org_edit", args=[group.pk]),
        {"name": "一号院落党小组", "kind": "group", "parent": branch.pk, "secretary": cast.resident.pk},
    )
    assert response.status_code == 302 and PartyOrg.objects.get(pk=group.pk).secretary == cast.resident

    assert (
        client.post(reverse("areas:party_org_retire", args=[group.pk]), {"confirm": "on"}).status_code == 302
    )
    assert PartyOrg.objects.get(pk=group.pk).retired
    assert (
        client_for(cast.street_b).get(reverse("areas:party_org_create", args=[tree.grid_a.pk])).status_code
        == 404
    )
