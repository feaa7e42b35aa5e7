"""Export of the member list to xlsx: what the list selects (its filters, through the scoping function),
masked as on the screen; unmasked only with members.export_unmasked and audited as such; large exports in
the background for their requester only, made again (or failed after the last attempt) when their worker
died, the page saying which; an unmasked export imports again unchanged."""

from __future__ import annotations

import html
import io
import re
import socket
import subprocess
from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from grassroots.accounts.roles import Role
from grassroots.audit.models import AuditEvent
from grassroots.core.members.models import Member, MemberTag
from grassroots.core.members.services.imports import start_member_import
from grassroots.imports.models import ExportJob
from grassroots.imports.runner import _claim_export, run_export_job
from grassroots.imports.tasks import recover_imports
from grassroots.workflow.models import Notification
from tests.coverage.conftest import make_entity
from tests.factories import Level, make_area, make_party_org, make_user
from tests.imports.conftest import uploads_in_tmp  # noqa: F401
from tests.imports.helpers import HEADER, id_number, read_xlsx, upload


@pytest.fixture
def branches(tree):
    a = make_party_org("桥楼社区第一党支部", tree.community_a)
    a.code = "QL-01"
    a.save()
    return a, make_party_org("育才社区党支部", tree.community_b)


@pytest.fixture
def members(tree, branches):
    """make(n, branch=A, **fields) → n saved members."""
    building = make_area("1栋", Level.BUILDING, tree.courtyard_a)
    tag = MemberTag.objects.create(name="老党员")
    skill = MemberTag.objects.create(name="法律", kind="skill")

    def make(n: int, branch=None, **fields):
        made = []
        for i in range(n):
            number = id_number()
            member = Member.objects.create(
                name=fields.get("name", f"党员{Member.objects.count() + 1}"),
                gender="male" if int(number[16]) % 2 else "female",
                birth_date=date(int(number[6:10]), int(number[10:12]), int(number[12:14])),
                id_number=number,
                phone=f"1380000{i:04d}",
                education="bachelor",
                occupation="教师",
                work_unit="雅安中学",
                branch=branch or branches[0],
                home_area=building if branch is None else None,
                joined_probationary_on=date(2005, 7, 1),
                joined_full_on=date(2006, 7, 1),
                status=fields.get("status", "normal"),
            )
            member.tags.set([tag, skill] if i % 2 == 0 else [])
            made.append(member)
        return made

    return make


def export(client, query: str = "", **post):
    response = client.post(reverse("members:export") + query, post)
    assert response.status_code == 200, response.status_code
    return read_xlsx(b"".join(response.streaming_content))


def test_the_export_is_the_list_masked_as_on_the_screen_and_audited(cast, branches, members, client_for):
    zhang = members(1, name="张三")[0]
    members(2)
    members(1, name="流动一", status="mobile")
    members(2, branch=branches[1])  # street B
    client = client_for(cast.street_a)
    page = client.get(reverse("members:export")).content.decode()
    assert "共 4 名党员" in page and 'value="1" id="unmasked"' in page  # street officials may unmask

    sheets = export(client)
    rows = sheets["党员"]
    assert rows[0] == HEADER and len(rows) == 5 and "说明" in sheets
    first = next(r for r in rows if r[0] == "张三")
    assert first[4] == zhang.id_masked and first[5] == "138****0000"  # masked, as on the screen
    first = dict(zip(HEADER, first, strict=True))
    assert first["性别"] in ("男", "女") and first["学历"] == "本科" and first["在职党员"] == "否"
    assert first["居住地址"] == "桥楼社区/第一网格/一号院落/1栋" and first["所在党支部"] == "QL-01"
    assert first["状态"] == "正常" and first["标签"] == "法律、老党员"
    assert first["入党时间"].date() == date(2005, 7, 1)
    branch = HEADER.index("所在党支部")
    assert not any(r[branch] == "育才社区党支部" for r in rows[1:])  # street B is not in street A's scope

    event = AuditEvent.objects.get(kind="export")
    assert (event.user, event.count, event.unmasked) == (cast.street_a, 4, False)
    assert event.what == "党员名单"

    mobile = export(client, "?status=mobile")["党员"]  # the list page's filters
    assert [r[0] for r in mobile[1:]] == ["流动一"]
    assert AuditEvent.objects.filter(kind="export").count() == 2


