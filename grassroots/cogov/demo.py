"""Demo step `cogov` (order 320, after coverage): the demo community's partners — its emerging-sector entities
taken as partners (one record: the entity, with its own branch as the unit's Party organization), a school, a
hospital and a county bureau — with the resources they offer, the demo account `partner` as the first one's
representative, co-building agreements of the community's Party organization (one in force, one expiring
within 30 days, one ended), and volunteers (the demo resident and member, residents of the demo grid).
Idempotent: nothing is made again when the community has partners."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.db.models import Q

from grassroots.accounts.models import User
from grassroots.areas.models import Level, PartyOrg
from grassroots.areas.subtree import under_q
from grassroots.cogov import services
from grassroots.cogov.models import Availability, Partner, Side
from grassroots.core.coverage.models import CoverageStatus, Entity
from grassroots.demo.registry import SeedContext, local_today, seed_step

OTHERS = [
    ("雅安市第八中学", "school", "community"),
    ("东大街社区卫生服务中心", "hospital", "community"),
    ("雨城区卫生健康局", "government", "county"),
]
RESOURCES = [
    [("venue", "会议室", 2, "间"), ("volunteers", "职工志愿者", 15, "人"), ("funds", "共建资金", 2, "万元")],
    [("venue", "操场（周末开放）", 1, "处"), ("professional", "课后托管辅导", 40, "课时")],
    [("professional", "义诊", 12, "次"), ("professional", "健康讲座", 6, "次")],
    [("professional", "慢病随访指导", 4, "次"), ("goods", "急救包", 50, "个")],
]
COMMITMENTS = {
    Side.ORG: ["提供党员活动阵地和宣传阵地", "组织在职党员参与单位的主题党日", "协调解决单位周边环境问题"],
    Side.PARTNER: ["每季度开展一次进社区志愿服务", "向居民开放场地", "结对帮扶困难家庭"],
}
SKILLS = [
    ["医疗护理"],
    ["理发", "维修家电"],
    ["文艺", "书法"],
    ["法律咨询"],
    ["心理疏导", "陪伴老人"],
    ["电脑", "摄影"],
]


@seed_step(order=320)
def cogov(ctx: SeedContext) -> None:
    community, county = ctx.places.get("community"), ctx.places.get("county")
    secretary = ctx.users.get("secretary")
    if community is None or secretary is None or Partner.objects.filter(under_q(community.path)).exists():
        return
    org = PartyOrg.objects.filter(area=community, retired=False).order_by("pk").first()
    city = ctx.users.get("city") or secretary
    partners = []
    candidates = list(
        Entity.objects.filter(under_q(community.path), kind__in=("enterprise", "social_org"))
        .filter(partner__isnull=True)
        .order_by("pk")[:10]
    )
    # those with a branch of their own first: their branch is the unit's Party organization
    candidates.sort(key=lambda e: (e.status != CoverageStatus.OWN, e.pk))
    for entity in candidates[:2]:
        own = entity.party_org if entity.status == CoverageStatus.OWN else None
        if own is not None and Partner.objects.filter(party_org=own).exists():
            own = None
        partners.append(services.save_partner(actor=secretary, entity=entity, party_org=own, kind=""))
    for name, kind, place in OTHERS:
        area = county if place == "county" else community
        actor = city if place == "county" else secretary
        partner = Partner.objects.filter(name=name, area=area).first()
        partners.append(partner or services.save_partner(actor=actor, name=name, kind=kind, area=area))
    rep = ctx.users.get("partner")
    if rep is not None and partners:
        partners[0].contact_name = rep.full_name
        partners[0].save(update_fields=["contact_name"])
        partners[0].representatives.add(rep)
    for partner, resources in zip(partners, RESOURCES, strict=False):
        for kind, name, quantity, unit in resources:
            services.set_resource(
                actor=secretary, partner=partner, kind=kind, name=name, quantity=Decimal(quantity), unit=unit
            )
    today = local_today()
    terms = [(-200, 165), (-340, 20), (-800, -70)]  # in force, expiring within 30 days, ended
    if org is not None:
        for partner, (start, end) in zip(partners[:3], terms, strict=False):
            services.sign_agreement(
                actor=secretary,
                party_org=org,
                partner=partner,
                title=f"{community.name}—{partner.name}共建协议",
                starts_on=today + timedelta(days=start),
                ends_on=today + timedelta(days=end),
                signed_on=today + timedelta(days=start - 3),
                commitments=[(side, text) for side, texts in COMMITMENTS.items() for text in texts[:2]],
            )
    people = [ctx.users.get("resident"), ctx.users.get("member")]
    grid = ctx.places.get("grid")
    if grid is not None:
        people += list(
            User.objects.filter(under_q(grid.path, "home_area__path"), is_active=True)
            .filter(Q(home_area__level__gte=Level.COMMUNITY))
            .exclude(username__in=["resident", "member"])
            .order_by("username")[:6]
        )
    signed = 0
    for i, person in enumerate(p for p in people if p is not None and p.home_area_id is not None):
        volunteer = services.sign_up_volunteer(
            actor=secretary if i > 1 else person,
            person=person,
            skills=SKILLS[i % len(SKILLS)],
            availability=[Availability.WEEKEND] if i % 2 else [Availability.EVENING, Availability.WEEKEND],
        )
        volunteer.hours = Decimal(4 * (i + 1))  # served before the platform: typed in once
        volunteer.save(update_fields=["hours"])
        signed += 1
    ctx.log(f"  {len(partners)} partners, {3 if org else 0} agreements, {signed} volunteers")


# The steps `cogov_items` (321), `cogov_activities` (325) and `cogov_meetings` (326) live beside this one.
from grassroots.cogov import demo_activities, demo_exports, demo_items, demo_meetings  # noqa: E402, F401
