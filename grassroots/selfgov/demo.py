"""Demo step `selfgov`: in the demo community, residents' opinions (one past its support threshold, one quick
report, one recorded on the grid worker's rounds, one rejected) and a matter at every step — collection,
hearing (announced, with guests and comments), decision (vote open), execution, evaluation, done; quick
reports (随手拍) with photos and the phone's position in each community below (one rejected); in the two
nearby communities of the demo street (the residents step's `nearby_communities`), opinions and matters at
other steps: collection, hearing, execution after a poor evaluation and done in the first; collection,
decision, execution and evaluation in the second."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from grassroots.accounts.models import User
from grassroots.accounts.roles import Role
from grassroots.accounts.services.grants import grant_role
from grassroots.areas.subtree import lies_under, under_q
from grassroots.demo.registry import SeedContext, seed_step
from grassroots.demo.steps.residents import nearby_communities
from grassroots.gatherings.services import mark_held, record_minutes
from grassroots.selfgov import demo_execution
from grassroots.selfgov.models import Matter
from grassroots.selfgov.selectors import support_threshold
from grassroots.selfgov.services import matters, opinions
from grassroots.voting.selectors import quorum_ballots
from grassroots.voting.services import ballots, votes

OPINIONS = [
    ("parking", "院内车辆乱停乱放，消防通道经常被堵，建议划线管理。"),
    ("environment", "垃圾分类点离单元门太近，夏天气味大，建议调整位置。"),
    ("facilities", "3 栋楼道灯坏了半个月，老人晚上上下楼不方便。"),
    ("elderly", "希望社区增设老年助餐点，方便独居老人就餐。"),
    ("greening", "小区中心绿地杂草多，建议组织居民共同认领养护。"),
]

MATTERS = [  # title, category, how far it goes
    ("小区垃圾分类点位调整", "environment", "collection"),
    ("老旧小区加装电梯方案", "facilities", "hearing"),
    ("院内停车位划线管理", "parking", "decision"),
    ("楼道照明改造", "facilities", "execution"),
    ("中心绿地认养", "greening", "evaluation"),
    ("老年助餐点设置", "elderly", "done"),
]
ADOPTED = "小区围墙修缮"  # adopted, waiting for its plan
NEARBY_MATTERS = [  # per nearby community: title, category, how far it goes ("poor": back to execution)
    [
        ("小区消防通道整治", "safety", "hearing"),
        ("背街小巷路灯维修", "facilities", "done"),
        ("院坝排水沟清淤", "environment", "poor"),
    ],
    [
        ("农贸市场周边停车秩序", "parking", "decision"),
        ("楼顶防水维修", "facilities", "execution"),
        ("健身器材更新", "facilities", "evaluation"),
    ],
]
ORDER = ["collection", "hearing", "decision", "execution", "evaluation", "done"]


def _residents(community, limit=40):
    return list(
        User.objects.filter(
            under_q(community.path, "home_area__path"), verified_at__isnull=False, is_active=True
        )
        .exclude(username="resident")
        .select_related("home_area")
        .order_by("username")[:limit]
    )


QUICK_REPORTS = [  # category, text, where (the place in words)
    ("environment", "单元门口堆放建筑垃圾，已有两天无人清运。", "2 栋单元门口"),
    ("safety", "路口井盖破损下陷，夜间容易绊倒行人。", "小区北门路口"),
    ("parking", "电动车在楼道内充电，存在火灾隐患。", "5 栋一楼楼道"),
    ("greening", "绿化带树枝折断悬挂，刮风时有掉落危险。", "中心花园旁"),
]
# Around 东城街道 in 雨城区 (longitude, latitude): one spot per community, the reports jittered near it.
QUICK_SPOTS = [(103.0335, 29.9838), (103.0452, 29.9902), (103.0248, 29.9761)]


def _quick_reports(community, people, rng, spot, *, reject_by=None):
    """Residents' quick reports (随手拍) with a photo and the phone's position near `spot`."""
    made = []
    for i, (category, text, place) in enumerate(QUICK_REPORTS):
        author = people[(i * 3 + 1) % len(people)]
        made.append(
            opinions.submit_opinion(
                author=author,
                category=category,
                text=text,
                place=place,
                latitude=Decimal(str(round(spot[1] + rng.uniform(-0.004, 0.004), 6))),
                longitude=Decimal(str(round(spot[0] + rng.uniform(-0.004, 0.004), 6))),
                photos=[demo_execution.photo("随手拍.jpg", (150, 120 + 20 * i, 90))],
                quick=True,
            )
        )
    if reject_by is not None:
        opinions.reject_opinion(
            actor=reject_by, opinion=made[2], reason="已由物业当日劝离并张贴安全提示，列入日常巡查。"
        )
    return made


def _opinions(community, people, rng, *, threshold_one=True):
    made = []
    for i, (category, text) in enumerate(OPINIONS[:3]):
        author = people[i]
        opinion = opinions.submit_opinion(author=author, category=category, text=text)
        supporters = [p for p in people if p.pk != author.pk][: rng.randint(1, 4)]
        if i == 0 and threshold_one:
            supporters = [p for p in people if p.pk != author.pk][: support_threshold(community)]
        for person in supporters:
            opinions.support_opinion(user=person, opinion=opinion)
        made.append(opinion)
    return made


@seed_step(order=220)
def selfgov(ctx: SeedContext) -> None:
    community, grid = ctx.places.get("community"), ctx.places.get("grid")
    worker, grid_worker, street = ctx.users.get("worker"), ctx.users.get("grid"), ctx.users.get("street")
    if community is None or worker is None or Matter.objects.filter(community=community).exists():
        return
    rng = ctx.rng_for("selfgov")
    people = _residents(community)
    if len(people) < 12:
        return
    made = _opinions(community, people, rng)
    resident = ctx.users.get("resident")
    if grid_worker is not None and grid is not None:
        heard = [p for p in people if lies_under(p.home_area.path, grid.path)]
        if heard:
            opinions.record_opinion(
                actor=grid_worker, resident=heard[0], category="safety", text="走访时居民反映：路口井盖松动。"
            )
    opinions.reject_opinion(
        actor=worker, opinion=made[2], reason="楼道灯属物业维修范围，已转物业公司当日修复。"
    )
    quick_rng = ctx.rng_for("selfgov_quick")
    _quick_reports(community, people, quick_rng, QUICK_SPOTS[0], reject_by=worker)
    now = timezone.now()
    for n, (title, category, until) in enumerate(MATTERS):
        _matter(
            ctx,
            community,
            worker,
            people,
            title,
            category,
            ORDER.index(until),
            now,
            made[1:2] if n == 0 else [],
        )
    # just adopted: in execution with no plan yet (the browser journey of steps 4-5 plans it, docs/e2e.md)
    _matter(ctx, community, worker, people, ADOPTED, "facilities", 3, now, [], until="adopted")
    if resident is not None and resident.identity_verified:
        hearing = Matter.objects.filter(community=community, state="hearing").first()
        if hearing is not None:
            matters.comment_on_hearing(user=resident, matter=hearing, text="建议优先考虑低楼层住户的意见。")
    # The two nearby communities of the demo street (where the residents step puts a quarter of the
    # residents): opinions, a matter collecting them, and — run by a resident granted the community worker's
    # role there — matters at the other steps, so that every step has matters in more than one community.
    for n, other in enumerate(nearby_communities(ctx)):
        local = _residents(other, 30)
        if len(local) >= 12 and street is not None:
            found = _opinions(other, local, rng, threshold_one=False)
            _quick_reports(other, local, quick_rng, QUICK_SPOTS[1 + n % (len(QUICK_SPOTS) - 1)])
            matters.create_matter(
                actor=street, area=other, title="社区微更新项目征集", category="facilities", opinions=[]
            )
            staff = local[-1]
            grant_role(grantor=street, user=staff, role=Role.COMMUNITY_WORKER, area=other)
            for title, category, until in NEARBY_MATTERS[n % len(NEARBY_MATTERS)]:
                depth = ORDER.index(until) if until in ORDER else ORDER.index("done")
                _matter(ctx, other, staff, local[:-1], title, category, depth, now, [], until=until)
            ctx.log(f"  {other.name}: {len(found)} opinions")
    ctx.log(f"  {Matter.objects.count()} matters")


def _matter(ctx, community, worker, people, title, category, depth, now, grouped, until=""):
    start_at = now - timedelta(days=12 * depth + 3)
    matter = matters.create_matter(
        actor=worker,
        area=community,
        title=title,
        category=category,
        description=f"居民反映较多，社区“两委”研究后列为民生事项：{title}。",
        opinions=grouped,
        now=start_at,
    )
    if depth == 0:
        return
    hearing_at = now + timedelta(days=9) if depth == 1 else start_at + timedelta(days=10)
    matters.schedule_hearing(
        actor=worker,
        matter=matter,
        starts_at=hearing_at,
        ends_at=hearing_at + timedelta(hours=2),
        place="社区党群服务中心二楼会议室",
        guests=[
            {"name": "社区党委", "role": "党组织"},
            {"name": "物业服务中心", "role": "物业服务企业"},
            {"name": "居民代表", "role": "各院落推选"},
            {"name": "王建国", "organization": "雨城区住房和城乡建设局", "role": "相关单位"},
        ],
        now=min(now, hearing_at - timedelta(days=8)),
    )
    if depth == 1:
        return
    matter.refresh_from_db()
    mark_held(actor=worker, gathering=matter.hearing)
    record_minutes(
        actor=worker, gathering=matter.hearing, minutes="与会各方充分发表意见，形成方案提交居民表决。"
    )
    matter.refresh_from_db()
    matters.call_vote(
        actor=worker,
        matter=matter,
        opens_at=min(hearing_at + timedelta(days=1), now - timedelta(hours=1)),
        closes_at=now + timedelta(days=3),
        quorum_percent=5,
    )
    matter.refresh_from_db()
    yes, no = list(matter.vote.options.order_by("position").values_list("pk", flat=True))
    # an open vote has ten ballots; a closed one 30, or as many as its quorum needs (a tier-L community has
    # ~3,600 verified residents: 5 % is 180); four ballots in five say yes
    count = 10 if depth == 2 else max(30, quorum_ballots(matter.vote))
    voters = people if count <= len(people) else _residents(community, limit=count)
    for i, person in enumerate(voters[:count]):
        ballots.cast_ballot(voter=person, vote=matter.vote, option_ids=[yes if i % 5 else no])
    if depth == 2:
        return
    votes.close_vote(actor=worker, vote=matter.vote)
    matter.refresh_from_db()
    matters.take_step(actor=worker, matter=matter, name="adopt", comment="表决通过，交由社区居委会组织实施。")
    demo_execution.carry(worker, matter, people, until if until else ORDER[depth])


# The four systems, conventions and negotiations: their own steps.
from grassroots.selfgov import demo_charters, demo_negotiations  # noqa: E402, F401
