"""xlsx export of the user's scoped subtree, in the import layout; exporting and re-importing into an empty
tree gives the same tree."""

import io

import pytest
from django.urls import reverse

from grassroots.accounts.models import RoleGrant, User
from grassroots.areas.models import Area, PartyOrg
from grassroots.areas.services import import_workbook
from grassroots.audit.models import AuditEvent
from tests.areas.conftest import AREA_HEADER, ORG_HEADER, orgs_shape, read_xlsx, tree_shape
from tests.factories import Level, make_area, make_party_org, make_user


def export(client, **params):
    response = client.get(reverse("areas:export"), params)
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return read_xlsx(b"".join(response.streaming_content))


def test_export_is_the_users_subtree_in_the_import_layout(cast, tree, client_for):
    org = make_party_org("桥楼社区党委", tree.community_a, kind="committee")
    make_party_org("育才社区党委", tree.community_b, kind="committee")
    sheets = export(client_for(cast.street_a))
    areas, orgs = sheets["区域"], sheets["党组织"]
    assert areas[0] == AREA_HEADER and orgs[0] == ORG_HEADER
    assert [row[1] for row in areas[1:]] == ["青江街道", "桥楼社区", "第一网格", "一号院落"]
    # the top names its parent by code; the others name theirs by 编号 (the parent's row)
    assert areas[1] == [str(tree.street_a.pk), "青江街道", "街道（乡镇）", "511802001", None, "511802"]
    assert areas[2][4] == str(tree.street_a.pk) and areas[2][5] is None
    assert areas[4] == [str(tree.courtyard_a.pk), "一号院落", "院落", None, str(tree.grid_a.pk), None]
    assert orgs[1:] == [
        [str(org.pk), "桥楼社区党委", "党委", None, str(tree.community_a.pk), None, None, None, None]
    ]


def test_export_is_logged(cast, tree, client_for):
    export(client_for(cast.street_a))
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.EXPORT)
    assert event.user == cast.street_a and event.count == 4


def test_export_scope(cast, tree, client_for):
    sheets = export(client_for(cast.street_b))
    assert [row[1] for row in sheets["区域"][1:]] == ["东城街道", "育才社区"]
    client = client_for(cast.street_b)
    assert client.get(reverse("areas:export"), {"area": tree.community_a.pk}).status_code == 404
    assert client_for(cast.resident).get(reverse("areas:export")).status_code == 403
    assert client_for(cast.worker).get(reverse("areas:export")).status_code == 403
    sheets = export(client_for(cast.city), area=tree.community_a.pk)
    assert [row[1] for row in sheets["区域"][1:]] == ["桥楼社区", "第一网格", "一号院落"]


def test_retired_areas_are_not_exported(cast, tree, client_for):
    Area.objects.filter(pk=tree.courtyard_a.pk).update(retired=True)
    sheets = export(client_for(cast.street_a))
    assert "一号院落" not in [row[1] for row in sheets["区域"][1:]]


@pytest.fixture
def rich_tree(tree):
    """The cast's tree plus skipped levels, buildings, and Party organizations in every kind, including a
    parent on the same area as its child and an organization created before its parent."""
    compound = make_area("阳光小区", Level.COMPOUND, tree.community_a, code=None)
    for name in ("1栋", "2栋"):
        make_area(name, Level.BUILDING, compound)
    make_area("第二网格", Level.GRID, tree.community_b)
    secretary = make_user("sec", full_name="书记甲")
    city = make_party_org("雅安市委", tree.city, kind="committee")
    street = make_party_org("青江街道党工委", tree.street_a, kind="committee", parent=city)
    # created before its parent, on the same area: the export must still list the parent first
    branch = make_party_org("桥楼社区党支部", tree.community_a, kind="branch")
    general = make_party_org("桥楼社区党总支", tree.community_a, kind="general_branch", parent=street)
    branch.parent, branch.code, branch.secretary = general, "QL-B1", secretary
    branch.save()
    make_party_org("小区党小组", compound, kind="group", parent=branch)
    make_party_org("育才社区党委", tree.community_b, kind="committee")
    return tree


def test_export_then_import_into_an_empty_tree_gives_the_same_tree(cast, rich_tree, client_for):
    before_areas, before_orgs = tree_shape(), orgs_shape()
    response = client_for(cast.admin).get(reverse("areas:export"))
    content = b"".join(response.streaming_content)

    # empty the tree (keeping the secretary, who is named by username)
    RoleGrant.objects.all().delete()
    User.objects.exclude(username="sec").delete()
    PartyOrg.objects.update(parent=None)
    PartyOrg.objects.all().delete()
    Area.objects.all().delete()
    assert Area.objects.count() == 0

    outcome = import_workbook(file=io.BytesIO(content), actor=None)
    assert outcome.ok, outcome.errors
    assert tree_shape() == before_areas
    assert orgs_shape() == before_orgs
    assert PartyOrg.objects.get(code="QL-B1").secretary.username == "sec"
    assert Area.objects.find_problems() == ([], [], [], [], [])
