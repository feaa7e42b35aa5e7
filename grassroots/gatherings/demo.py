"""Demo step `gatherings`: past and coming gatherings of every foundation kind in the demo community, its
street and the city, and one public activity and one held meeting in a number of other communities. Past
ones are held, with minutes, decisions and attendance (but one, begun yesterday, awaits being marked held);
coming ones have invitations and sign-ups. Times are relative to when the demo is loaded."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from grassroots.accounts.models import User
from grassroots.areas.subtree import under_q
from grassroots.demo.registry import SeedContext, seed_step
from grassroots.gatherings.history import write_timelines
from grassroots.gatherings.models import Decision, Gathering, Participant, Status, Visibility

OTHER_COMMUNITIES = {"S": 40, "M": 400, "L": 2000}

# (kind, title, days from now, hours, visibility, capacity, place)
DEMO_COMMUNITY = [
    ("deliberation", "老旧小区加装电梯议事协商会", 3, 2, Visibility.PUBLIC, 40, "社区党群服务中心二楼会议室"),
    ("legal_session", "法律服务进社区：婚姻家庭与继承咨询", 6, 3, Visibility.PUBLIC, None, "社区法律服务站"),
    (
        "volunteer_service",
        "“绿美雅安·党员先行”河道清洁志愿服务",
        10,
        3,
        Visibility.PUBLIC,
        20,
        "青衣江滨江步道",
    ),
    ("meeting", "社区“两委”联席工作会", 2, 2, Visibility.INVITED, None, "社区会议室"),
    ("hearing", "小区停车位收费方案听证会", -20, 2, Visibility.PUBLIC, 60, "社区党群服务中心"),
    ("lecture", "道德讲堂：邻里守望 互助同行", -45, 2, Visibility.PUBLIC, 80, "社区道德讲堂"),
    ("activity", "重阳节敬老文艺汇演", -75, 3, Visibility.PUBLIC, None, "社区文化广场"),
]
MINUTES = "一、通报了前期工作情况；二、与会人员充分发表意见；三、形成以下决定事项，由责任人按期落实。"
DECISIONS = ["整理居民意见并于下周公示", "由网格员逐户走访征求意见", "下次会议通报落实情况"]


def _gathering(
    ctx, *, area, organizer, kind, title, days, hours, visibility, capacity, place, now, awaiting=False
):
    starts_at = timezone.localtime(now + timedelta(days=days)).replace(
        hour=9 + ctx.rng.randint(0, 6), minute=0, second=0, microsecond=0
    )
    past = days < 0 and not awaiting  # awaiting: begun, not yet marked held
    return Gathering(
        kind=kind,
        title=title,
        area=area,
        organizer=organizer,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=hours),
        place=place,
        description=f"{title}。欢迎辖区居民参加。",
        visibility=visibility,
        capacity=capacity,
        signup_open=visibility == Visibility.PUBLIC,
        status=Status.HELD if past else Status.PLANNED,
        held_at=starts_at + timedelta(hours=hours) if past else None,
        minutes=MINUTES if past else "",
    )


@seed_step(order=200)
def gatherings(ctx: SeedContext) -> None:
    if ctx.city is None or Gathering.objects.filter(under_q(ctx.city.path)).exists():
        return  # idempotent
    now = timezone.now()
    rng = ctx.rng
    community = ctx.places.get("community")
    street = ctx.places.get("street")
    users = ctx.users
    organizer = users.get("secretary") or users.get("admin")
    if community is None or organizer is None:
        return
    rows = [
        _gathering(
            ctx,
            area=community,
            organizer=organizer,
            kind=k,
            title=t,
            days=d,
            hours=h,
            visibility=v,
            capacity=c,
            place=p,
            now=now,
        )
        for k, t, d, h, v, c, p in DEMO_COMMUNITY
    ]
    # begun yesterday and not yet marked held: it waits on its managers' worklist (the home page)
    awaiting = _gathering(
        ctx,
        area=community,
        organizer=organizer,
        kind="meeting",
        title="网格员月度工作例会",
        days=-1,
        hours=2,
        visibility=Visibility.INVITED,
        capacity=None,
        place="社区会议室",
        now=now,
        awaiting=True,
    )
    rows.append(awaiting)
    if street is not None and users.get("street"):
        rows.append(
            _gathering(
                ctx,
                area=street,
                organizer=users["street"],
                kind="site_meeting",
                title="基层党建工作现场推进会",
                days=-30,
                hours=3,
                visibility=Visibility.INVITED,
                capacity=None,
                place=f"{street.name}各社区",
                now=now,
            )
        )
        rows.append(
            _gathering(
                ctx,
                area=street,
                organizer=users["street"],
                kind="joint_meeting",
                title="街道“1+N”共建联席会议",
                days=8,
                hours=2,
                visibility=Visibility.INVITED,
                capacity=None,
                place="街道便民服务中心",
                now=now,
            )
        )
    if users.get("city"):
        rows.append(
            _gathering(
                ctx,
                area=ctx.city,
                organizer=users["city"],
                kind="lecture",
                title="廉洁文化大讲堂",
                days=14,
                hours=2,
                visibility=Visibility.PUBLIC,
                capacity=300,
                place="雅安市文化馆",
                now=now,
            )
        )
    others = [c for c in ctx.communities if c.pk != community.pk]
    organizer = users.get("city") or organizer  # organizes the others' rows: it holds their scope
    for other in rng.sample(others, min(len(others), OTHER_COMMUNITIES.get(ctx.tier.name, 40))):
        rows.append(
            _gathering(
                ctx,
                area=other,
                organizer=organizer,
                kind="activity",
                title=f"{other.name}邻里节活动",
                days=rng.randint(1, 30),
                hours=2,
                visibility=Visibility.PUBLIC,
                capacity=rng.choice([None, 50, 100]),
                place=f"{other.name}文化广场",
                now=now,
            )
        )
        rows.append(
            _gathering(
                ctx,
                area=other,
                organizer=organizer,
                kind="meeting",
                title=f"{other.name}居民议事会",
                days=-rng.randint(5, 90),
                hours=2,
                visibility=Visibility.PUBLIC,
                capacity=None,
                place=f"{other.name}会议室",
                now=now,
            )
        )
    write_timelines(Gathering.objects.bulk_create(rows, batch_size=500))
    local = list(
        User.objects.filter(under_q(community.path, "home_area__path"), is_demo=True).order_by("username")[
            :40
        ]
    )
    staff = [users[name] for name in ("secretary", "worker", "grid", "member") if name in users]
    participants, decisions = [], []
    for gathering in Gathering.objects.filter(area=community).order_by("starts_at"):
        past = gathering.status == Status.HELD
        if gathering.visibility == Visibility.INVITED:
            people, invited = staff, True
        else:
            people = rng.sample(local, min(len(local), rng.randint(8, 18)))
            if gathering.capacity:
                people = people[: gathering.capacity - 2]
            invited = False
        for person in people:
            present = (rng.random() < 0.85) if past else None
            participants.append(
                Participant(
                    gathering=gathering,
                    user=person,
                    invited_at=gathering.starts_at - timedelta(days=5) if invited else None,
                    invited_by=gathering.organizer if invited else None,
                    signed_up_at=None if invited else gathering.starts_at - timedelta(days=rng.randint(1, 4)),
                    present=present,
                    absence_reason=""
                    if present in (True, None)
                    else rng.choice(["外出务工", "身体不适", "家中有事"]),
                    attendance_recorded_at=gathering.ends_at if past else None,
                    attendance_recorded_by=gathering.organizer if past else None,
                )
            )
        if past:
            for i, text in enumerate(DECISIONS):
                owner = staff[i % len(staff)] if staff else None
                decisions.append(
                    Decision(
                        gathering=gathering,
                        text=text,
                        owner=owner,
                        due_on=(gathering.starts_at + timedelta(days=14)).date(),
                        created_by=gathering.organizer,
                    )
                )
    Participant.objects.bulk_create(participants, batch_size=500, ignore_conflicts=True)
    Decision.objects.bulk_create(decisions, batch_size=500)
    ctx.log(f"    {len(rows)} gatherings, {len(participants)} participants")
