"""Demo step `orglife` (order 300): a year of organizational life in the branches of the demo street
(东城街道) and a sample of branches elsewhere — quarterly filing forms with their guidance (approved), the
gatherings they planned, held, reported and accepted, attendance from each branch's member list, the
annual organizational life meeting with the democratic appraisal of members, a "two studies, one action"
study plan — with most branches compliant and about one in five behind (gatherings skipped). In the demo
community (东大街社区) a few forms wait: a filed plan for next month and a submitted report, for the demo
secretary (secretary of the community's organization, the organization above its grid branches) to review,
and a returned report for the worker.

Historical forms are written with bulk inserts, with a short timeline each (created, filed/submitted,
approved/accepted); the waiting ones go through the services. The chosen branches are backdated to the
first day of the demo's year (so that the year is judged and nothing before it); one is "created" in the
middle of the current quarter to show that it is not judged on it. Other branches keep their creation date
(the day of loading) and are listed as not judged yet.
Idempotent: nothing is generated again when reports exist under the city."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef
from django.utils import timezone

from grassroots.areas.models import PartyOrg, PartyOrgKind
from grassroots.areas.subtree import lies_under, under_q
from grassroots.core.members.models import Member, StudyRecord, StudySource
from grassroots.core.members.services.educate import gathering_hours
from grassroots.core.orglife import kinds
from grassroots.core.orglife.conf import rules
from grassroots.core.orglife.models import (
    Appraisal,
    GuidanceDecision,
    GuidanceState,
    OrgLifeGuidance,
    OrgLifePlan,
    OrgLifeReport,
    PlannedGathering,
    PlanState,
    ReportAttendance,
    ReportState,
    StudyPlan,
    StudySession,
)
from grassroots.core.orglife.periods import MONTH, QUARTER, YEAR, Period
from grassroots.demo.registry import SeedContext, local_today, seed_step
from grassroots.gatherings.history import write_timelines
from grassroots.gatherings.models import Gathering, Participant, Status, Visibility
from grassroots.workflow.models import TransitionLog

SAMPLE_ELSEWHERE = 20  # branches outside the demo street
BEHIND_SHARE = 0.2
FLUSH_BRANCHES = 10  # branches whose year is written at once
TOPICS = {
    kinds.GENERAL_MEETING: [
        "传达学习上级会议精神",
        "讨论发展党员工作",
        "审议支部年度工作计划",
        "通报党费收缴情况",
    ],
    kinds.COMMITTEE_MEETING: ["研究本月重点工作", "研究党员教育管理", "研究困难党员帮扶", "研究网格治理事项"],
    kinds.GROUP_MEETING: ["学习党章党规", "交流学习体会", "讨论为民办实事项目", "开展批评与自我批评"],
    kinds.PARTY_LESSON: ["学习党的创新理论", "弘扬红色传统", "基层治理与党员责任", "廉洁自律专题党课"],
    kinds.REVIEW_MEETING: ["年度组织生活会暨民主评议党员"],
    kinds.THEME_DAY: ["“绿美雅安·党员先行”环境整治", "重温入党誓词", "走访慰问困难群众", "红色教育基地参观"],
}
GRADES = [("excellent", 25), ("qualified", 70), ("basic", 4), ("unqualified", 1)]


def _at(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _branches(ctx: SeedContext) -> list[PartyOrg]:
    base = PartyOrg.objects.filter(kind=PartyOrgKind.BRANCH, retired=False).select_related(
        "area", "secretary"
    )
    street = ctx.places.get("street")
    local = list(base.filter(under_q(street.path)).order_by("area__path", "pk")) if street else []
    others = list(base.exclude(pk__in=[b.pk for b in local]).order_by("pk").values_list("pk", flat=True))
    sample = ctx.rng.sample(others, min(SAMPLE_ELSEWHERE, len(others)))
    groups = PartyOrg.objects.filter(parent=OuterRef("pk"), kind=PartyOrgKind.GROUP, retired=False)
    chosen = [b.pk for b in local] + sample
    return list(base.filter(pk__in=chosen).annotate(has_groups=Exists(groups)).order_by("area__path", "pk"))


@seed_step(order=300)
def orglife(ctx: SeedContext) -> None:
    if OrgLifeReport.objects.filter(under_q(ctx.city.path, "branch__area__path")).exists():
        return
    rng = ctx.rng
    today = local_today()
    branches = _branches(ctx)
    if not branches:
        return
    start = Period.of(MONTH, today - timedelta(days=365)).start
    PartyOrg.objects.filter(pk__in=[b.pk for b in branches]).update(
        created_at=_at(start - timedelta(days=400), 9)
    )
    worker, reviewer = ctx.users.get("worker"), ctx.users.get("street") or ctx.users.get("city")
    members = {}
    for m in Member.objects.filter(branch__in=branches, status__in=("normal", "mobile")).only(
        "pk", "branch_id", "user_id", "name"
    ):
        members.setdefault(m.branch_id, []).append(m)
    writer = _Writer(worker, reviewer, ctx.rng_for("orglife:appraisals"))  # its own stream: the writes
    # between branches draw no number from the step's
    for n, branch in enumerate(branches, start=1):
        behind = rng.random() < BEHIND_SHARE
        _year_of(ctx, writer, branch, members.get(branch.pk, []), start, today, behind)
        if n % FLUSH_BRANCHES == 0:  # a year of a few branches at a time: the rows of all of them held
            writer.flush()  # at once took 79 MB at tier M (bench/results/2026-12-07-seed-memory.md)
    writer.flush()
    _study_plans(ctx, branches, writer.gatherings_by_branch, today)
    _new_branch_mid_quarter(branches, today)
    _waiting_forms(ctx, branches, members, today)
    ctx.log(f"  {len(branches)} branches, {OrgLifeReport.objects.count()} reports")


class _Writer:
    """Collects the rows of the historical forms and writes them with bulk inserts."""

    def __init__(self, worker, reviewer, rng) -> None:
        self.worker, self.reviewer, self.rng = worker, reviewer, rng
        self.plans: list[tuple[OrgLifePlan, list[PlannedGathering], list[Gathering]]] = []
        self.gatherings_by_branch: dict[int, list[Gathering]] = {}

    def add_plan(self, branch, period: Period, items: list[tuple[str, str, datetime, bool]], members) -> None:
        filed = _at(period.start - timedelta(days=10), 10)
        plan = OrgLifePlan(
            branch=branch,
            period_unit=period.unit,
            period_start=period.start,
            state=PlanState.APPROVED,
            created_by=self.worker,
            filed_by=self.worker,
            filed_at=filed,
            decided_by=self.reviewer,
            decided_at=filed + timedelta(days=2),
            state_changed_at=filed + timedelta(days=2),
        )
        planned, gatherings = [], []
        for kind, topic, starts_at, held in items:
            g = Gathering(
                kind=kind,
                title=topic,
                area=branch.area,
                organizer=branch.secretary or self.worker,
                party_org=branch,
                starts_at=starts_at,
                ends_at=starts_at + timedelta(hours=3 if kind == kinds.REVIEW_MEETING else 2),
                visibility=Visibility.INVITED,
                status=Status.HELD if held else Status.PLANNED,
                held_at=starts_at + timedelta(hours=2) if held else None,
                minutes=f"会议围绕“{topic}”进行，与会党员交流发言，形成一致意见。" if held else "",
            )
            g._members = members if held else []
            gatherings.append(g)
            planned.append(PlannedGathering(kind=kind, topic=topic, starts_at=starts_at, ends_at=g.ends_at))
        self.plans.append((plan, planned, gatherings))
        self.gatherings_by_branch.setdefault(branch.pk, []).extend(gatherings)

    def flush(self) -> None:
        if not self.plans:
            return
        batch, self.plans = self.plans, []
        self._write(batch)

    def _write(self, batch) -> None:
        plans = OrgLifePlan.objects.bulk_create([p for p, _i, _g in batch], batch_size=500)
        gatherings = Gathering.objects.bulk_create([g for _p, _i, gs in batch for g in gs], batch_size=500)
        write_timelines(gatherings)
        items = []
        for plan, planned, gs in batch:
            for item, g in zip(planned, gs, strict=True):
                item.plan, item.gathering = plan, g
                items.append(item)
        PlannedGathering.objects.bulk_create(items, batch_size=1000)
        OrgLifeGuidance.objects.bulk_create(
            [
                OrgLifeGuidance(
                    plan=p,
                    decision=GuidanceDecision.APPROVE,
                    comments="计划安排合理，请按时召开并及时报告。",
                    author=self.reviewer,
                    author_org=p.branch.parent,
                    state=GuidanceState.ACKNOWLEDGED,
                    acknowledged_by=self.worker,
                    acknowledged_at=p.decided_at + timedelta(days=1),
                )
                for p in plans
            ],
            batch_size=500,
        )
        reports, attendance, participants, study, logs = [], [], [], [], []
        for g in gatherings:
            if g.status != Status.HELD:
                continue
            reports.append(
                OrgLifeReport(
                    branch=g.party_org,
                    gathering=g,
                    kind=g.kind,
                    held_on=timezone.localdate(g.starts_at),
                    minutes=g.minutes,
                    resolutions="按会议议定事项抓好落实。",
                    state=ReportState.ACCEPTED,
                    created_by=self.worker,
                    submitted_by=self.worker,
                    submitted_at=g.ends_at + timedelta(days=1),
                    decided_by=self.reviewer,
                    decided_at=g.ends_at + timedelta(days=3),
                    state_changed_at=g.ends_at + timedelta(days=3),
                )
            )
        reports = OrgLifeReport.objects.bulk_create(reports, batch_size=500)
        for report in reports:
            g = report.gathering
            hours = gathering_hours(g)
            for n, member in enumerate(getattr(g, "_members", [])):
                present = n % 9 != 4  # about one in nine absent, with a reason
                attendance.append(
                    ReportAttendance(
                        report=report,
                        member=member,
                        present=present,
                        absence_reason="" if present else "外出务工请假",
                    )
                )
                if member.user_id:
                    participants.append(
                        Participant(
                            gathering=g,
                            user_id=member.user_id,
                            invited_at=g.starts_at - timedelta(days=3),
                            present=present,
                            absence_reason="" if present else "外出务工请假",
                            attendance_recorded_at=g.ends_at,
                        )
                    )
                if present:
                    study.append(
                        StudyRecord(
                            member=member,
                            title=g.title[:200],
                            studied_on=report.held_on,
                            hours=hours,
                            source=StudySource.GATHERING,
                            gathering=g,
                        )
                    )
        ReportAttendance.objects.bulk_create(attendance, batch_size=2000)
        self._appraisals([r for r in reports if r.kind == kinds.REVIEW_MEETING])
        Participant.objects.bulk_create(participants, batch_size=2000, ignore_conflicts=True)
        StudyRecord.objects.bulk_create(study, batch_size=2000, ignore_conflicts=True)
        plan_type = ContentType.objects.get_for_model(OrgLifePlan)
        report_type = ContentType.objects.get_for_model(OrgLifeReport)
        for p in plans:
            logs += _log(
                plan_type,
                p.pk,
                self.worker,
                self.reviewer,
                p.filed_at,
                "file",
                "approve",
                "filed",
                "approved",
            )
        for r in reports:
            logs += _log(
                report_type,
                r.pk,
                self.worker,
                self.reviewer,
                r.submitted_at,
                "submit",
                "accept",
                "submitted",
                "accepted",
            )
        TransitionLog.objects.bulk_create(logs, batch_size=2000)

    def _appraisals(self, meetings) -> None:
        """Democratic appraisal at each annual organizational life meeting: one grade a member a year."""
        grades, weights = zip(*GRADES, strict=True)
        rows = {}
        for report in meetings:
            for member in getattr(report.gathering, "_members", []):
                rows[(member.pk, report.held_on.year)] = Appraisal(
                    member=member,
                    branch=report.branch,
                    year=report.held_on.year,
                    grade=self.rng.choices(grades, weights)[0],
                    report=report,
                    recorded_by=self.worker,
                )
        Appraisal.objects.bulk_create(rows.values(), batch_size=2000, ignore_conflicts=True)


def _log(content_type, pk, worker, reviewer, at, first, second, mid, end) -> list[TransitionLog]:
    common = {"content_type": content_type, "object_id": pk}
    return [
        TransitionLog(
            **common, actor=worker, at=at - timedelta(hours=2), transition="start", to_state="draft"
        ),
        TransitionLog(**common, actor=worker, at=at, transition=first, from_state="draft", to_state=mid),
        TransitionLog(
            **common,
            actor=reviewer,
            at=at + timedelta(days=2),
            transition=second,
            from_state=mid,
            to_state=end,
        ),
    ]


def _year_of(ctx, writer: _Writer, branch, members, start: date, today: date, behind: bool) -> None:
    """Quarterly plans from `start` to the current quarter, every gathering the rules ask for (and a themed
    Party day a quarter), skipped now and then when the branch is behind."""
    rng = ctx.rng
    active = {rule.kind: rule.unit for rule in rules() if not (rule.needs_groups and not branch.has_groups)}
    quarter = Period.of(QUARTER, start)
    while quarter.start <= today:
        items = []
        for month in quarter.slots(MONTH):
            if month.start < start:
                continue
            wanted = [k for k, unit in active.items() if unit == MONTH]
            if month.start.month == quarter.start.month + 1:
                wanted += [k for k, unit in active.items() if unit == QUARTER] + [kinds.THEME_DAY]
            if month.start.month == 12:
                wanted += [k for k, unit in active.items() if unit == YEAR]
            for kind in wanted:
                if behind and kind != kinds.THEME_DAY and rng.random() < 0.35:
                    continue
                day = month.start + timedelta(days=rng.randint(2, 24))
                starts_at = _at(day, rng.choice((9, 14, 15, 19)))
                held = day < today
                items.append((kind, rng.choice(TOPICS[kind]), starts_at, held))
        if items:
            writer.add_plan(branch, quarter, items, members)
        quarter = quarter.next()


def _study_plans(ctx, branches, gatherings_by_branch, today: date) -> None:
    street = ctx.places.get("community")
    for branch in [b for b in branches if street and lies_under(b.area.path, street.path)][:5]:
        for year in {today.year - 1, today.year}:
            plan = StudyPlan.objects.create(
                branch=branch,
                year=year,
                title=f"{year}年“两学一做”学习教育计划",
                content="学党章党规、学系列讲话，做合格党员；每季度一次专题学习。",
                created_by=ctx.users.get("worker"),
            )
            sessions = [
                g
                for g in gatherings_by_branch.get(branch.pk, [])
                if g.kind in (kinds.PARTY_LESSON, kinds.THEME_DAY) and g.starts_at.year == year
            ]
            StudySession.objects.bulk_create(
                StudySession(
                    plan=plan, topic=g.title, planned_on=timezone.localdate(g.starts_at), gathering=g
                )
                for g in sessions
            )


def _new_branch_mid_quarter(branches, today: date) -> None:
    quarter = Period.of(QUARTER, today)
    middle = quarter.start + timedelta(days=40)
    if middle < today and len(branches) > 3:
        branch = branches[-1]
        PartyOrg.objects.filter(pk=branch.pk).update(created_at=_at(middle, 9))


def _waiting_forms(ctx, branches, members, today: date) -> None:
    """A filed plan for next month, a submitted and a returned report in the demo community: through the
    services, with their timelines and notifications."""
    from grassroots.core.orglife import rules as rules_module
    from grassroots.core.orglife.services import plans, reports
    from grassroots.workflow.services import transition

    community = ctx.places.get("community")
    worker, secretary = ctx.users.get("worker"), ctx.users.get("secretary")
    local = [b for b in branches if community and lies_under(b.area.path, community.path)]
    if not local or worker is None:
        return
    branch = local[0]
    next_month = Period.of(MONTH, today).next()
    day = next_month.start + timedelta(days=5)
    plan = plans.create_plan(
        actor=worker,
        branch=branch,
        period_unit=MONTH,
        period_start=next_month.start,
        note="下月组织生活安排",
        items=[
            plans.PlanItem(kinds.COMMITTEE_MEETING, "研究下月重点工作", _at(day, 9), _at(day, 11)),
            plans.PlanItem(
                kinds.THEME_DAY,
                "“绿美雅安·党员先行”主题党日",
                _at(day + timedelta(days=7), 9),
                _at(day + timedelta(days=7), 12),
            ),
        ],
    )
    transition(plan, "file", actor=worker)
    roster = members.get(branch.pk, [])[:12]
    for offset, (kind, topic) in enumerate(
        [(kinds.THEME_DAY, "重温入党誓词主题党日"), (kinds.COMMITTEE_MEETING, "临时支委会：研究困难群众帮扶")]
    ):
        held = timezone.localtime() - timedelta(days=2 + offset)
        report = reports.report_unplanned(
            actor=worker,
            branch=branch,
            kind=kind,
            title=topic,
            starts_at=held - timedelta(hours=2),
            ends_at=held,
        )
        marks = [(m, i % 6 != 5, "" if i % 6 != 5 else "生病请假") for i, m in enumerate(roster)]
        reports.save_report(actor=worker, report=report, minutes=f"{topic}。与会党员交流发言。", marks=marks)
        if any(p for _m, p, _r in marks):
            transition(report, "submit", actor=worker)
            if offset == 1 and secretary is not None and rules_module.may_review_for(secretary, branch):
                transition(report, "return_report", actor=secretary, comment="请补充会议决议事项。")
