"""Demo step `coverage` (order 310): entities of the emerging sectors in every community of the demo street
(东城街道) and a sample of communities elsewhere, with realistic coverage — most with three or more full
members have their own branch, a few have not (flagged 应单独建立党支部); smaller ones are in joint
organizations, covered by an instructor, or not covered — Party-building instructors with their visit
logs, cross-appointments and a service team per community of the demo street with its service records.
Idempotent: nothing is generated again when entities exist under the city."""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

from grassroots.areas.models import Area, Level, PartyOrg, PartyOrgKind
from grassroots.areas.subtree import lies_under, under_q
from grassroots.core.coverage.models import (
    CoverageStatus,
    CrossAppointment,
    Entity,
    EntityKind,
    Instructor,
    InstructorAssignment,
    InstructorVisit,
    ServiceRecord,
    ServiceTeam,
    ServiceTeamMember,
    StatusChange,
)
from grassroots.core.members.demo import _ensure_tags, _Writer
from grassroots.demo.names import person_name
from grassroots.demo.registry import SeedContext, local_today, seed_step

SAMPLE_ELSEWHERE = 40
HEADS = list("东西南北中新金玉锦龙凤青华文兴安和康福瑞嘉丰永宝富盛泰明清秀")
NAMES = {
    EntityKind.RESETTLEMENT: ("{h}{t}安置小区", "园坪湾岭苑"),
    EntityKind.BUILDING: ("{h}{t}大厦", "江城泰盛汇"),
    EntityKind.ENTERPRISE: ("雅安{h}{t}有限公司", ["茶业", "建材", "物流", "食品", "电子", "农业科技"]),
    EntityKind.SOCIAL_ORG: ("{h}{t}", ["志愿服务协会", "社会工作服务中心", "养老服务中心", "商会"]),
}
SIZES = {  # employees (or residents) range, Party members range
    EntityKind.RESETTLEMENT: ((600, 3000), (4, 25)),
    EntityKind.BUILDING: ((150, 1200), (0, 18)),
    EntityKind.ENTERPRISE: ((15, 400), (0, 9)),
    EntityKind.SOCIAL_ORG: ((5, 60), (0, 5)),
}
VISITS = [
    "宣讲党的政策，指导党员亮身份",
    "指导建立党员活动室",
    "帮助企业对接惠企政策",
    "指导开展主题党日活动",
    "了解职工诉求",
]
SERVICES = ["义诊进楼宇", "法律咨询进企业", "政策宣讲", "就业招聘对接", "安全生产检查", "志愿服务进小区"]


def _name(rng, kind, taken: set[str]) -> str:
    pattern, tails = NAMES[kind]
    for _ in range(30):
        name = pattern.format(h=rng.choice(HEADS) + rng.choice(HEADS), t=rng.choice(tails))
        if name not in taken:
            taken.add(name)
            return name
    name = f"{name}{len(taken)}"
    taken.add(name)
    return name


@seed_step(order=310)
def coverage(ctx: SeedContext) -> None:
    if Entity.objects.filter(under_q(ctx.city.path)).exists():
        return
    rng = ctx.rng
    street = ctx.places.get("street")
    local = [c for c in ctx.communities if street and lies_under(c.path, street.path)]
    urban = [c for c in ctx.communities if c.name.endswith("社区") and c not in local]
    communities = local + rng.sample(urban, min(SAMPLE_ELSEWHERE, len(urban)))
    grids: dict[str, list[Area]] = {}
    for grid in Area.objects.filter(under_q(ctx.city.path, "path"), level=Level.GRID).only(
        "id", "path", "name"
    ):
        grids.setdefault(grid.path[: -Area.steplen], []).append(grid)
    orgs = {o.area_id: o for o in PartyOrg.objects.filter(area__in=communities, retired=False).order_by("pk")}
    street_orgs = {
        o.area.path: o
        for o in PartyOrg.objects.filter(area__level=Level.STREET, retired=False).select_related("area")
    }
    taken: set[str] = set()
    entities, new_orgs = [], []
    for community in communities:
        places = grids.get(community.path) or [community]
        for _ in range(rng.randint(3, 6) if community in local else rng.randint(1, 4)):
            kind = rng.choices(list(EntityKind.values), weights=[2, 3, 4, 2])[0]
            (low, high), (mlow, mhigh) = SIZES[kind]
            employees = rng.randint(low, high)
            members = min(rng.randint(mlow, mhigh), employees)
            full = max(0, members - rng.randint(0, 2))
            area = rng.choice(places)
            entity = Entity(
                name=_name(rng, kind, taken),
                kind=kind,
                area=area,
                employees=employees,
                party_members=members,
                full_members=full,
                address=f"{community.name}{rng.randint(1, 200)}号",
            )
            roll = rng.random()
            if full >= 3 and roll < 0.7:
                entity.status = CoverageStatus.OWN
                org = PartyOrg(
                    name=f"{entity.name}党支部",
                    kind=PartyOrgKind.BRANCH,
                    area=area,
                    parent=orgs.get(community.pk),
                )
                new_orgs.append((entity, org))
            elif roll < 0.75 and orgs.get(community.pk):
                entity.status, entity.party_org = CoverageStatus.JOINT, orgs[community.pk]
            elif roll < 0.88:
                entity.status = CoverageStatus.INSTRUCTOR
            entities.append(entity)
    created = PartyOrg.objects.bulk_create([org for _e, org in new_orgs], batch_size=500)
    for (entity, _org), org in zip(new_orgs, created, strict=True):
        entity.party_org = org
    Entity.objects.bulk_create(entities, batch_size=1000)
    StatusChange.objects.bulk_create(  # the history starts with the status of the registration
        [StatusChange(entity=e, status=e.status, since=e.created_at) for e in entities], batch_size=1000
    )
    _register_members(ctx, [entity for entity, _org in new_orgs])
    _link_workers([e for e in entities if e.status == CoverageStatus.JOINT])
    _instructors(ctx, [e for e in entities if e.status == CoverageStatus.INSTRUCTOR], street_orgs)
    _local_extras(ctx, local, orgs, [e for e in entities if street and lies_under(e.area.path, street.path)])
    ctx.log(f"  {len(entities)} entities")