def test_an_unmasked_export_needs_the_permission_and_is_audited(cast, members, client_for):
    zhang = members(1, name="张三")[0]
    worker = client_for(cast.worker)  # keeps records, may not see full numbers
    assert 'id="unmasked"' not in worker.get(reverse("members:export")).content.decode()
    assert worker.post(reverse("members:export"), {"unmasked": "1"}).status_code == 403
    assert not AuditEvent.objects.filter(kind="export").exists()
    masked = export(worker)["党员"]
    assert masked[1][4] == zhang.id_masked

    rows = export(client_for(cast.secretary), unmasked="1")["党员"]
    assert rows[1][4] == zhang.id_number and rows[1][5] == "13800000000"
    event = AuditEvent.objects.filter(kind="export").latest("pk")
    assert (event.user, event.count, event.unmasked) == (cast.secretary, 1, True)


def test_who_exports_what(cast, tree, branches, members, client_for):
    members(2)
    members(3, branch=branches[1])
    assert len(export(client_for(cast.street_b))["党员"]) == 4  # only street B's three
    assert len(export(client_for(cast.city))["党员"]) == 6
    assert client_for(cast.resident).get(reverse("members:export")).status_code == 403
    assert client_for(cast.resident).post(reverse("members:export")).status_code == 403
    # a branch secretary (a member, no area grant) exports the branch's records
    secretary = make_user("branch_sec", Role.MEMBER, tree.courtyard_a, home_area=tree.courtyard_a)
    branches[1].secretary = secretary
    branches[1].save()
    assert len(export(client_for(secretary))["党员"]) == 4


def test_a_large_export_runs_in_the_background_for_its_requester_only(
    cast, members, client_for, settings, django_capture_on_commit_callbacks
):
    settings.EXPORTS_SYNC_MAX_ROWS = 2
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    members(3)
    client = client_for(cast.street_a)
    assert "在后台生成" in client.get(reverse("members:export")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("members:export"), {"unmasked": "1"})
    job = ExportJob.objects.get()
    assert response.status_code == 302 and response.url == reverse("imports:export_detail", args=[job.pk])
    assert job.status == "done" and job.total_rows == 3 and job.unmasked and job.created_by == cast.street_a
    page = client.get(reverse("imports:export_detail", args=[job.pk])).content.decode()
    assert 'id="export-download"' in page
    download = client.get(reverse("imports:export_download", args=[job.pk]))
    assert download.status_code == 200
    assert len(read_xlsx(b"".join(download.streaming_content))["党员"]) == 4
    event = AuditEvent.objects.get(kind="export")
    assert (event.user, event.count, event.unmasked) == (cast.street_a, 3, True)
    assert Notification.objects.filter(recipient=cast.street_a, url=job.get_absolute_url()).exists()
    for other in (cast.city, cast.admin, cast.street_b, cast.secretary):  # nobody else, not even above
        outsider = client_for(other)
        assert outsider.get(reverse("imports:export_detail", args=[job.pk])).status_code == 404
        assert outsider.get(reverse("imports:export_download", args=[job.pk])).status_code == 404


def test_the_export_does_not_query_per_row(cast, members, client_for, django_assert_max_num_queries):
    client = client_for(cast.street_a)
    members(3)
    # session, user, grants, organizations led; the count, the rows, their tags, the areas of their paths
    # (one query for all), the exporter's grants (the unmasked check); the audit event in a savepoint
    # (savepoint, insert, read back, chain head, chain link, head update, release): 16, for 4 rows or 34
    with django_assert_max_num_queries(16) as few:
        export(client)
    members(30)
    with django_assert_max_num_queries(len(few.captured_queries)):
        rows = export(client)["党员"]
    assert len(rows) == 34


