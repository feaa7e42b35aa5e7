"""Demo step `member_flows` (order 120): transfers of the membership relation and dual registrations in
the demo community (东大街社区) and its street (东城街道), in every state a newcomer meets, taken through the
same services as the pages (so each has its timeline):

- transfers: two waiting for the old branch (requested), two released and waiting for the new branch, one
  received (the member moved), one refused with its reason, one cancelled; by the demo `street` official,
  who keeps both sides;
- registrations: in-service members of the community registered where they live; three waiting for the
  community, three confirmed by the demo `worker`, one returned with its reason, one ended;
- one member of the community who left the Party (已出党: the step 登记出党 with its way and approval), so the
  list's status filter and the record's page show a closed record.

Idempotent: nothing is made when any transfer or registration exists in the demo street.
"""

from __future__ import annotations

from grassroots.areas.models import Area
from grassroots.areas.subtree import lies_under
from grassroots.core.members.demo.data import _branches, _under
from grassroots.core.members.models import Member, MemberStatus, Registration, Transfer
from grassroots.core.members.services import find, manage
from grassroots.core.members.services import registration as registrations
from grassroots.demo.registry import SeedContext, seed_step
from grassroots.workflow.services import transition

REASONS = ("搬家到新小区", "工作调动", "随子女居住", "换了工作单位")
TRANSFER_PLAN = ("requested", "requested", "released", "released", "received", "refused", "cancelled")
REGISTRATION_PLAN = ("pending",) * 3 + ("confirmed",) * 3 + ("rejected", "ended")
REFUSAL = "组织关系介绍信信息不全，请补充后重新申请。"
ENDING = "工作单位调整，结束报到。"
LEFT_THE_PARTY = "本人申请退党，经支部大会讨论、街道党工委批准（东组〔2026〕12号），予以除名。"
SERVICES = ("义诊", "法律咨询", "助老陪伴", "政策宣讲", "环境整治", "文艺活动", "关爱儿童", "就业指导")


@seed_step(order=120)
def member_flows(ctx: SeedContext) -> None:
    street, community = ctx.places.get("street"), ctx.places.get("community")
    official, worker = ctx.users.get("street"), ctx.users.get("worker")
    if street is None or community is None or official is None or worker is None:
        return
    if (
        Transfer.objects.filter(_under(street.path, "from_branch__area__path")).exists()
        or Registration.objects.filter(_under(street.path, "community__path")).exists()
    ):
        return
    made = _transfers(ctx, street, community, official)
    registered = _registrations(ctx, community, official, worker)
    left = _left_the_party(community, official)
    ctx.log(f"  {made} transfers, {registered} registrations, {left} left the Party")


def _members(where: Area, **filters) -> list[Member]:
    return list(
        Member.objects.filter(
            _under(where.path, "branch__area__path"), status=MemberStatus.NORMAL, user__isnull=True, **filters
        )
        .select_related("branch", "branch__area", "home_area")
        .order_by("pk")[:200]
    )


def _transfers(ctx: SeedContext, street: Area, community: Area, official) -> int:
    rng = ctx.rng
    targets = list(
        _branches().filter(_under(street.path, "area__path")).exclude(_under(community.path, "area__path"))
    )
    people = _members(community)
    if not targets or len(people) < len(TRANSFER_PLAN):
        return 0
    chosen = rng.sample(people, len(TRANSFER_PLAN))
    for member, state in zip(chosen, TRANSFER_PLAN, strict=True):
        transfer = manage.request_transfer(
            actor=official, member=member, to_branch=rng.choice(targets), reason=rng.choice(REASONS)
        )
        if state == "refused":
            transition(transfer, "refuse_release", actor=official, comment=REFUSAL)
        elif state == "cancelled":
            transition(transfer, "cancel", actor=official, comment="党员暂不搬迁。")
        elif state in ("released", "received"):
            manage.release_transfer(
                actor=official, transfer=transfer, letter_number=f"东组转{rng.randint(100, 999)}号"
            )
            if state == "received":
                transition(transfer, "receive", actor=official)
    return len(TRANSFER_PLAN)


def _left_the_party(community: Area, official) -> int:
    """The community's last member with neither a transfer nor a registration leaves the Party (no draw from
    the seed's random numbers: the steps after this one make the same records as before)."""
    people = [
        m
        for m in _members(community)
        if not Transfer.objects.filter(member=m).exists()
        and not Registration.objects.filter(member=m).exists()
    ]
    if not people:
        return 0
    find.change_status(actor=official, member=people[-1], name="mark_left", comment=LEFT_THE_PARTY)
    return 1


def _registrations(ctx: SeedContext, community: Area, official, worker) -> int:
    rng = ctx.rng
    people = [
        m
        for m in _members(community, in_service=True, home_area__isnull=False)
        if lies_under(m.home_area.path, community.path)
    ]
    if len(people) < len(REGISTRATION_PLAN):
        return 0
    chosen = rng.sample(people, len(REGISTRATION_PLAN))
    for member, state in zip(chosen, REGISTRATION_PLAN, strict=True):
        registration = registrations.register_member(
            actor=official, member=member, services_offered="、".join(rng.sample(SERVICES, 2))
        )
        if state == "rejected":
            registrations.reject(actor=worker, registration=registration, reason="请填写可提供的服务时间。")
        elif state in ("confirmed", "ended"):
            registrations.confirm(actor=worker, registration=registration)
            if state == "ended":
                registrations.end(actor=official, registration=registration, comment=ENDING)
    return len(REGISTRATION_PLAN)
