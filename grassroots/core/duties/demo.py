"""Demo step `duties`: a year of tasks down the levels — the city to every street and (under admitted
affairs) to every community, 雨城区 to its streets, 东城街道 to its communities — with 东城街道 and a sample
of other streets breaking the city's tasks down to their communities; the offices of every street; and a
realistic spread of states (most past tasks approved, some late, some overdue, returned, waiting to be
checked), each assignment with a timeline of its steps. Deadlines are relative to the day of loading.

Tasks are issued through `services.issue_task` (the city, county and street demo accounts) or, for the
breakdowns of streets that have no demo account, through `services.tasks.write_issued` (THE RULE of
社区事务准入制 holds there too). The steps are then written in bulk: one UPDATE per task and state, and the
matching timeline rows, rather than thousands of single transitions."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from grassroots.accounts.models import RoleGrant, User
from grassroots.accounts.roles import Role
from grassroots.areas.models import Area, Level
from grassroots.areas.subtree import under_q
from grassroots.core.admission.models import AdmittedAffair
from grassroots.core.duties.models import (
    AssignmentState,
    DutyAssignment,
    DutyTask,
    Office,
    OfficeKind,
    OfficePost,
)
from grassroots.core.duties.services import add_office_member, issue_task
from grassroots.core.duties.services.tasks import write_issued
from grassroots.demo.registry import SeedContext, local_today, seed_step
from grassroots.workflow.models import TransitionLog

PARTY = "社区党组织建设与党员管理服务"
# (title, days from today to the deadline, weight, affair name when issued to communities, broken down?)
CITY_TO_STREETS = [
    ("推进“两学一做”学习教育常态化制度化", -250, 5, None, False),
    ("街道党工委书记抓基层党建工作述职评议", -200, 5, None, False),
    ("“互联网+大数据+党员”平台党员信息核录", -150, 4, PARTY, True),
    ("新兴领域党建“两个覆盖”集中攻坚", -110, 4, None, False),
    ("组织开展主题党日活动", -60, 2, None, False),
    ("基层减负：清理规范社区挂牌和证明事项", -20, 3, PARTY, True),
    ("社区“两委”班子运行情况分析研判", 10, 3, None, False),
    ("编制下年度基层党建任务清单", 40, 2, PARTY, True),
]
CITY_TO_COMMUNITIES = [
    ("城乡低保年度复核入户调查", -90, 3, "城乡最低生活保障入户调查"),
    ("汛期地质灾害隐患巡查", 20, 4, "地质灾害群测群防与防汛避险"),
]
COUNTY_TO_STREETS = [("城市基层党建示范街道创建", -130, 4), ("小区党支部“三单制”运行督导", 25, 3)]
STREET_TO_COMMUNITIES = [
    ("社区网格员业务培训", -45, 2, "社区网格化服务管理", OfficeKind.GOVERNANCE),
    ("院落居民公约修订", 15, 2, "居民议事协商与居民公约制定", OfficeKind.SERVICES),
]
OTHER_STREETS = {"S": 9, "M": 20, "L": 60}
EVIDENCE = "已按要求完成，工作方案、会议记录和照片见附件。"
RETURN_REASON = "佐证材料不全，请补充会议记录和照片。"

# Shares of each state by where the deadline stands (they need not sum to 1: the rest stay issued).
PAST = [
    ("approved", 0.68),
    ("late", 0.1),
    ("reworked", 0.05),
    ("submitted", 0.05),
    ("returned", 0.04),
    ("in_progress", 0.05),
]
SOON = [("approved", 0.25), ("submitted", 0.2), ("returned", 0.05), ("in_progress", 0.3), ("accepted", 0.1)]
LATER = [("submitted", 0.05), ("in_progress", 0.25), ("accepted", 0.3)]

# The steps each group went through, after the issue.
STEPS = {
    "accepted": ["accept"],
    "in_progress": ["accept", "begin"],
    "submitted": ["accept", "begin", "submit"],
    "returned": ["accept", "begin", "submit", "send_back"],
    "approved": ["accept", "begin", "submit", "approve"],
    "late": ["accept", "begin", "submit", "approve"],
    "reworked": ["accept", "begin", "submit", "send_back", "rework", "resubmit", "approve"],
}
TO_STATE = {
    "accept": AssignmentState.ACCEPTED,
    "begin": AssignmentState.IN_PROGRESS,
    "submit": AssignmentState.SUBMITTED,
    "resubmit": AssignmentState.SUBMITTED,
    "send_back": AssignmentState.RETURNED,
    "rework": AssignmentState.IN_PROGRESS,
    "approve": AssignmentState.APPROVED,
}
COMMENTS = {"submit": EVIDENCE, "resubmit": EVIDENCE, "send_back": RETURN_REASON}


# The demo community to its grids: (title, days to the deadline, weight).
COMMUNITY_TO_GRIDS = [
    ("网格入户走访全覆盖", -120, 2),
    ("网格内独居老人关爱登记", -45, 1),
    ("网格矛盾纠纷排查", -10, 2),
    ("网格党员志愿服务活动", 20, 1),
    ("网格居民议事会", 60, 1),
]


def _at(day, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


class _Writer:
    def __init__(self, ctx: SeedContext, today):
        self.ctx, self.rng, self.today = ctx, ctx.rng, today
        self.now = timezone.now()
        self.content_type = ContentType.objects.get_for_model(DutyAssignment)
        users, places = ctx.users, ctx.places
        # Who signs the steps of the demo accounts' areas (others are signed by "the system").
        self.actors = {}
        for key, username in (
            ("city", "city"),
            ("county", "county"),
            ("street", "street"),
            ("community", "secretary"),
            ("grid", "grid"),
        ):
            if places.get(key) is not None and users.get(username) is not None:
                self.actors[places[key].pk] = users[username]

    def issued_at(self, deadline) -> datetime:
        day = min(deadline - timedelta(days=self.rng.randint(60, 90)), self.today)
        return min(_at(day, 9), self.now)

    def spread(self, task: DutyTask) -> None:
        """Move the task's assignments through a realistic mix of states, by groups. An assignment already
        broken down into tasks for the level below is at least in progress."""
        days_left = (task.deadline - self.today).days
        shares = PAST if days_left < 0 else SOON if days_left <= 30 else LATER
        rows = list(task.assignments.values_list("pk", "area_id").order_by("pk"))
        self.rng.shuffle(rows)
        groups: dict[str, list[tuple[int, int]]] = {}
        start = 0
        for group, share in shares:
            size = round(share * self.rng.uniform(0.75, 1.2) * len(rows))
            if size == 0 and group in ("approved", "submitted", "in_progress") and self.rng.random() < 0.5:
                size = 1
            groups[group], start = rows[start : start + size], start + size
        rest = rows[start:]  # stay issued
        parents = set(DutyTask.objects.filter(parent__task=task).values_list("parent_id", flat=True))
        if parents:
            waiting = [row for row in rest + groups.get("accepted", []) if row[0] in parents]
            rest = [row for row in rest if row[0] not in parents]
            groups["accepted"] = [row for row in groups.get("accepted", []) if row[0] not in parents]
            groups["in_progress"] = groups.get("in_progress", []) + waiting
        for group, chunk in groups.items():
            if chunk:
                self._move(task, group, chunk)

    def _dates(self, task: DutyTask, group: str):
        issued = timezone.localdate(task.issued_at)
        accepted = min(issued + timedelta(days=self.rng.randint(1, 3)), self.today)
        if group == "late":
            submitted = min(task.deadline + timedelta(days=self.rng.randint(3, 15)), self.today)
        else:
            early = self.rng.randint(1, 20)
            submitted = min(max(task.deadline - timedelta(days=early), accepted), self.today)
        checked = min(submitted + timedelta(days=self.rng.randint(1, 4)), self.today)
        return accepted, submitted, checked

    def _times(self, task: DutyTask, group: str, steps: list[str]) -> dict[str, datetime]:
        """When each step was taken: nominal times of the day, made strictly increasing, and moved back as a
        whole when the last one would lie in the future (a step taken today)."""
        accepted, submitted, checked = self._dates(task, group)
        nominal = {
            "accept": _at(accepted, 10),
            "begin": _at(accepted, 14),
            "submit": _at(submitted, 16),
            "send_back": _at(checked, 9),
            "rework": _at(checked, 10),
            "resubmit": _at(checked, 15),
            "approve": _at(checked, 17),
        }
        times: dict[str, datetime] = {}
        previous = task.issued_at
        for name in steps:
            previous = times[name] = max(nominal[name], previous + timedelta(minutes=30))
        late = previous - (self.now - timedelta(minutes=5))
        if late > timedelta(0):
            times = {name: at - late for name, at in times.items()}
        return times

    def _move(self, task: DutyTask, group: str, chunk: list[tuple[int, int]]) -> None:
        steps = STEPS[group]
        when = self._times(task, group, steps)
        values = {"state": TO_STATE[steps[-1]], "accepted_at": when["accept"]}
        last_submit = when.get("resubmit") or when.get("submit")
        if last_submit:
            values.update(submitted_at=last_submit, evidence=EVIDENCE)
        if "send_back" in steps:
            values.update(return_reason=RETURN_REASON, returned_count=1)
        if "approve" in steps:
            values.update(approved_at=when["approve"], completed_on=timezone.localdate(last_submit))
        DutyAssignment.objects.filter(pk__in=[pk for pk, _area in chunk]).update(**values)
        checker = self.actors.get(task.area_id)
        logs = []
        for pk, area_id in chunk:
            state = AssignmentState.ISSUED
            for name in steps:
                actor = checker if name in ("approve", "send_back") else self.actors.get(area_id)
                logs.append(
                    TransitionLog(
                        content_type=self.content_type,
                        object_id=pk,
                        actor=actor,
                        at=when[name],
                        transition=name,
                        from_state=state,
                        to_state=TO_STATE[name],
                        comment=COMMENTS.get(name, ""),
                    )
                )
                state = TO_STATE[name]
        TransitionLog.objects.bulk_create(logs, batch_size=1000)


def _offices(streets: list[Area]) -> None:
    rows = [
        Office(area=street, kind=kind, name=label)
        for street in streets
        for kind, label in (
            (OfficeKind.PARTY_BUILDING, "党建办"),
            (OfficeKind.SERVICES, "服务办"),
            (OfficeKind.GOVERNANCE, "综治办"),
        )
    ]
    Office.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)


# The demo street's offices and their staff: the demo street official heads 党建办; two colleagues (demo
# records without a password: nobody signs in as them) staff 服务办 and 综治办.
STAFF = (
    (OfficeKind.SERVICES, "demo_street_services", "李娜"),
    (OfficeKind.GOVERNANCE, "demo_street_governance", "张强"),
)


def _staff(street: Area, street_user) -> None:
    offices = {o.kind: o for o in Office.objects.filter(area=street)}
    add_office_member(
        actor=street_user, office=offices[OfficeKind.PARTY_BUILDING], user=street_user, post=OfficePost.HEAD
    )
    for kind, username, full_name in STAFF:
        colleague = User(username=username, full_name=full_name, is_demo=True)
        colleague.set_unusable_password()
        colleague.save()
        RoleGrant.objects.create(
            user=colleague, role=Role.STREET_OFFICIAL, area=street, granted_by=street_user
        )
        add_office_member(actor=street_user, office=offices[kind], user=colleague, post=OfficePost.HEAD)
    add_office_member(actor=street_user, office=offices[OfficeKind.SERVICES], user=street_user)


@seed_step(order=410)
def duties(ctx: SeedContext) -> None:
    if ctx.city is None or DutyTask.objects.filter(under_q(ctx.city.path)).exists():
        return  # idempotent
    users, places = ctx.users, ctx.places
    city_user, county_user, street_user = users.get("city"), users.get("county"), users.get("street")
    street, county = places.get("street"), places.get("county")
    if city_user is None:
        return
    today = local_today()
    writer = _Writer(ctx, today)
    affairs = {a.name: a for a in AdmittedAffair.objects.filter(area__path=ctx.city.path)}
    affairs.update({a.name: a for a in AdmittedAffair.objects.filter(under_q(ctx.city.path))})
    _offices(ctx.streets)
    issued: list[DutyTask] = []

    def issue(actor, area, title, days, weight, level, affair=None, office=None):
        deadline = today + timedelta(days=days)
        task = issue_task(
            actor=actor,
            area=area,
            title=title,
            deadline=deadline,
            target_level=level,
            weight=weight,
            affair=affairs.get(affair) if affair else None,
            office=office,
            description=f"{title}。请按时完成，并提交工作总结和佐证材料。",
            evidence_required="工作方案、会议记录、照片或台账",
            now=writer.issued_at(deadline),
            # This year's list, also for a task due early next year; last year's for one due then.
            year=min(deadline.year, today.year),
        )
        issued.append(task)
        return task

    breakdowns = []
    for title, days, weight, affair, broken in CITY_TO_STREETS:
        task = issue(city_user, ctx.city, title, days, weight, Level.STREET, affair)
        if broken:
            breakdowns.append(task)
    for title, days, weight, affair in CITY_TO_COMMUNITIES:
        issue(city_user, ctx.city, title, days, weight, Level.COMMUNITY, affair)
    if county is not None and county_user is not None:
        for title, days, weight in COUNTY_TO_STREETS:
            issue(county_user, county, title, days, weight, Level.STREET)
    if street is not None and street_user is not None:
        offices = {o.kind: o for o in Office.objects.filter(area=street)}
        for title, days, weight, affair, kind in STREET_TO_COMMUNITIES:
            issue(street_user, street, title, days, weight, Level.COMMUNITY, affair, offices.get(kind))
    # The demo community issues its own work to its grids (their figures feed the grid cadre score).
    community, secretary = places.get("community"), users.get("secretary")
    if community is not None and secretary is not None:
        for title, days, weight in COMMUNITY_TO_GRIDS:
            issue(secretary, community, title, days, weight, Level.GRID)
    # Streets break the city's tasks down to their communities: the demo street, and a sample of others.
    others = [s for s in ctx.streets if street is None or s.pk != street.pk]
    sample = ctx.rng.sample(others, k=min(OTHER_STREETS[ctx.tier.name], len(others)))
    for task in breakdowns:
        for area in ([street] if street is not None else []) + sample:
            parent = task.assignments.select_related("task", "area").filter(area=area).first()
            if parent is None:
                continue
            rows = list(
                Area.objects.filter(under_q(area.path, "path"), level=Level.COMMUNITY, retired=False)
                .values_list("pk", "path")
                .order_by("path")
            )
            if not rows:
                continue
            deadline = task.deadline - timedelta(days=10)
            actor = street_user if street is not None and area.pk == street.pk else None
            issued.append(
                write_issued(
                    actor=actor,
                    area=area,
                    year=task.task_list.year,
                    rows=rows,
                    now=min(task.issued_at + timedelta(days=5), timezone.now()),
                    parent=parent,
                    title=f"{task.title}（分解到社区）",
                    description=f"落实{task.area.name}部署的“{task.title}”，各社区按时完成。",
                    deadline=deadline,
                    evidence_required=task.evidence_required,
                    weight=task.weight,
                    office=None,
                    target_level=Level.COMMUNITY,
                    affair=task.affair,
                )
            )
    for task in issued:
        writer.spread(task)
    # The demo street's received tasks are handled by its offices.
    if street is not None:
        offices = list(Office.objects.filter(area=street).order_by("kind"))
        for i, pk in enumerate(DutyAssignment.objects.filter(area=street).values_list("pk", flat=True)):
            DutyAssignment.objects.filter(pk=pk).update(office=offices[i % len(offices)])
    if street is not None and street_user is not None:
        _staff(street, street_user)
    total = DutyAssignment.objects.filter(task__in=issued).count()
    ctx.log(f"{len(issued)} tasks, {total} assignments")