def test_an_unmasked_export_imports_again_unchanged(cast, members, client_for):
    members(4)
    before = sorted(
        Member.objects.values_list(
            "name", "id_hash", "gender", "birth_date", "branch", "home_area", "education", "joined_full_on"
        )
    )
    tags_before = sorted(Member.objects.values_list("id_hash", "tags__name"), key=str)
    response = client_for(cast.street_a).post(reverse("members:export"), {"unmasked": "1"})
    content = b"".join(response.streaming_content)
    Member.objects.all().delete()
    job = start_member_import(file=upload(content), actor=cast.street_a)
    assert job.status == "done", job.errors
    after = sorted(
        Member.objects.values_list(
            "name", "id_hash", "gender", "birth_date", "branch", "home_area", "education", "joined_full_on"
        )
    )
    assert after == before
    assert sorted(Member.objects.values_list("id_hash", "tags__name"), key=str) == tags_before


def test_the_workplace_is_exported_by_name_and_imports_again(cast, tree, members, client_for):
    joint = make_entity("汇通物流", tree.community_a, status="joint")
    linked, unlinked = members(2)
    Member.objects.filter(pk=linked.pk).update(workplace=joint)
    client = client_for(cast.street_a)
    rows = export(client)["党员"]
    column = rows[0].index("所在新兴领域单位")
    assert {r[rows[0].index("姓名")]: r[column] for r in rows[1:]} == {
        linked.name: "汇通物流",
        unlinked.name: None,
    }
    response = client.post(reverse("members:export"), {"unmasked": "1"})
    content = b"".join(response.streaming_content)
    Member.objects.all().delete()
    job = start_member_import(file=upload(content), actor=cast.street_a)
    assert job.status == "done", job.errors
    assert dict(Member.objects.values_list("name", "workplace")) == {
        linked.name: joint.pk,
        unlinked.name: None,
    }


# --- a background export whose worker died --------------------------------------------------------------


@pytest.fixture
def dead_runner() -> str:
    child = subprocess.Popen(["true"])
    child.wait()
    return f"{socket.gethostname()}:{child.pid}:abcd"


def stuck_export(user, runner: str, *, attempts: int = 1, heartbeat=None) -> ExportJob:
    """An export as a worker killed while writing leaves it."""
    now = timezone.now()
    return ExportJob.objects.create(
        kind="members",
        created_by=user,
        total_rows=3,
        status="writing",
        runner=runner,
        attempts=attempts,
        started_at=now,
        heartbeat_at=heartbeat or now,
    )


@pytest.fixture
def immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def test_an_export_whose_worker_died_is_made_again_and_the_page_says_so(
    cast, members, client_for, dead_runner, immediate_tasks, django_capture_on_commit_callbacks
):
    members(3)
    job = stuck_export(cast.street_a, dead_runner)
    client = client_for(cast.street_a)
    with django_capture_on_commit_callbacks(execute=True):  # the run is enqueued when recovery commits
        page = client.get(reverse("imports:export_detail", args=[job.pk])).content.decode()
    job.refresh_from_db()
    assert job.status == "done" and job.attempts == 2 and job.total_rows == 3
    assert "已于" in job.recovery and "自动重新开始（第 2 次生成）" in job.recovery
    assert job.recovery in page  # the page said so at once (the run itself starts when that commits)
    page = client.get(reverse("imports:export_detail", args=[job.pk])).content.decode()
    assert job.recovery in page and 'id="export-download"' in page


