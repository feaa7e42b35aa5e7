"""Demo step `gridwork`: the demo grid worker's visit log in their grid over the last weeks; of the two
needing follow-up, the older is closed and the newer waits on their to-do."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from grassroots.access.scoping import role_paths
from grassroots.accounts.models import User
from grassroots.accounts.roles import Role
from grassroots.areas.models import Area
from grassroots.areas.subtree import under_q
from grassroots.demo.registry import SeedContext, seed_step
from grassroots.gridwork.models import Visit
from grassroots.gridwork.services import close_follow_up, record_visit

HEARD = [
    ("楼道灯坏了两盏，老人晚上上下楼不方便。", True, "联系物业本周内更换。"),
    ("独居老人身体尚好，希望社区多组织健康讲座。", False, ""),
    ("反映小区门口占道停车，早晚高峰出行不便。", True, "报社区协调停车划线。"),
    ("新搬来一户，已告知实名核验和居民议事渠道。", False, ""),
    ("下水道堵塞已由物业疏通，居民表示满意。", False, ""),
]


@seed_step(order=215)
def gridwork(ctx: SeedContext) -> None:
    worker = ctx.users.get("grid")
    if worker is None or Visit.objects.filter(worker=worker).exists():
        return
    paths = role_paths(worker, {Role.GRID_WORKER})
    area = Area.objects.filter(path__in=paths).order_by("path").first()
    if area is None:
        return
    residents = list(
        User.objects.filter(under_q(area.path, "home_area__path"), is_active=True).order_by("username")[:5]
    )
    today = timezone.localdate()
    visits = []
    for i, (heard, follow_up, note) in enumerate(HEARD):
        visit = record_visit(
            actor=worker,
            area=area,
            resident=residents[i] if i < len(residents) else None,
            visited_on=today - timedelta(days=3 * i),
            heard=heard,
            follow_up=follow_up,
            follow_up_note=note,
        )
        visits.append(visit)
    # the older follow-up is done; the newer one waits on the worker's to-do
    close_follow_up(actor=worker, visit=visits[2], note="已报社区，停车线已划好，居民反映好多了。")
    ctx.log(f"  {len(HEARD)} visits, one follow-up closed, one waiting")
