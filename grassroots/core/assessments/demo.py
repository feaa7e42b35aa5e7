"""Demo step `assessments`: a year of work reports in the demo street (last year's published after
a review meeting, this year's in every state), inspections with findings in every state (one
sent back and re-rectified), an on-site meeting showing the rectification with its lessons (one
turned into a task), the street's assessment of its communities (last year's with hand scores,
and this year's copy of it) and the demo community's assessment of its grids, all computed,
residents' ratings of the demo grid worker, the street's grid cadre scores computed, and
stationed agencies with the street Party committee's review of a head. Everything goes through
the services and workflow transitions, so timelines and notifications are as real use makes
them."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone

from grassroots.accounts.models import User
from grassroots.areas.models import Area, Level, PartyOrg
from grassroots.areas.subtree import under_q
from grassroots.core.admission.models import AdmittedAffair
from grassroots.core.assessments.models import Method, ReportState, Shows, WorkReport
from grassroots.core.assessments.services import cadres as cadre_services
from grassroots.core.assessments.services import inspections, people, reports, schemes
from grassroots.core.assessments.services import meetings as site_meetings
from grassroots.core.assessments.services.schemes import leading_orgs
from grassroots.core.duties.models import DutyTask
from grassroots.demo.registry import SeedContext, local_today, local_year, seed_step
from grassroots.documents.citing import citable_for
from grassroots.gatherings.history import write_timelines
from grassroots.gatherings.models import Gathering, Status, Visibility
from grassroots.workflow.services import transition

CONTENT = (
    "一、履行党建工作第一责任人职责情况：{org}全年召开党建工作专题会议 {n} 次，落实“三会一课”制度。\n"
    "二、抓基层组织建设情况：完善网格党支部设置，推进院落党小组全覆盖。\n"
    "三、服务群众情况：围绕加装电梯、停车管理等民生事项开展议事协商。\n"
    "四、存在的问题和下一步打算：党员教育管理方式仍需创新，将加强流动党员管理。"
)
FINDINGS = [
    ("“三会一课”记录不完整，部分支部党课未按季度开展", "补齐会议记录，制定党课计划"),
    ("党群服务中心开放时间未公示", "在显著位置公示开放时间和服务项目"),
    ("流动党员台账未及时更新", "逐一联系流动党员，更新台账"),
    ("院落议事会决定事项未跟踪落实", "建立决定事项跟踪台账"),
    ("党费收缴记录与花名册不一致", "核对党费收缴记录"),
]
# The items of the demo standards (grassroots/documents/demo.py) the first two findings cite.
CITES = {0: "3.2", 1: "2.1"}


def _standard_item(area, number, level=None):
    """The item `number` of a standard in force applying to `area` (None without the documents' demo)."""
    return citable_for(area, level).filter(number=number).first()


AGENCIES = [
    ("东城派出所", "雨城区公安分局", None),
    ("东城司法所", "雨城区司法局", "mediator"),
    ("东城市场监督管理所", "雨城区市场监督管理局", None),
]


def _meeting(*, kind, title, area, organizer, starts_at, place) -> Gathering:
    held = starts_at < timezone.now()
    minutes = (
        "听取述职，逐一点评，现场测评打分。"
        if kind == "review_meeting"
        else "现场观摩，交流经验，部署下一步工作。"
    )
    gathering = Gathering.objects.create(
        kind=kind,
        title=title,
        area=area,
        organizer=organizer,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=3),
        place=place,
        description=f"{title}。",
        visibility=Visibility.INVITED,
        status=Status.HELD if held else Status.PLANNED,
        held_at=starts_at + timedelta(hours=3) if held else None,
        minutes=minutes if held else "",
    )
    write_timelines([gathering])
    return gathering


def _reports(ctx, street, communities, users, now) -> int:
    rng = ctx.rng
    organizer, reviewers = users["street"], [users["street"], users["county"], users["city"]]
    orgs = PartyOrg.objects.in_bulk(leading_orgs(communities).values())
    by_area = {org.area_id: org for org in orgs.values()}
    this = local_year()
    last = this - 1
    meeting = _meeting(
        kind="review_meeting",
        title=f"{street.name}{last}年度基层党组织书记抓党建述职评议会",
        area=street,
        organizer=organizer,
        starts_at=timezone.make_aware(datetime(this, 1, 15, 9)),
        place=f"{street.name}便民服务中心三楼会议室",
    )
    upcoming = _meeting(
        kind="review_meeting",
        title=f"{street.name}{this}年度基层党组织书记抓党建述职评议会",
        area=street,
        organizer=organizer,
        starts_at=now + timedelta(days=20),
        place=f"{street.name}便民服务中心三楼会议室",
    )
    count = 0
    states = [ReportState.DRAFT, ReportState.SUBMITTED, ReportState.UNDER_REVIEW]
    for index, community in enumerate(communities):
        org = by_area.get(community.pk)
        if org is None:
            continue
        reporter = org.secretary or users["secretary"]
        for year in (last, this):
            report = reports.create_report(
                actor=organizer,
                party_org=org,
                year=year,
                content=CONTENT.format(org=org.name, n=rng.randint(4, 12)),
            )
            if report.reporter_id != reporter.pk:
                WorkReport.objects.filter(pk=report.pk).update(reporter=reporter)
                report.reporter = reporter
            count += 1
            target = ReportState.PUBLISHED if year == last else states[index % len(states)]
            if target == ReportState.DRAFT:
                continue
            transition(report, "submit", actor=reporter)
            if target == ReportState.SUBMITTED:
                continue
            at = meeting if year == last else upcoming
            reports.start_review(actor=organizer, report=report, meeting=at, reviewers=reviewers)
            if target == ReportState.UNDER_REVIEW:
                reports.score_report(reviewer=users["county"], report=report, score=rng.randint(75, 95))
                continue
            for reviewer in reviewers:
                reports.score_report(
                    reviewer=reviewer,
                    report=report,
                    score=rng.randint(62, 98),
                    comment="述职内容具体，措施有力。",
                )
            report.refresh_from_db()
            transition(report, "publish", actor=organizer)
    return count


