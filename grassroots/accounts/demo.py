"""Demo step `verifications` (order 50): real-name verification requests of the generated residents who
are not verified yet, in the demo community (东大街社区), so that its verifiers' worklist and
`/api/verifications/` show each state: most waiting, two returned with the reason (the resident may correct
them), a few verified by the demo `worker` — each through the workflow, with its timeline. Idempotent:
nothing is made when any request exists in the demo community."""

from __future__ import annotations

from grassroots.accounts.models import ResidentVerification, User
from grassroots.areas.subtree import under_q
from grassroots.demo.registry import SeedContext, seed_step
from grassroots.workflow.services import start, transition

PLAN = ("pending",) * 6 + ("rejected",) * 2 + ("verified",) * 3


@seed_step(order=50)
def verifications(ctx: SeedContext) -> None:
    community, worker = ctx.places.get("community"), ctx.users.get("worker")
    if community is None or worker is None:
        return
    if ResidentVerification.objects.filter(under_q(community.path)).exists():
        return
    people = list(
        User.objects.filter(
            under_q(community.path, "home_area__path"), is_demo=True, verified_at__isnull=True
        )
        .select_related("home_area")
        .order_by("username")[: len(PLAN)]
    )
    for user, state in zip(people, PLAN, strict=False):
        request = ResidentVerification.objects.create(
            user=user, area=user.home_area, full_name=user.full_name or user.username, phone=user.phone or ""
        )
        start(request, actor=user)
        if state == "rejected":
            transition(request, "reject", actor=worker, comment="地址与户籍登记不一致，请核对楼栋。")
        elif state == "verified":
            transition(request, "verify", actor=worker)
    ctx.log(f"  {min(len(people), len(PLAN))} verification requests")
