"""Demo step `notices` (order 70): a few notices published by the demo officials along the demo accounts'
branch of the tree — the city, the street, the community (one pinned) and the grid — and one scheduled for
next week, so that every home page and `/notices/` show some from the start. Through `create_notice`, as a
manager publishes them. Idempotent: nothing is made when any notice exists."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from grassroots.demo.registry import SeedContext, seed_step
from grassroots.portal.models import Notice
from grassroots.portal.services import create_notice

# (author, place, title, body, days ago (negative: scheduled), pinned)
NOTICES = (
    (
        "city",
        "city",
        "关于做好冬季防火安全工作的通知",
        "各区县、街道（乡镇）、社区：入冬以来天气干燥，请组织网格员对老旧院落、楼道堆物开展一次全面排查，"
        "发现隐患当场劝改，不能当场整改的列入台账限期整改。",
        6,
        False,
    ),
    (
        "street",
        "street",
        "东城街道开展“双报到”党员志愿服务月活动",
        "请在职党员本月内到居住地社区报到，认领一项志愿服务岗位，服务时长计入年度考核。",
        4,
        False,
    ),
    (
        "worker",
        "community",
        "东大街社区本周六开展免费义诊",
        "本周六上午 9:00—11:30 在社区党群服务中心开展义诊，提供血压、血糖检测和用药咨询，请携带医保卡。",
        2,
        True,
    ),
    (
        "worker",
        "grid",
        "第一网格楼道杂物清理提醒",
        "请各楼栋居民于本周五前清理楼道内堆放的杂物和电动车，保持消防通道畅通。网格员将逐栋检查。",
        1,
        False,
    ),
    (
        "secretary",
        "community",
        "东大街社区下周召开居民议事会",
        "议题：小区停车位划线方案。欢迎居民代表和党员参加，会前可向网格员提出意见建议。",
        -7,
        False,
    ),
)


@seed_step(order=70)
def notices(ctx: SeedContext) -> None:
    if Notice.objects.exists():
        return
    now = timezone.now()
    made = 0
    for author_name, place, title, body, days_ago, pinned in NOTICES:
        author, area = ctx.users.get(author_name), ctx.places.get(place)
        if author is None or area is None:
            continue
        create_notice(
            author=author,
            area=area,
            title=title,
            body=body,
            published_at=now - timedelta(days=days_ago),
            pinned=pinned,
        )
        made += 1
    ctx.log(f"  {made} notices")
