"""Demo step `cogov_meetings` (order 326, after `cogov`): the demo community's joint-meeting body (its
Party organization hosting, the community's partners as member units), a meeting held five weeks ago with
the units' attendance, minutes and three decisions — one verified, one reported done awaiting the host's
verification (with its note), one open and overdue — and a meeting planned next week. Idempotent: nothing
is made again when the community has a body."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.utils import timezone

from grassroots.areas.models import PartyOrg
from grassroots.areas.subtree import under_q
from grassroots.cogov import services_meetings as services
from grassroots.cogov.models import JointBody, Partner
from grassroots.demo.registry import SeedContext, local_today, seed_step
from grassroots.workflow.services import transition

DECISIONS = [
    ("在单位会议室设立居民议事点，每月开放两次", 14, "verified"),
    ("组织职工志愿者开展楼道清理", 21, "done"),
    ("协调解决单位周边夜间停车问题", 25, "open"),
]


def _at(day, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


@seed_step(order=326)
def cogov_meetings(ctx: SeedContext) -> None:
    community = ctx.places.get("community")
    secretary = ctx.users.get("secretary")
    if community is None or secretary is None or JointBody.objects.filter(area=community).exists():
        return
    org = PartyOrg.objects.filter(area=community, retired=False).order_by("pk").first()
    members = list(Partner.objects.filter(under_q(community.path), retired=False).order_by("pk")[:4])
    if org is None or not members:
        return
    body = services.save_body(
        actor=secretary,
        area=community,
        host=org,
        name=f"{community.name}共驻共建联席会议",
        members=members,
        note="每季度召开一次，成员单位轮流承办；议定事项列入督办，逾期未完成的在下次会议通报。",
    )
    today = local_today()
    held_on = today - timedelta(days=35)
    meeting = services.schedule_meeting(
        actor=secretary,
        body=body,
        title=f"{community.name}第二次共驻共建联席会议",
        starts_at=_at(held_on, 15),
        ends_at=_at(held_on, 17),
        place="社区党群服务中心二楼会议室",
        agenda="一、通报上季度督办事项落实情况\n二、议定居民议事点、楼道清理、周边停车三件事\n三、成员单位交流",
    )
    services.record_attendance(
        actor=secretary,
        meeting=meeting,
        rows=[(p, i != 2, f"{p.name}联络员" if i != 2 else "", "") for i, p in enumerate(members)],
    )
    services.record_minutes(
        actor=secretary,
        meeting=meeting,
        minutes="会议由社区党委书记主持，议定三项事项，明确责任单位和完成期限。",
    )
    services.mark_held(actor=secretary, meeting=meeting)
    rep = ctx.users.get("partner")
    for text, days, state in DECISIONS:
        owner = members[0] if state != "open" else members[min(1, len(members) - 1)]
        item = services.record_decision(
            actor=secretary,
            meeting=meeting,
            text=text,
            due_on=held_on + timedelta(days=days),
            owner_partner=owner,
        )
        if state == "open":
            continue
        doer = rep if rep is not None and owner.representatives.filter(pk=rep.pk).exists() else secretary
        transition(item, "complete", actor=doer, comment="已落实，照片见附件。", authorized=doer == secretary)
        if state == "verified":
            transition(item, "verify", actor=secretary, comment="经现场查看，已落实。")
    upcoming = today + timedelta(days=7)
    services.schedule_meeting(
        actor=secretary,
        body=body,
        title=f"{community.name}第三次共驻共建联席会议",
        starts_at=_at(upcoming, 15),
        ends_at=_at(upcoming, 17),
        place="社区党群服务中心二楼会议室",
        agenda="一、督办事项落实情况通报\n二、双向服务需求清单对接",
    )
    ctx.log(f"  joint-meeting body with {len(members)} units, 2 meetings, {len(DECISIONS)} action items")
