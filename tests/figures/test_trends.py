"""The monthly trends of the figures that are states rather than events (docs/figures.md): study compliance
(the hours since 1 January against the month's share of the required hours), care visits due (not visited by
the month's end) and coverage (the entities registered by the month's end, covered as the dated records show
it then), against a hand count with the clock pinned (the `today` fixture: 12 May 2026)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from grassroots.core.coverage.models import CoverageStatus, Entity, Instructor, InstructorAssignment
from grassroots.core.members.models import CareVisit, StudyRecord
from grassroots.figures import compute, registry
from tests.factories import make_party_org
from tests.orglife.conftest import make_member

BEIJING = ZoneInfo("Asia/Shanghai")


def _values(trend):
    return [None if row["value"] is None else float(row["value"]) for row in trend]


def test_study_compliance_per_month(tree, today, settings):
    settings.MEMBERS_REQUIRED_STUDY_HOURS = 12  # the month's share: one hour a month
    branch = make_party_org("桥楼社区党支部", tree.community_a)
    year = today.year
    a, b, c = (make_member(name, branch) for name in ("甲", "乙", "丙"))
    for member, day, hours in (
        (a, date(year, 1, 10), 2),
        (b, date(year, 4, 20), 5),
        (c, date(year, 1, 2), 12),
    ):
        StudyRecord.objects.create(member=member, title="学习", studied_on=day, hours=Decimal(hours))
    figure = registry.get("members.study")
    assert figure.has_trend
    trend = compute.monthly(figure, tree.county, year, today)
    # 甲 on track in January and February (2 h ≥ 1, 2), 乙 from April (5 h ≥ 4, 5), 丙 all along
    assert [row["counts"]["compliant"] for row in trend] == [2, 2, 1, 2, 2]
    assert _values(trend) == [66.7, 66.7, 33.3, 66.7, 66.7]
    # a past year: December's line is the year's figure (the full required hours by 31 December)
    StudyRecord.objects.create(member=a, title="学习", studied_on=date(year - 1, 6, 1), hours=Decimal(12))
    last_year = compute.monthly(figure, tree.county, year - 1, today)
    assert len(last_year) == 12
    whole = compute.totals([figure], tree.county, year - 1, today)["members.study"]
    assert last_year[-1]["counts"] == whole.counts and last_year[-1]["value"] == whole.value


def test_care_visits_due_per_month(tree, cast, today):
    branch = make_party_org("桥楼社区党支部", tree.community_a)
    year = today.year
    old = make_member("老甲", branch)
    other = make_member("老乙", branch)
    young = make_member("青丙", branch)
    type(old).objects.filter(pk__in=[old.pk, other.pk]).update(birth_date=date(1940, 1, 1))
    CareVisit.objects.create(member=old, visitor=cast.secretary, kind="holiday", visited_on=date(year, 3, 3))
    CareVisit.objects.create(member=young, visitor=cast.secretary, kind="other", visited_on=date(year, 1, 3))
    figure = registry.get("members.care_due")
    trend = compute.monthly(figure, tree.county, year, today)
    assert _values(trend) == [2, 2, 1, 1, 1]
    assert [row["counts"]["needing"] for row in trend] == [2] * 5
    assert trend[-1]["value"] == compute.totals([figure], tree.county, year, today)["members.care_due"].value


def _dated(model, pk, **moments):
    model.objects.filter(pk=pk).update(**moments)


def test_coverage_per_month(tree, today):
    year = today.year
    org = make_party_org("某企业党支部", tree.community_a)
    _dated(type(org), org.pk, created_at=datetime(year, 1, 1, 9, tzinfo=BEIJING))
    guided = Entity.objects.create(name="甲公司", kind="enterprise", area=tree.community_a)
    own = Entity.objects.create(
        name="乙公司", kind="enterprise", area=tree.community_b, status=CoverageStatus.OWN, party_org=org
    )
    late = Entity.objects.create(name="丙公司", kind="enterprise", area=tree.community_b)
    _dated(Entity, guided.pk, created_at=datetime(year, 1, 5, 9, tzinfo=BEIJING))
    _dated(Entity, own.pk, created_at=datetime(year, 3, 1, 0, 0, tzinfo=BEIJING))
    _dated(Entity, late.pk, created_at=datetime(year, 4, 20, 9, tzinfo=BEIJING))
    instructor = Instructor.objects.create(
        name="王指导", sent_by=org, area=tree.county, appointed_on=date(year, 1, 1)
    )
    InstructorAssignment.objects.create(
        instructor=instructor, entity=guided, starts_on=date(year, 2, 10), ends_on=date(year, 4, 15)
    )
    figure = registry.get("coverage.rate")
    trend = compute.monthly(figure, tree.county, year, today)
    # January: 甲 not yet guided; February: 甲 guided; March: and 乙 with its own branch; April: 甲's
    # instructor gone, 丙 registered
    assert [(row["counts"]["covered"], row["counts"]["total"]) for row in trend] == [
        (0, 1),
        (1, 1),
        (2, 2),
        (1, 3),
        (1, 3),
    ]
    assert _values(trend) == [0.0, 100.0, 100.0, 33.3, 33.3]
    # per child: 乙 and 丙 lie under 东城街道
    result = compute.breakdown(figure, tree.county, year, today)
    assert result.total.counts["total"] == 3


def test_coverage_per_month_reads_each_entitys_status_at_the_months_end(tree, cast, today, time_machine):
    """Status changes made through the services are dated (StatusChange): an entity covered in January and
    uncovered in March counts as covered in January and February, not by its present status all along."""
    from grassroots.core.coverage import services
    from grassroots.core.coverage.models import StatusChange

    year = today.year
    org = make_party_org("桥楼社区联合党支部", tree.community_a)
    org_b = make_party_org("育才社区联合党支部", tree.community_b)

    def on(month, day):
        time_machine.move_to(datetime(year, month, day, 10, tzinfo=BEIJING), tick=False)

    on(1, 5)
    jia = services.create_entity(actor=cast.city, name="甲公司", kind="enterprise", area=tree.community_a)
    on(1, 20)
    yi = services.create_entity(
        actor=cast.city,
        name="乙公司",
        kind="enterprise",
        area=tree.community_b,
        status="joint",
        party_org=org_b,
    )
    on(2, 2)
    bing = services.create_entity(actor=cast.city, name="丙公司", kind="enterprise", area=tree.community_a)
    on(3, 3)
    instructor = services.appoint_instructor(actor=cast.city, name="王指导", sent_by=org, area=tree.county)
    assignment = services.assign_instructor(actor=cast.city, instructor=instructor, entity=bing)
    on(3, 10)
    services.update_entity(actor=cast.city, entity=yi, status="none", party_org=None)  # 乙's branch dissolved
    on(4, 8)
    services.update_entity(actor=cast.city, entity=jia, status="joint", party_org=org)
    on(5, 2)
    services.end_assignment(actor=cast.city, assignment=assignment)
    services.update_entity(actor=cast.city, entity=jia, note="只改备注")  # no change of status: no row
    time_machine.move_to(datetime.combine(today, datetime.min.time(), BEIJING).replace(hour=10), tick=False)
    assert list(StatusChange.objects.filter(entity=jia).values_list("status", flat=True)) == ["none", "joint"]
    assert [c.since.astimezone(BEIJING).date() for c in StatusChange.objects.filter(entity=bing)] == [
        date(year, 2, 2),
        date(year, 3, 3),
        date(year, 5, 2),
    ]
    trend = compute.monthly(registry.get("coverage.rate"), tree.county, year, today)
    # by hand, at each month's end:   甲        乙        丙
    # January                          none      joint     —            1 of 2
    # February                         none      joint     none         1 of 3
    # March                            none      none      instructor   1 of 3
    # April                            joint     none      instructor   2 of 3
    # May (today)                      joint     none      none         1 of 3
    assert [(row["counts"]["covered"], row["counts"]["total"]) for row in trend] == [
        (1, 2),
        (1, 3),
        (1, 3),
        (2, 3),
        (1, 3),
    ]
    assert _values(trend) == [50.0, 33.3, 33.3, 66.7, 33.3]


def test_the_migration_dates_each_entitys_present_status_from_its_registration(tree, cast):
    import importlib

    from django.apps import apps

    from grassroots.core.coverage import services
    from grassroots.core.coverage.models import StatusChange

    seeding = importlib.import_module("grassroots.core.coverage.migrations.0002_status_changes")
    older = Entity.objects.create(name="甲公司", kind="enterprise", area=tree.community_a, status="none")
    _dated(Entity, older.pk, created_at=datetime(2024, 3, 1, 9, tzinfo=BEIJING))
    kept = services.create_entity(actor=cast.city, name="乙公司", kind="enterprise", area=tree.community_b)
    seeding.seed(apps, None)
    seeding.seed(apps, None)  # twice: nothing more
    assert [(c.status, c.since) for c in StatusChange.objects.filter(entity=older)] == [
        ("none", datetime(2024, 3, 1, 9, tzinfo=BEIJING))
    ]
    assert StatusChange.objects.filter(entity=kept).count() == 1
