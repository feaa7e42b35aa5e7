"""Authority over the organization tree, in the service so that pages and API agree: moving an
organization needs "party_orgs.change" on the old parent as on the new one, creating one needs it on its
parent; detaching it or creating one without a parent (a root) is the operator's only."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from rest_framework.test import APIClient

from grassroots.accounts.models import RoleGrant
from grassroots.accounts.roles import Role
from grassroots.areas import services
from grassroots.areas.models import PartyOrg
from tests.factories import api_token, make_party_org


def api_for(user) -> APIClient:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {api_token(user)}")
    return api


@pytest.fixture
def orgs(tree, cast):
    street = make_party_org("青江街道党工委", tree.street_a, kind="committee")
    community = make_party_org("桥楼社区党委", tree.community_a, kind="committee", parent=street)
    community.secretary = cast.secretary
    community.save()
    other = make_party_org("东城街道党工委", tree.street_b, kind="committee")
    return street, community, other


def test_a_community_secretary_cannot_detach_their_organization_by_token(cast, orgs):
    street, community, _other = orgs
    response = api_for(cast.secretary).patch(
        f"/api/party-orgs/{community.pk}/", {"parent": None}, format="json"
    )
    assert response.status_code == 403, response.content
    body = response.json()
    # what is missing: the right on the body it would leave (and a root would need the operator anyway)
    assert body["code"] == "permission_denied" and "青江街道党工委" in body["detail"]
    assert PartyOrg.objects.get(pk=community.pk).parent == street  # still in the street's tree


def test_a_community_secretary_cannot_detach_it_on_the_page(cast, orgs, client_for):
    street, community, _other = orgs
    response = client_for(cast.secretary).post(
        reverse("areas:party_org_edit", args=[community.pk]),
        {
            "name": community.name,
            "kind": "committee",
            "parent": "",
            "code": "",
            "secretary": cast.secretary.pk,
        },
    )
    assert response.status_code == 403
    assert PartyOrg.objects.get(pk=community.pk).parent == street


def test_moving_needs_the_right_on_the_old_parent_as_on_the_new(cast, tree, orgs):
    _street, community, _other = orgs
    new_parent = make_party_org("桥楼社区联合党委", tree.community_a, kind="committee")
    # the secretary keeps the new parent (their community) but not the old one (the street's committee)
    with pytest.raises(PermissionDenied) as refused:
        services.update_party_org(org=community, parent=new_parent, actor=cast.secretary)
    assert "青江街道党工委" in str(refused.value)
    # the street official keeps both
    services.update_party_org(org=community, parent=new_parent, actor=cast.street_a)
    assert PartyOrg.objects.get(pk=community.pk).parent == new_parent


def test_creating_needs_the_right_on_the_parent(cast, tree, orgs):
    street, community, _other = orgs
    # the community's secretary, who also reads the street (an auditor there), keeps the community but not
    # the street's committee: reading a body is not the right to hang organizations under it
    RoleGrant.objects.create(user=cast.secretary, role=Role.AUDITOR, area=tree.street_a)
    new = {"area": tree.community_a, "name": "桥楼社区第二党委", "kind": "committee", "parent": street}
    with pytest.raises(PermissionDenied) as refused:
        services.create_party_org(**new, actor=cast.secretary)
    assert "青江街道党工委" in str(refused.value)
    body = {**new, "area": tree.community_a.pk, "parent": street.pk}
    response = api_for(cast.secretary).post("/api/party-orgs/", body, format="json")
    assert response.status_code == 403, response.content
    assert "青江街道党工委" in response.json()["detail"]
    assert not PartyOrg.objects.filter(name="桥楼社区第二党委").exists()
    # under their own organization they may; the street official under the street's committee
    branch = services.create_party_org(
        area=tree.community_a,
        name="桥楼社区第一党支部",
        kind="branch",
        parent=community,
        actor=cast.secretary,
    )
    assert branch.parent == community
    assert services.create_party_org(**new, actor=cast.street_a).parent == street


def test_only_the_operator_makes_roots(cast, tree, orgs):
    _street, community, _other = orgs
    for actor in (cast.street_a, cast.city):
        with pytest.raises(PermissionDenied):
            services.update_party_org(org=community, parent=None, actor=actor)
        with pytest.raises(PermissionDenied):
            services.create_party_org(area=tree.community_a, name="新党委", kind="committee", actor=actor)
    services.update_party_org(org=community, parent=None, actor=cast.admin)  # the system admin on the city
    assert PartyOrg.objects.get(pk=community.pk).parent is None
    root = services.create_party_org(area=tree.community_a, name="新党委", kind="committee", actor=cast.admin)
    assert root.parent is None
    # the system itself (imports, the demo loader, a shell) is not refused
    assert services.create_party_org(area=tree.street_b, name="系统", kind="committee", actor=None).pk


def test_other_changes_leave_the_parent_alone(cast, orgs):
    street, community, _other = orgs
    services.update_party_org(org=community, name="桥楼社区党委（新）", actor=cast.secretary)
    services.update_party_org(org=community, parent=street, actor=cast.secretary)  # unchanged: no check
    assert PartyOrg.objects.get(pk=community.pk).parent == street
