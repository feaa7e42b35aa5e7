from datetime import timedelta
from types import SimpleNamespace

import pytest

from grassroots.accounts.roles import Role
from grassroots.cogov import services, services_items
from grassroots.cogov.models import Side
from grassroots.core.coverage.models import Entity
from tests.factories import make_party_org, make_user


@pytest.fixture
def co(tree, cast, today):
    """Street A's community with its Party organization, two partners there (one made from an emerging-sector
    entity, with its own Party organization), one partner located at the county, street B's partner, a
    representative of the first partner and an agreement of community A with it (a year from today)."""
    street_org = make_party_org("青江街道党工委", tree.street_a, kind="committee")
    org = make_party_org("桥楼社区党委", tree.community_a, kind="committee", parent=street_org)
    org_b = make_party_org("育才社区党委", tree.community_b, kind="committee")
    unit_org = make_party_org("雅安茶业公司党支部", tree.grid_a)
    entity = Entity.objects.create(name="雅安茶业有限公司", kind="enterprise", area=tree.grid_a)
    rep = make_user("rep", Role.PARTNER_REP, tree.community_a)
    tea = services.save_partner(
        actor=cast.secretary, entity=entity, party_org=unit_org, kind="", representatives=[rep]
    )
    school = services.save_partner(
        actor=cast.secretary, name="桥楼小学", kind="school", area=tree.community_a
    )
    bureau = services.save_partner(actor=cast.city, name="雨城区卫健局", kind="government", area=tree.county)
    other = services.save_partner(
        actor=cast.street_b, name="育才医院", kind="hospital", area=tree.community_b
    )
    agreement = services.sign_agreement(
        actor=cast.secretary,
        party_org=org,
        partner=tea,
        title="桥楼社区—雅安茶业共建协议",
        starts_on=today - timedelta(days=30),
        ends_on=today + timedelta(days=335),
        signed_on=today - timedelta(days=31),
        commitments=[(Side.ORG, "提供党员活动阵地"), (Side.PARTNER, "每季度开展一次志愿服务")],
    )
    return SimpleNamespace(
        street_org=street_org,
        org=org,
        org_b=org_b,
        unit_org=unit_org,
        entity=entity,
        rep=rep,
        tea=tea,
        school=school,
        bureau=bureau,
        other=other,
        agreement=agreement,
    )


@pytest.fixture
def it(co, cast, tree, today):
    """co plus: a representative of the school (rep2), one of street B's hospital (rep_b), a need of 3
    shares published by community A, an unpublished draft, and a resident of community A."""
    rep2 = make_user("rep2", Role.PARTNER_REP, tree.community_a)
    co.school.representatives.add(rep2)
    rep_b = make_user("rep_b", Role.PARTNER_REP, tree.community_b)
    co.other.representatives.add(rep_b)
    need = services_items.save_need(
        actor=cast.worker,
        community=tree.community_a,
        year=today.year,
        title="老年人健康讲座",
        category="professional",
        shares=3,
        unit="次",
        ends_on=today + timedelta(days=60),
    )
    services_items.publish_item(actor=cast.worker, item=need)
    draft = services_items.save_need(
        actor=cast.worker, community=tree.community_a, year=today.year, title="草稿需求", category="goods"
    )
    co.rep2, co.rep_b, co.need, co.draft = rep2, rep_b, need, draft
    co.soon = today + timedelta(days=20)
    return co