def _inspections(ctx, street, community, users, now) -> int:
    rng, today = ctx.rng, local_today()
    street_user, county_user = users["street"], users["county"]
    owners = [users["secretary"], users["worker"], users["grid"]]
    first = inspections.create_inspection(
        actor=street_user,
        area=community,
        title=f"{community.name}基层党建工作专项督察",
        inspected_on=today - timedelta(days=120),
        inspectors="街道党建办 2 人，纪工委 1 人",
        summary="查阅台账资料，实地查看党群服务中心，走访党员群众。",
    )
    second = inspections.create_inspection(
        actor=county_user,
        area=street,
        title=f"{street.name}党建引领基层治理工作督察",
        inspected_on=today - timedelta(days=40),
        inspectors="区委组织部 3 人",
    )
    findings = []
    for index, (text, requirement) in enumerate(FINDINGS):
        inspection = first if index < 4 else second
        owner = owners[index % len(owners)] if inspection is first else street_user
        deadline = (
            today + timedelta(days=rng.choice([-30, -10, 20, 45])) if index != 4 else today + timedelta(30)
        )
        findings.append(
            inspections.add_finding(
                actor=inspection.led_by,
                inspection=inspection,
                description=text,
                requirement=requirement,
                owner=owner,
                deadline=max(deadline, inspection.inspected_on),
                standard_item=_standard_item(inspection.area, CITES[index]) if index in CITES else None,
            )
        )
    # 0: verified; 1: rectified, awaiting verification; 2: sent back and rectified again; 3, 4: rectifying
    transition(
        findings[0], "report_rectified", actor=findings[0].owner, comment="已补齐会议记录并制定全年党课计划。"
    )
    transition(findings[0], "verify", actor=street_user, comment="资料齐全，同意销号。")
    transition(findings[1], "report_rectified", actor=findings[1].owner, comment="已在大门处公示开放时间。")
    transition(findings[2], "report_rectified", actor=findings[2].owner, comment="已电话联系。")
    transition(
        findings[2], "send_back", actor=street_user, comment="台账仍缺 3 名流动党员的现居住地，请补充。"
    )
    transition(findings[2], "report_rectified", actor=findings[2].owner, comment="已补充全部流动党员信息。")
    gathering = _meeting(
        kind="site_meeting",
        title=f"{street.name}党建引领小区治理现场会",
        area=street,
        organizer=street_user,
        starts_at=now - timedelta(days=25),
        place=f"{community.name}滨江小区",
    )
    _site_meeting(street, community, street_user, gathering, first, today)
    return len(findings)


def _site_meeting(street, community, street_user, gathering, inspection, today) -> None:
    """The on-site meeting shows the rectification of the first inspection to the street's other communities;
    two lessons, one of them already a task of the street for its communities."""
    visitors = PartyOrg.objects.filter(
        under_q(street.path), area__level=Level.COMMUNITY, retired=False
    ).exclude(area=community)[:4]
    meeting = site_meetings.record_site_meeting(
        actor=street_user,
        gathering=gathering,
        host_area=community,
        shows=Shows.RECTIFICATION,
        inspection=inspection,
        visiting_orgs=list(visitors),
    )
    first = site_meetings.add_lesson(
        actor=street_user, meeting=meeting, text="建立“三会一课”记录月度互查机制，推广到各社区。"
    )
    site_meetings.add_lesson(
        actor=street_user, meeting=meeting, text="党群服务中心开放时间和服务项目统一公示。"
    )
    affair = (
        DutyTask.objects.filter(area=street, affair__isnull=False).values_list("affair", flat=True).first()
    )
    if affair is not None:
        site_meetings.lesson_to_task(
            actor=street_user,
            lesson=first,
            deadline=today + timedelta(days=45),
            target_level=Level.COMMUNITY,
            affair=AdmittedAffair.objects.get(pk=affair),
        )