def _link_workers(joint) -> None:
    """Every other jointly covered entity gets members of its joint organization linked as working there (as
    many as its Party members), so its counts come from the records; the rest stay 手工填报."""
    from grassroots.core.members.models import Member

    taken: set[int] = set()
    for entity in joint[::2]:
        members = list(
            Member.objects.filter(branch__parent=entity.party_org_id, workplace__isnull=True)
            .exclude(pk__in=taken)
            .order_by("pk")
            .values_list("pk", flat=True)[: entity.party_members]
        )
        taken.update(members)
        Member.objects.filter(pk__in=members).update(workplace=entity)


def _register_members(ctx, entities) -> None:
    """The members of each new own branch, in its records (its counts come from them, docs/coverage.md):
    as many as the entity's Party members, of them its full members."""
    writer = _Writer(ctx, _ensure_tags())
    # ID numbers' serials from 250 on: the members step's writer drew its own from 0 for the same births, and
    # a region, birth date and sex hold at most a handful of its members.
    writer.serials = defaultdict(lambda: 250)
    for entity in entities:
        for i in range(entity.party_members):
            writer.add(
                entity.party_org_id, entity.area.path, [], False, probationary=i >= entity.full_members
            )
    writer.flush()


def _instructors(ctx, entities, street_orgs) -> None:
    rng = ctx.rng
    today = local_today()
    by_street: dict[str, list[Entity]] = {}
    for e in entities:
        by_street.setdefault(e.area.path[: 3 * Area.steplen], []).append(e)
    assignments, visits = [], []
    for path, group in by_street.items():
        sender = street_orgs.get(path)
        if sender is None:
            continue
        for start in range(0, len(group), 3):
            chunk = group[start : start + 3]
            instructor = Instructor.objects.create(
                name=person_name(rng),
                sent_by=sender,
                area=sender.area,
                position="街道党建办干部",
                appointed_on=today - timedelta(days=rng.randint(200, 500)),
            )
            for e in chunk:
                assignments.append(
                    InstructorAssignment(instructor=instructor, entity=e, starts_on=instructor.appointed_on)
                )
                for _ in range(rng.randint(2, 6)):
                    visits.append(
                        InstructorVisit(
                            instructor=instructor,
                            entity=e,
                            visited_on=today - timedelta(days=rng.randint(1, 180)),
                            content=rng.choice(VISITS),
                            issues=rng.choice(["", "", "党员作用发挥不够明显"]),
                        )
                    )
    InstructorAssignment.objects.bulk_create(assignments, batch_size=1000)
    InstructorVisit.objects.bulk_create(visits, batch_size=1000)


def _local_extras(ctx, communities, orgs, entities) -> None:
    rng = ctx.rng
    today = local_today()
    by_community: dict[str, list[Entity]] = {}
    for e in entities:
        by_community.setdefault(e.area.path[: 4 * Area.steplen], []).append(e)
    records = []
    for community in communities:
        org, served = orgs.get(community.pk), by_community.get(community.path, [])
        if org is None or not served:
            continue
        own = [e for e in served if e.party_org_id and e.status == CoverageStatus.OWN]
        for e in own[:2]:
            CrossAppointment.objects.create(
                person_name=person_name(rng),
                org=org,
                position="社区党组织委员",
                other_org_id=e.party_org_id,
                other_position="兼职副书记",
                starts_on=today - timedelta(days=rng.randint(100, 600)),
            )
        if served:
            CrossAppointment.objects.create(
                person_name=person_name(rng),
                org=org,
                position="社区党组织书记",
                other_entity=served[0],
                other_position="党建工作指导员",
                starts_on=today - timedelta(days=rng.randint(100, 600)),
            )
        team = ServiceTeam.objects.create(
            name=f"{community.name}组团服务队",
            area=community,
            leader=person_name(rng),
            description="社区干部、党员、律师、医生组团为辖区楼宇、企业和安置小区服务。",
        )
        ServiceTeamMember.objects.bulk_create(
            ServiceTeamMember(team=team, name=person_name(rng), role=role)
            for role in ("社区干部", "社区干部", "律师", "全科医生", "党员志愿者")
        )
        team.entities.set(served[:4])
        for _ in range(rng.randint(4, 10)):
            records.append(
                ServiceRecord(
                    team=team,
                    entity=rng.choice(served[:4]),
                    served_on=today - timedelta(days=rng.randint(1, 330)),
                    content=rng.choice(SERVICES),
                    participants=rng.randint(2, 8),
                )
            )
    ServiceRecord.objects.bulk_create(records, batch_size=1000)
