"""Demo step `cogov_items` (order 321, after `cogov`): the demo community's two-way service list for this
year — needs published (one split in four shares), the partners' claims in every state (awaiting acceptance,
accepted, delivered awaiting confirmation, confirmed and rated by the community and a resident, declined), a
resource committed, and one need left open for the demo representative. Idempotent: nothing is made again
when the community has items."""

from __future__ import annotations

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from grassroots.areas.subtree import under_q
from grassroots.cogov import services_items
from grassroots.cogov.models import Partner, ServiceItem
from grassroots.demo.registry import SeedContext, local_today, seed_step
from grassroots.workflow import services as workflow

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
NEEDS = [  # title, category, shares, unit
    ("老年人健康讲座", "professional", 4, "次"),
    ("困难家庭课后辅导", "professional", 2, "期"),
    ("院落环境整治志愿服务", "volunteers", 3, "次"),
    ("社区活动室桌椅更新", "goods", 1, "批"),
    ("重阳节慰问老人", "funds", 1, "次"),
    ("法律知识进院落", "professional", 2, "场"),
]


@seed_step(order=321)
def cogov_items(ctx: SeedContext) -> None:
    community = ctx.places.get("community")
    worker, secretary = ctx.users.get("worker"), ctx.users.get("secretary")
    rep, resident = ctx.users.get("partner"), ctx.users.get("resident")
    if community is None or worker is None or rep is None:
        return
    if ServiceItem.objects.filter(community=community).exists():
        return
    partners = list(Partner.objects.filter(under_q(community.path), retired=False).order_by("pk")[:3])
    if len(partners) < 3:
        return
    today = local_today()
    year = today.year
    ends = max(today + timedelta(days=20), today.replace(month=12, day=31))
    needs = []
    for title, category, shares, unit in NEEDS:
        need = services_items.save_need(
            actor=worker,
            community=community,
            year=year,
            title=title,
            category=category,
            shares=shares,
            unit=unit,
            ends_on=ends if ends.year == year else None,
        )
        services_items.publish_item(actor=worker, item=need)
        needs.append(need)
    # every partner's representative claims for its own unit: the demo account for the first, helpers for
    # the others (they represent no one else)
    reps = {partners[0].pk: rep}
    for partner in partners[1:]:
        reps[partner.pk] = partner.representatives.first() or _rep_for(partner, rep)
    planned = today + timedelta(days=14)

    def claim(need, partner, shares=1):
        return services_items.claim_need(
            actor=reps[partner.pk], item=need, partner=partner, shares=shares, planned_on=planned
        )

    def deliver(c, beneficiaries):
        workflow.transition(c, "accept", actor=worker)
        c.refresh_from_db()
        services_items.deliver(
            actor=reps[c.partner_id],
            claim=c,
            delivered_on=timezone.localdate(),  # now, not the step's start: the demo may cross midnight
            beneficiaries=beneficiaries,
            note="按计划完成",
            evidence=SimpleUploadedFile("签到表.pdf", PDF, content_type="application/pdf"),
        )
        c.refresh_from_db()
        return c

    done = deliver(claim(needs[0], partners[2], shares=2), 46)  # the health centre's lectures: confirmed
    workflow.transition(done, "confirm", actor=secretary or worker)
    done.refresh_from_db()
    services_items.rate(
        actor=secretary or worker, claim=done, score=5, verdict="satisfied", comment="讲座很受欢迎"
    )
    if resident is not None and resident.home_area_id:
        services_items.rate(actor=resident, claim=done, score=4, verdict="basic", comment="希望多办几次")
    deliver(claim(needs[2], partners[0]), 20)  # delivered, awaiting the community's confirmation
    accepted = claim(needs[1], partners[1])
    workflow.transition(accepted, "accept", actor=worker)  # accepted, to deliver
    claim(needs[0], partners[0])  # awaiting acceptance
    declined = claim(needs[3], partners[1])
    workflow.transition(declined, "decline", actor=worker, comment="已由街道统一采购")
    services_items.commit_resource(
        actor=rep,
        partner=partners[0],
        community=community,
        year=year,
        title="会议室（每月 2 次）",
        category="venue",
        shares=12,
        unit="次",
        planned_on=planned,
    )
    # needs[4] and needs[5] stay open: the representative's home lists them
    ctx.log(f"  {len(needs)} needs, 6 claims and commitments")


def _rep_for(partner, like):
    from grassroots.accounts.models import RoleGrant, User
    from grassroots.accounts.roles import Role

    user, _created = User.objects.get_or_create(
        username=f"demo_partner_{partner.pk}", defaults={"full_name": f"{partner.name}联络员"}
    )
    if _created:
        user.set_unusable_password()
        user.save()
    area = like.grants.filter(role=Role.PARTNER_REP).values_list("area", flat=True).first()
    RoleGrant.objects.get_or_create(user=user, role=Role.PARTNER_REP, area_id=area)
    partner.representatives.add(user)
    return user
