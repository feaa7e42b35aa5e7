"""A jointly covered entity (联合建立党组织) counts its Party members from the member records linked to it as
their workplace (`Member.workplace`, set through the records' service, page form and API); with no such
record its counts stay typed by hand, marked 手工填报. Another street's entity cannot be named."""

from datetime import date

from grassroots.core.coverage import selectors, services
from grassroots.core.coverage.models import Entity
from grassroots.core.members.models import Member, MemberStatus
from grassroots.core.members.services import records
from tests.coverage.conftest import make_entity
from tests.factories import make_party_org
from tests.orglife.conftest import make_id, make_member


def counts():
    return {
        e.name: (e.from_records, e.member_count, e.full_count) for e in selectors.with_counts(Entity.objects)
    }


def test_joint_counts_come_from_the_linked_records(tree, cast, orgs, client_for, api_for):
    branch = make_party_org("桥楼第一支部", tree.grid_a, parent=orgs.community)
    joint = make_entity(
        "汇通物流",
        tree.community_a,
        status="joint",
        party_org=orgs.community,
        party_members=7,
        full_members=6,
    )
    manual = make_entity(
        "顺达超市", tree.community_a, status="joint", party_org=orgs.community, party_members=2
    )
    other = make_entity("东城商贸", tree.community_b, party_members=1)
    assert counts()["汇通物流"] == (False, 7, 6)  # no record names it yet: by hand
    assert not joint.counts_from_records
    # Linked through the service (create and update), a probationary member, one who died.
    created = records.create_member(
        actor=cast.secretary,
        name="王物流",
        id_number="513101199001011234",
        branch=branch,
        joined_probationary_on=date(2010, 7, 1),
        joined_full_on=date(2011, 7, 1),
        workplace=joint,
    )
    probationary = records.create_member(
        actor=cast.secretary,
        name="李预备",
        id_number=make_id(),
        branch=branch,
        joined_probationary_on=date(2025, 7, 1),
    )
    records.update_member(actor=cast.secretary, member=probationary, workplace=joint)
    make_member("张已故", branch, status=MemberStatus.DECEASED, workplace=joint)
    assert counts()["汇通物流"] == (True, 2, 1)
    assert counts()["顺达超市"] == (False, 2, 0)  # still 手工填报
    assert Entity.objects.get(pk=joint.pk).counts_from_records and services.branch_counts(joint) == (2, 1)
    # Typed counts are refused now that the records count it.
    refused = api_for(cast.worker).patch(f"/api/entities/{joint.pk}/", {"party_members": 9}, format="json")
    assert refused.status_code == 400
    assert refused.json()["errors"] == {
        "party_members": ["该单位的党员数由党员档案统计，不再手工填报，请留空。"]
    }
    # The API sets and shows it; another street's entity is refused at the field.
    api = api_for(cast.secretary)
    assert api.get(f"/api/members/{created.pk}/").json()["workplace"] == joint.pk
    moved = api.patch(f"/api/members/{created.pk}/", {"workplace": manual.pk}, format="json")
    assert moved.status_code == 200, moved.json()
    assert counts()["顺达超市"] == (True, 1, 1) and counts()["汇通物流"] == (True, 1, 0)
    outside = api.patch(f"/api/members/{created.pk}/", {"workplace": other.pk}, format="json")
    assert outside.status_code == 400 and "workplace" in outside.json()["errors"]
    assert Member.objects.get(pk=created.pk).workplace == manual
    # The pages: the list marks only the hand-counted; the member form offers the entities in scope.
    page = client_for(cast.secretary).get(f"/members/{created.pk}/edit/")
    assert page.status_code == 200
    offered = {label for _v, label in page.context["form"].fields["workplace"].choices}
    assert {"汇通物流", "顺达超市"} <= offered and "东城商贸" not in offered