def _schemes(ctx, street, community, users, now) -> None:
    rng = ctx.rng
    scheme = schemes.create_scheme(
        actor=users["street"], area=street, year=local_year() - 1, level=Level.COMMUNITY
    )
    for name, weight, provider, number in (
        ("党建述职评议", 30, "assessments.report_score", None),
        ("督察问题整改", 20, "assessments.rectification", None),
        ("任务清单完成情况", 20, "duties.completion", None),
        ("组织生活开展情况", 10, "orglife.compliance", "3.2"),
    ):
        schemes.add_item(
            actor=users["street"],
            scheme=scheme,
            name=name,
            weight=weight,
            method=Method.COMPUTED,
            provider=provider,
            standard_item=_standard_item(street, number, Level.COMMUNITY) if number else None,
        )
    manual = schemes.add_item(
        actor=users["street"],
        scheme=scheme,
        name="群众满意度测评",
        weight=20,
        method=Method.MANUAL,
        description="街道组织入户测评，按满意率折算。",
    )
    schemes.compute_scheme(scheme=scheme)
    for assessment in scheme.assessments.all()[:4]:
        schemes.score_by_hand(
            actor=users["street"],
            assessment=assessment,
            item=manual,
            score=rng.randint(14, 20),
            reason="入户测评满意率较高。",
        )
    # this year's scheme, copied from last year's: task lists and organizational life have this year's data
    this_year = schemes.copy_scheme(actor=users["street"], scheme=scheme, year=local_year())
    schemes.compute_scheme(scheme=this_year)
    grid_scheme = schemes.create_scheme(
        actor=users["secretary"], area=community, year=local_year(), level=Level.GRID
    )
    schemes.add_item(
        actor=users["secretary"],
        scheme=grid_scheme,
        name="督察问题整改",
        weight=30,
        method=Method.COMPUTED,
        provider="assessments.rectification",
    )
    schemes.add_item(
        actor=users["secretary"],
        scheme=grid_scheme,
        name="网格干部考察",
        weight=20,
        method=Method.COMPUTED,
        provider="assessments.grid_cadre",
    )
    service = schemes.add_item(
        actor=users["secretary"], scheme=grid_scheme, name="网格服务与走访", weight=50, method=Method.MANUAL
    )
    schemes.compute_scheme(scheme=grid_scheme)
    for assessment in grid_scheme.assessments.all():
        schemes.score_by_hand(
            actor=users["secretary"],
            assessment=assessment,
            item=service,
            score=rng.randint(34, 48),
            reason="入户走访记录完整，网格事项办结及时。",
        )


def _ratings(ctx, users, now) -> int:
    grid = ctx.places.get("grid")
    worker = users.get("grid")
    if grid is None or worker is None:
        return 0
    residents = User.objects.filter(
        under_q(grid.path, "home_area__path"), verified_at__isnull=False, username__startswith="res"
    ).order_by("username")[:15]
    if users.get("resident") is not None:  # the demo resident sees their own rating in 评价网格干部
        residents = [users["resident"], *residents]
    count = 0
    for resident in residents:
        people.rate_worker(
            resident=resident,
            worker=worker,
            score=ctx.rng.choice([3, 4, 4, 5, 5, 5]),
            comment=ctx.rng.choice(["", "服务热情，随叫随到。", "走访及时。", "希望多组织院落活动。"]),
        )
        count += 1
    return count


def _agencies(ctx, street, users, now) -> int:
    for name, department, head in AGENCIES:
        agency = people.create_agency(
            actor=users["street"],
            street=street,
            name=name,
            department=department,
            head=users.get(head) if head else None,
        )
        if agency.head_id:
            people.review_agency_head(
                actor=users["street"],
                agency=agency,
                year=local_year() - 1,
                score=ctx.rng.randint(85, 96),
                comments="积极参与街道中心工作，矛盾纠纷化解成效明显。",
            )
    return len(AGENCIES)


@seed_step(order=450)
def assessments(ctx: SeedContext) -> None:
    street, community = ctx.places.get("street"), ctx.places.get("community")
    needed = ("street", "county", "city", "secretary", "worker", "grid")
    if street is None or community is None or any(ctx.users.get(name) is None for name in needed):
        return
    if WorkReport.objects.filter(under_q(street.path)).exists():
        return  # idempotent
    # The local year: ratings and task lists count by it (January's first hours are December in UTC).
    now = timezone.localtime()
    users = ctx.users
    communities = list(
        Area.objects.filter(under_q(street.path, "path"), level=Level.COMMUNITY, retired=False).order_by(
            "path"
        )
    )
    count = _reports(ctx, street, communities, users, now)
    findings = _inspections(ctx, street, community, users, now)
    ratings = _ratings(ctx, users, now)  # first: the grid scheme's 网格干部考察 item counts them
    _schemes(ctx, street, community, users, now)
    cadres = cadre_services.compute_cadre_scores(street=street, year=local_year())
    agencies = _agencies(ctx, street, users, now)
    ctx.log(
        f"{count} work reports, {findings} findings, 3 schemes, {ratings} ratings, {cadres} cadre scores, "
        f"{agencies} agencies"
    )
