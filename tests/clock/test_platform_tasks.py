"""The platform's periodic tasks run through the clock are idempotent: on three mornings in a row, with a
duty deadline, an organizational-life period end, a probationary member's conversion and an old audit
entry all due, the first morning's runs do the work and the next two do nothing more (no second notice)."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from grassroots.accounts.roles import Role
from grassroots.areas.models import Level, PartyOrg
from grassroots.audit.models import AuditEvent
from grassroots.clock import services
from grassroots.clock.models import PeriodicRun
from grassroots.core.duties.services import issue_task
from grassroots.core.members.models import Member
from grassroots.core.members.services.manage import joined_on_or_before_for_due
from grassroots.workflow.models import Notification
from tests.clock.conftest import bj
from tests.clock.test_runs import IMMEDIATE
from tests.factories import make_party_org, make_user
from tests.members.fixtures_precisions import new_id_number

WIRED = ("audit.prune", "duties.remind", "orglife.remind", "members.remind_conversions", "files.purge")


@pytest.fixture
def due_work(cast, tree, time_machine):
    """On 2026-06-24 (Beijing): a task due on the 26th, June and Q2 ending within their reminder windows for
    a branch whose secretary is branch_sec, a member whose conversion falls due on 2026-07-10, and an audit
    event 400 days old."""
    time_machine.move_to(bj(2026, 6, 24, 7, 0), tick=False)
    issue_task(
        actor=cast.city,
        area=tree.city,
        title="即将到期的任务",
        deadline=date(2026, 6, 26),
        target_level=Level.STREET,
        description="按要求完成。",
        evidence_required="会议记录",
    )
    branch = make_party_org("桥楼社区第一网格党支部", tree.grid_a)
    branch.secretary = make_user("branch_sec", Role.MEMBER, tree.community_a)
    branch.save()
    PartyOrg.objects.filter(pk=branch.pk).update(created_at=bj(2020, 1, 1, 8, 0))
    Member.objects.create(
        name="预备党员",
        gender="male",
        birth_date=date(1995, 5, 1),
        id_number=new_id_number(date(1995, 5, 1)),
        branch=branch,
        joined_probationary_on=joined_on_or_before_for_due(date(2026, 7, 10)),
        joined_full_on=None,
    )
    AuditEvent.objects.create(
        kind=AuditEvent.Kind.LOGIN, username="old", timestamp=timezone.now() - timedelta(400)
    )


def results(name: str) -> list:
    return list(PeriodicRun.objects.filter(name=name).order_by("slot").values_list("result", flat=True))


def test_three_mornings_one_round_of_reminders(
    due_work, settings, time_machine, django_capture_on_commit_callbacks
):
    settings.TASKS = IMMEDIATE
    sent = []
    for day in (24, 25, 26):
        time_machine.move_to(bj(2026, 6, day, 9, 0), tick=False)
        with django_capture_on_commit_callbacks(execute=True):
            services.tick()
        sent.append(Notification.objects.count())
    for name in WIRED:
        runs = PeriodicRun.objects.filter(name=name)
        assert [r.status for r in runs] == ["SUCCESSFUL"] * 3, name
    duties, orglife, conversions = (
        results("duties.remind"),
        results("orglife.remind"),
        results("members.remind_conversions"),
    )
    assert duties == [{"reminded": 2, "overdue": 0}] + [{"reminded": 0, "overdue": 0}] * 2
    assert orglife[0] > 0 and orglife[1:] == [0, 0]
    assert conversions == [1, 0, 0]
    pruned = results("audit.prune")
    assert pruned[0]["events"] == 1 and [p["events"] for p in pruned[1:]] == [0, 0]
    # Notices went out on the first morning only: to the streets, the branch secretary (both the branch's
    # organizational life and its member's conversion) and the community secretary.
    assert sent[0] > 0 and sent == [sent[0]] * 3
    recipients = set(Notification.objects.values_list("recipient__username", flat=True))
    assert {"street_a", "street_b", "branch_sec", "secretary"} <= recipients


@pytest.mark.django_db
def test_the_daily_analyze_gives_sqlite_its_planner_statistics():
    """clock.analyze: SQLite's planner has statistics afterwards (sqlite_stat1), and running it again is
    harmless; on PostgreSQL (autovacuum analyzes) it does nothing."""
    from django.db import connection

    from grassroots.clock.tasks import analyze_database

    make_user("someone")
    first, again = analyze_database.call(), analyze_database.call()
    if connection.vendor != "sqlite":
        assert first == again == {"database": connection.vendor, "analyzed": False}
        return
    assert first["analyzed"] and first["tables"] > 0
    assert again == first
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM sqlite_stat1 WHERE tbl = 'accounts_user'")
        assert cursor.fetchone()[0] > 0
