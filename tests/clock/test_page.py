"""The clock page: the system admin sees each periodic task with its last run (when, how it went, what it
returned) and its next moment, and whether a scheduler is running; nobody else sees it."""

import pytest

from grassroots.clock import services
from tests.clock import jobs
from tests.clock.conftest import bj
from tests.clock.test_runs import IMMEDIATE
from tests.homes import open_home

URL = "/clock/"


@pytest.fixture
def noon(time_machine):
    time_machine.move_to(bj(2026, 3, 10, 12, 0), tick=False)


def test_only_the_system_admin_sees_it(cast, client_for, client):
    for user in (cast.city, cast.street_b, cast.auditor, cast.secretary, cast.resident):
        assert client_for(user).get(URL).status_code == 403, user.username
    assert client.get(URL).status_code == 302  # to the login page
    assert URL in open_home(client_for(cast.admin)).content.decode()  # in the admin's navigation
    assert URL not in open_home(client_for(cast.city)).content.decode()


def test_before_any_run(cast, client_for, noon):
    page = client_for(cast.admin).get(URL).content.decode()
    assert "时钟从未运行" in page
    assert "任务截止提醒与逾期通知" in page and "<code>0 8 * * *</code>" in page
    assert page.count("尚未运行") >= 5
    assert "2026-03-11 08:00" in page  # the next moment of the 08:00 tasks


def test_last_run_next_moment_and_a_live_scheduler(cast, client_for, settings, noon, declare, time_machine):
    settings.TASKS = IMMEDIATE
    declare(jobs.broken, cron="30 11 * * *", name="test.broken")
    services.tick(scheduler="host-a:42")
    client = client_for(cast.admin)
    page = client.get(URL).content.decode()
    assert "时钟正在运行" in page and "host-a:42" in page
    row = page.split('data-task="duties.remind"')[1].split("</tr>")[0]
    assert "2026-03-10 08:00" in row  # the moment it ran for
    assert "成功" in row and "&#x27;reminded&#x27;: 0" in row  # its summary
    assert "2026-03-11 08:00" in row  # the next one
    broken = page.split('data-task="test.broken"')[1].split("</tr>")[0]
    assert "失败" in broken and "builtins.RuntimeError" in broken
    # Ten minutes without a tick: the page says the clock has stopped.
    time_machine.move_to(bj(2026, 3, 10, 12, 10), tick=False)
    page = client.get(URL).content.decode()
    assert "时钟未在运行" in page and "时钟正在运行" not in page


def test_a_run_nobody_picks_up_is_pointed_out(cast, client_for, noon, time_machine):
    services.tick(scheduler="host-a:42")  # the database queue, and no worker
    time_machine.move_to(bj(2026, 3, 10, 12, 20), tick=False)
    page = client_for(cast.admin).get(URL).content.decode()
    assert "排队已久" in page and "排队中" in page


def test_a_moment_due_but_unclaimed_is_pointed_out(cast, client_for, noon, time_machine):
    services.tick()
    time_machine.move_to(bj(2026, 3, 11, 9, 0), tick=False)  # no scheduler ran this morning
    page = client_for(cast.admin).get(URL).content.decode()
    row = page.split('data-task="duties.remind"')[1].split("</tr>")[0]
    assert "已到期，待放入队列" in row


def test_queries(cast, client_for, noon, django_assert_num_queries):
    services.tick(scheduler="host-a:42")
    client = client_for(cast.admin)
    # session, user, grants; beats; latest slot per task; those runs; the history; the unread notices badge.
    with django_assert_num_queries(8):
        assert client.get(URL).status_code == 200
