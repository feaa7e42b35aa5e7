"""Demo step `selfgov_negotiations` (after 共治's partners): in the demo community, negotiations at different
states — one from the parking matter, agreed three weeks ago with a follow-up item done and one overdue (the
worker's home shows it); one failed and handed over to mediation; one in session with the parties'
positions; one just opened; one failed, awaiting the decision to close it or hand it over; one followed up
and closed — and one open in another community of the demo street."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from grassroots.areas.models import PartyOrg
from grassroots.areas.subtree import lies_under
from grassroots.cogov.models import Partner
from grassroots.demo.registry import SeedContext, seed_step
from grassroots.gatherings.services import authorized as gatherings
from grassroots.selfgov.models import Matter
from grassroots.selfgov.models_negotiations import Negotiation
from grassroots.selfgov.services import negotiations as services

NAMED = [
    {"kind": "owners_committee", "name": "业主委员会", "role": "主任（演示）"},
    {"kind": "residents", "name": "居民代表甲", "role": "3栋业主代表（演示）"},
]


def _org(area):
    return PartyOrg.objects.filter(area=area, retired=False).order_by("pk").first()


def _parties(area):
    partner = Partner.objects.filter(area=area, retired=False).order_by("pk").first()
    unit = [{"kind": "property", "partner": partner, "role": "项目经理"}] if partner is not None else []
    return unit + NAMED


def _negotiation(worker, area, org, subject, description, *, matter=None, sessions=0, held=0, now):
    negotiation = services.start_negotiation(
        actor=worker,
        area=area,
        party_org=org,
        subject=subject,
        description=description,
        matter=matter,
        parties=_parties(area),
    )
    for n in range(sessions):
        start = now - timedelta(days=14 - 3 * n, hours=2) if n < held else now + timedelta(days=3)
        session = services.schedule_session(
            actor=worker,
            negotiation=negotiation,
            starts_at=start,
            ends_at=start + timedelta(hours=2),
            place="社区党群服务中心议事厅",
        )
        if n < held:
            gatherings.mark_held(actor=worker, gathering=session.gathering)
            gatherings.record_minutes(
                actor=worker, gathering=session.gathering, minutes="各方陈述诉求，社区党委主持协商（演示）。"
            )
            texts = ("同意按方案执行，费用需分摊", "要求先公示方案再实施", "希望照顾老年住户")
            for party, text in zip(negotiation.parties.order_by("pk"), texts, strict=False):
                services.record_position(
                    actor=worker, negotiation=negotiation, session=session, party=party, text=text
                )
    negotiation.refresh_from_db()
    return negotiation


def _agree(worker, negotiation, *, days_ago, now):
    services.reach_agreement(
        actor=worker,
        negotiation=negotiation,
        text="一、按划线方案设置车位；二、老年住户优先；三、物业每月公示收费（演示）。",
    )
    # agreed some time ago (the demo's history), so that its follow-up can be due already
    Negotiation.objects.filter(pk=negotiation.pk).update(agreed_at=now - timedelta(days=days_ago))
    negotiation.refresh_from_db()
    return negotiation


@seed_step(order=330)
def selfgov_negotiations(ctx: SeedContext) -> None:
    community, worker = ctx.places.get("community"), ctx.users.get("worker")
    if community is None or worker is None or Negotiation.objects.filter(community=community).exists():
        return
    org = _org(community)
    if org is None:
        return
    now = timezone.now()
    today = timezone.localdate()
    parking = Matter.objects.filter(community=community, title="院内停车位划线管理").first()
    agreed = _negotiation(
        worker,
        community,
        org,
        "院内停车位收费争议",
        "部分业主对划线后的地面车位收费有异议，物业与业委会意见不一。",
        matter=parking,
        sessions=2,
        held=2,
        now=now,
    )
    agreed = _agree(worker, agreed, days_ago=21, now=now)
    owner = agreed.parties.order_by("pk").first()
    done = services.add_follow_up(
        actor=worker, negotiation=agreed, text="公示收费标准", owner=owner, due_on=today - timedelta(days=14)
    )
    services.complete_follow_up(
        actor=worker, negotiation=agreed, item=done, note="已在各单元门口公示（演示）"
    )
    services.add_follow_up(
        actor=worker,
        negotiation=agreed,
        text="重新施划地面车位",
        owner=owner,
        due_on=today - timedelta(days=3),
    )
    services.add_follow_up(
        actor=worker,
        negotiation=agreed,
        text="设置老年住户专用车位",
        owner=owner,
        due_on=today + timedelta(days=10),
    )

    failed = _negotiation(
        worker,
        community,
        org,
        "临街商铺油烟扰民",
        "居民多次反映商铺油烟，商户拒绝整改。",
        sessions=1,
        held=1,
        now=now,
    )
    services.take_step(actor=worker, negotiation=failed, name="fail", comment="商户拒不安装油烟净化设备。")
    services.take_step(
        actor=worker, negotiation=failed, name="hand_over", comment="协商未果，申请人民调解委员会调解。"
    )

    _negotiation(
        worker,
        community,
        org,
        "加装电梯费用分摊",
        "低楼层住户与高楼层住户对分摊比例有分歧。",
        sessions=2,
        held=1,
        now=now,
    )
    _negotiation(worker, community, org, "小区广场舞噪音", "晚间广场舞音量过大，影响周边住户休息。", now=now)
    pets = _negotiation(
        worker, community, org, "宠物扰民", "犬只夜间吠叫，邻里多次沟通无果。", sessions=1, held=1, now=now
    )
    services.take_step(actor=worker, negotiation=pets, name="fail", comment="养犬户未到场，待社区研究。")

    closed = _negotiation(
        worker,
        community,
        org,
        "楼顶违规搭建",
        "顶层住户在楼顶搭建阳光房，邻居反对。",
        sessions=1,
        held=1,
        now=now,
    )
    closed = _agree(worker, closed, days_ago=40, now=now)
    item = services.add_follow_up(
        actor=worker,
        negotiation=closed,
        text="拆除楼顶搭建",
        owner=closed.parties.order_by("pk").last(),
        due_on=today - timedelta(days=20),
    )
    services.complete_follow_up(actor=worker, negotiation=closed, item=item, note="已自行拆除（演示）")
    services.take_step(actor=worker, negotiation=closed, name="complete")
    services.take_step(actor=worker, negotiation=closed, name="close")

    street_area, street = ctx.places.get("street"), ctx.users.get("street")
    others = [
        c
        for c in ctx.communities
        if street_area is not None and c.pk != community.pk and lies_under(c.path, street_area.path)
    ]
    for other in others[:1]:
        other_org = _org(other)
        if street is not None and other_org is not None:
            _negotiation(
                street,
                other,
                other_org,
                "小区公共收益使用争议",
                "业委会与物业对公共收益使用有分歧。",
                now=now,
            )
    ctx.log(f"  {Negotiation.objects.count()} negotiations")
