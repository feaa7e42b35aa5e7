"""Demo step `lawgov_pairings` (after 共治's register and 法治's stations): the county court and the public
security bureau's Party organizations registered with the demo community (双报到, confirmed by its
secretary), the court paired with the community's Party organization with its commitments and two services,
the member account as a court cadre paired with a household of the community, and an ended pairing."""

from __future__ import annotations

from datetime import timedelta

from grassroots.areas.models import PartyOrg
from grassroots.areas.subtree import under_q
from grassroots.cogov import services as cogov
from grassroots.cogov.models import Partner
from grassroots.core.members.services import registration as registrations
from grassroots.demo.registry import SeedContext, local_today, seed_step
from grassroots.lawgov import services_pairings as services
from grassroots.lawgov.models_pairings import Pairing
from grassroots.voting.models import Household

UNITS = [
    ("雨城区人民法院", "雨城区人民法院党组", "court"),
    ("雨城区公安分局", "雨城区公安分局党委", "public_security"),
]


def _unit(city, county, name, org_name):
    org = PartyOrg.objects.filter(name=org_name, area=county).first() or PartyOrg.objects.create(
        name=org_name, area=county, kind="committee"
    )
    partner = Partner.objects.filter(party_org=org).first()
    return partner or cogov.save_partner(actor=city, name=name, kind="government", area=county, party_org=org)


@seed_step(order=345)
def lawgov_pairings(ctx: SeedContext) -> None:
    community, county = ctx.places.get("community"), ctx.places.get("county")
    city, secretary = ctx.users.get("city"), ctx.users.get("secretary")
    if None in (community, county, city, secretary) or Pairing.objects.filter(community=community).exists():
        return
    community_org = PartyOrg.objects.filter(area=community, retired=False).order_by("pk").first()
    today = local_today()
    units = []
    for name, org_name, department in UNITS:
        partner = _unit(city, county, name, org_name)
        registration = services.register_unit(
            actor=city,
            partner=partner,
            community=community,
            services_offered="法律咨询、法治宣传、矛盾纠纷化解",
        )
        registrations.confirm(actor=secretary, registration=registration)
        units.append((partner, department))
    court, police = units
    made = 0
    if community_org is not None:
        pairing = services.create_pairing(
            actor=secretary,
            kind="org",
            community=community,
            partner=court[0],
            department=court[1],
            community_org=community_org,
            started_on=today - timedelta(days=120),
            commitments=["每季度开展一次法治讲座", "参与社区重大矛盾纠纷化解", "为困难群众提供诉讼指导"],
        )
        for days, content, hours in (
            (90, "法治讲座：民法典与家庭生活", "2"),
            (30, "参与调解邻里漏水纠纷", "3"),
        ):
            services.record_service(
                actor=secretary,
                pairing=pairing,
                done_on=today - timedelta(days=days),
                content=content,
                hours=hours,
            )
        ended = services.create_pairing(
            actor=secretary,
            kind="org",
            community=community,
            partner=police[0],
            department=police[1],
            community_org=community_org,
            started_on=today - timedelta(days=400),
            commitments=["每月开展一次防诈骗宣传"],
        )
        services.record_service(
            actor=secretary,
            pairing=ended,
            done_on=today - timedelta(days=380),
            content="防诈骗宣传进小区",
            hours="2",
        )
        services.end_pairing(actor=secretary, pairing=ended, reason="结对期满，转为共建协议")
        made += 2
    cadre = ctx.users.get("member")
    household = Household.objects.filter(under_q(community.path, "area__path")).order_by("pk").first()
    if cadre is not None and household is not None:
        pairing = services.create_pairing(
            actor=secretary,
            kind="cadre",
            community=community,
            partner=court[0],
            department=court[1],
            cadre=cadre,
            household=household,
            started_on=today - timedelta(days=60),
            commitments=["每月入户走访一次", "帮助解答家庭法律问题"],
        )
        services.record_service(
            actor=cadre,
            pairing=pairing,
            done_on=today - timedelta(days=20),
            content="入户走访，讲解赡养义务",
            hours="1.5",
        )
        made += 1
    ctx.log(f"  {len(units)} units registered, {made} pairings")