def test_an_export_that_died_on_its_last_attempt_is_failed_and_the_page_says_so(
    cast, members, client_for, dead_runner, django_capture_on_commit_callbacks
):
    job = stuck_export(cast.street_a, dead_runner, attempts=3)
    with django_capture_on_commit_callbacks(execute=True):  # the notification is sent on commit
        page = client_for(cast.street_a).get(reverse("imports:export_detail", args=[job.pk])).content.decode()
    job.refresh_from_db()
    message = "生成此导出文件的后台进程已中断 3 次，导出失败；请重新导出。"
    assert job.status == "failed" and job.error == message == job.recovery and job.finished_at
    assert message in page
    assert Notification.objects.filter(recipient=cast.street_a, url=job.get_absolute_url()).exists()


def test_the_clock_finds_an_export_whose_heartbeat_stopped_on_another_host(
    cast, members, settings, immediate_tasks, django_capture_on_commit_callbacks
):
    settings.IMPORTS_STALE_AFTER = 600
    members(3)
    live = stuck_export(cast.street_a, "worker-2:123:abcd")
    old = stuck_export(cast.street_a, "worker-2:123:beef", heartbeat=timezone.now() - timedelta(minutes=11))
    with django_capture_on_commit_callbacks(execute=True):
        result = recover_imports.call()
    assert result == {f"export:{old.pk}": "resumed"}
    assert ExportJob.objects.get(pk=old.pk).status == "done"
    assert ExportJob.objects.get(pk=live.pk).status == "writing"  # a live run is left alone
    out = io.StringIO()
    ExportJob.objects.filter(pk=live.pk).update(
        heartbeat_at=timezone.now() - timedelta(minutes=11), attempts=3
    )
    call_command("recover_imports", stdout=out)
    assert out.getvalue().strip() == f"export {live.pk} failed"


def test_a_run_that_was_taken_over_does_not_finish_the_export(cast, members, immediate_tasks):
    members(3)
    job = ExportJob.objects.create(kind="members", created_by=cast.street_a, total_rows=3)
    assert _claim_export(job)  # a run that went quiet after claiming it
    ExportJob.objects.filter(pk=job.pk).update(runner="", status="pending")  # recovered meanwhile
    assert run_export_job(job_id=job.pk).status == "done"  # the new run
    assert _claim_export(ExportJob.objects.get(pk=job.pk)) is None  # a finished export is not run again


def _export_link(page: str) -> str:
    """The href of the list's 导出 Excel button (the shared export button, as a link to the export page)."""
    found = re.search(r'<a class="[^"]*" href="([^"]+)" data-export="members:export"', page)
    assert found, "the member list has no 导出 Excel button"
    assert "导出 Excel" in page[found.end() : found.end() + 200]
    return html.unescape(found.group(1))


def test_the_member_list_links_its_export_with_its_filters_and_the_link_downloads(
    cast, branches, members, client_for
):
    members(2)
    number = members(1, name="流动一", status="mobile")[0].id_number
    members(1, branch=branches[1])  # street B
    client = client_for(cast.street_a)

    link = _export_link(client.get(reverse("members:list") + "?status=mobile&page=1").content.decode())
    assert link.startswith(reverse("members:export") + "?") and "status=mobile" in link
    assert "page=" not in link
    page = client.get(link).content.decode()
    assert "共 1 名党员" in page and 'value="1" id="unmasked"' in page  # the options stay: masked or not
    response = client.post(link, {"unmasked": "0"})
    assert response.status_code == 200
    rows = read_xlsx(b"".join(response.streaming_content))["党员"]
    assert [r[0] for r in rows[1:]] == ["流动一"] and rows[1][4] != number  # masked as on the screen

    # a searched ID number stays behind its token: not in the link, yet the export holds the one found
    found = client.post(reverse("members:list"), {"q": number}, follow=True)
    link = _export_link(found.content.decode())
    assert number not in link and "s=" in link
    assert "共 1 名党员" in client.get(link).content.decode()

    # street B's list links the export of street B's records only
    other = client_for(cast.street_b)
    link = _export_link(other.get(reverse("members:list")).content.decode())
    rows = read_xlsx(b"".join(other.post(link, {"unmasked": "0"}).streaming_content))["党员"]
    assert len(rows) == 2 and rows[1][0] != "流动一"
