"""The one list export (grassroots.imports.lists): the 导出 Excel button of a list page gives exactly the rows
its filters show the user (read back with openpyxl), masked as on screen, formulas kept as text, scoped
through the one scoping function; above EXPORTS_SYNC_MAX_ROWS the export runs in the background with a
progress page and a download for its requester only; every export is audited; the API has the same steps;
the number of queries does not grow with the rows."""

from __future__ import annotations

import pytest
from django.urls import reverse

from grassroots.accounts.roles import Role
from grassroots.audit.models import AuditEvent
from grassroots.cogov import services
from grassroots.imports.lists import list_exports
from grassroots.imports.models import ExportJob
from tests.factories import make_user
from tests.imports.conftest import uploads_in_tmp  # noqa: F401
from tests.imports.helpers import read_xlsx

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def export(client, kind: str, query: str = "") -> dict:
    url = reverse("imports:list_export", args=[kind]) + (f"?{query}" if query else "")
    response = client.post(url)
    assert response.status_code == 200, response
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return read_xlsx(b"".join(response.streaming_content))


@pytest.fixture
def partners(tree, cast):
    made = iter(range(10_000))

    def make(n: int, area=None, **fields):
        return [
            services.save_partner(
                actor=cast.city,
                name=fields.get("name", f"共建单位{next(made):03d}"),
                kind=fields.get("kind", "school"),
                area=area or tree.community_a,
            )
            for i in range(n)
        ]

    return make


def test_the_button_is_on_the_page_and_posts_its_filters(cast, client_for, partners):
    partners(1)
    page = client_for(cast.street_a).get(reverse("cogov:partner_list") + "?kind=school&page=2")
    html = page.content.decode()
    assert 'data-export="cogov-partners"' in html
    assert reverse("imports:list_export", args=["cogov-partners"]) + "?kind=school" in html
    assert "page=2" not in html.split('data-export="cogov-partners"')[0].rsplit("<form", 1)[-1]
    resident = client_for(cast.resident).get(reverse("portal:home")).content.decode()
    assert "data-export" not in resident


def test_the_file_holds_what_the_page_shows(cast, client_for, tree, partners):
    partners(2, kind="school")
    partners(1, name="雨城医院", kind="hospital")
    partners(1, name="育才医院", kind="hospital", area=tree.community_b)  # street B's
    client = client_for(cast.street_a)
    sheets = export(client, "cogov-partners", "kind=hospital")
    rows = sheets["共建单位"]
    assert rows[0][:3] == ["单位名称", "单位类型", "所在区域"]
    assert [row[0] for row in rows[1:]] == ["雨城医院"]  # the filter, and street B's hospital out of scope
    page = client.get(reverse("cogov:partner_list") + "?kind=hospital").content.decode()
    assert "雨城医院" in page and "育才医院" not in page
    everything = export(client, "cogov-partners")["共建单位"]
    assert len(everything) == 1 + 3 and "育才医院" not in str(everything)
    assert "说明" in sheets and "kind=hospital" in str(sheets["说明"])


def test_a_formula_comes_out_as_text(cast, client_for, partners):
    partners(1, name='=HYPERLINK("http://evil.example","点击")')
    response = client_for(cast.street_a).post(reverse("imports:list_export", args=["cogov-partners"]))
    content = b"".join(response.streaming_content)
    import io

    from openpyxl import load_workbook

    ws = load_workbook(io.BytesIO(content))["共建单位"]
    cell = ws.cell(row=2, column=1)
    assert cell.value == '=HYPERLINK("http://evil.example","点击")'
    assert cell.data_type == "s" and cell.quotePrefix


def test_phones_are_masked_as_on_screen_and_a_searched_number_stays_out_of_the_audit(cast, client_for, tree):
    make_user("zhang", Role.RESIDENT, tree.courtyard_a, full_name="张三", phone="13812345678")
    client = client_for(cast.street_a)
    rows = export(client, "accounts-users")["用户"]
    zhang = next(row for row in rows if row[1] == "zhang")
    page = client.get(reverse("accounts:user_list")).content.decode()
    assert zhang[2] in page and "13812345678" not in str(rows) and "5678" in zhang[2]
    # a search by number: POSTed, kept behind a token; the export finds the same person
    found = client.post(reverse("accounts:user_list"), {"q": "13812345678"})
    query = found.url.split("?", 1)[1]
    assert "13812345678" not in query
    rows = export(client, "accounts-users", query)["用户"]
    assert [row[1] for row in rows[1:]] == ["zhang"]
    event = AuditEvent.objects.filter(kind="export").latest("pk")
    assert "13812345678" not in event.what and event.count == 1


def test_every_export_is_audited(cast, client_for, partners):
    partners(3)
    export(client_for(cast.street_a), "cogov-partners", "kind=school")
    event = AuditEvent.objects.get(kind="export")
    assert (event.user, event.count, event.unmasked) == (cast.street_a, 3, False)
    assert "共建单位" in event.what and "kind=school" in event.what


def test_no_permission_no_export(cast, client_for):
    client = client_for(cast.resident)
    assert client.post(reverse("imports:list_export", args=["cogov-partners"])).status_code == 403
    assert client.post(reverse("imports:list_export", args=["no-such-list"])).status_code == 404
    assert (
        client_for(cast.street_a).get(reverse("imports:list_export", args=["cogov-partners"])).status_code
        == 405
    )


def test_a_large_export_runs_in_the_background_with_progress_for_its_requester_only(
    cast, client_for, partners, settings, django_capture_on_commit_callbacks
):
    settings.EXPORTS_SYNC_MAX_ROWS = 2
    settings.TASKS = IMMEDIATE
    partners(3)
    client = client_for(cast.street_a)
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(reverse("imports:list_export", args=["cogov-partners"]) + "?kind=school")
    job = ExportJob.objects.get()
    assert response.status_code == 302 and response.url == job.get_absolute_url()
    assert (job.status, job.total_rows, job.params, job.kind) == (
        "pending",
        3,
        {"kind": ["school"]},
        "cogov-partners",
    )
    page = client.get(job.get_absolute_url()).content.decode()
    assert 'role="progressbar"' in page and "hx-trigger" in page
    from grassroots.imports.runner import run_export_job

    run_export_job(job_id=job.pk, notify=True)
    job.refresh_from_db()
    assert (job.status, job.processed_rows, job.percent) == ("done", 3, 100)
    page = client.get(job.get_absolute_url()).content.decode()
    assert 'id="export-download"' in page
    download = client.get(reverse("imports:export_download", args=[job.pk]))
    rows = read_xlsx(b"".join(download.streaming_content))["共建单位"]
    assert len(rows) == 4
    assert AuditEvent.objects.get(kind="export").count == 3
    for other in (cast.city, cast.street_b, cast.secretary, cast.admin):
        outsider = client_for(other)
        assert outsider.get(job.get_absolute_url()).status_code == 404
        assert outsider.get(reverse("imports:export_download", args=[job.pk])).status_code == 404


def test_the_background_run_keeps_the_working_area(cast, client_for, tree, partners, settings):
    """A county official who picked street A in the header exports street A's rows, also in the worker."""
    settings.EXPORTS_SYNC_MAX_ROWS = 0
    partners(1, name="桥楼小学")
    partners(1, name="育才小学", area=tree.community_b)
    from grassroots.imports.lists import WORKING_AREA
    from grassroots.imports.runner import run_export_job, start_export

    job = start_export(kind="cogov-partners", user=cast.city, params={WORKING_AREA: [tree.street_a.path]})
    from grassroots.accounts.models import User

    run_export_job(job_id=job.pk)
    job.refresh_from_db()
    with job.file.open("rb") as handle:
        rows = read_xlsx(handle.read())["共建单位"]
    assert [row[0] for row in rows[1:]] == ["桥楼小学"]
    assert User.objects.get(pk=cast.city.pk)  # the requester is untouched


def test_the_api_starts_an_export_shows_its_progress_and_serves_it(
    cast, api_for, partners, settings, django_capture_on_commit_callbacks
):
    partners(3)
    api = api_for(cast.street_a)
    kinds = api.get("/api/exports/kinds/").json()
    assert {"kind": "cogov-partners", "label": "共建单位"} in kinds
    small = api.post(
        "/api/exports/", {"kind": "cogov-partners", "params": {"kind": ["school"]}}, format="json"
    )
    assert small.status_code == 201, small.json()
    assert small.json()["status"] == "done" and small.json()["total_rows"] == 3
    download = api.get(small.json()["download_url"])
    assert len(read_xlsx(b"".join(download.streaming_content))["共建单位"]) == 4
    settings.EXPORTS_SYNC_MAX_ROWS = 1
    settings.TASKS = IMMEDIATE
    with django_capture_on_commit_callbacks(execute=True):
        large = api.post("/api/exports/", {"kind": "cogov-partners"}, format="json")
    assert large.status_code == 201 and large.json()["status"] == "pending"
    progress = api.get(f"/api/exports/{large.json()['id']}/").json()
    assert (progress["status"], progress["processed_rows"], progress["percent"]) == ("done", 3, 100)
    assert api.get(progress["download_url"]).status_code == 200
    assert api.post("/api/exports/", {"kind": "nope"}, format="json").status_code == 400
    other = api_for(cast.street_b)
    assert other.get(f"/api/exports/{large.json()['id']}/").status_code == 404
    assert other.get(progress["download_url"]).status_code == 404
    assert (
        api_for(cast.resident).post("/api/exports/", {"kind": "cogov-partners"}, format="json").status_code
        == 403
    )
    assert AuditEvent.objects.filter(kind="export").count() == 2


def test_queries_do_not_grow_with_rows(cast, client_for, partners, django_assert_max_num_queries):
    client = client_for(cast.street_a)
    partners(2)
    with django_assert_max_num_queries(30) as few:
        export(client, "cogov-partners")
    partners(40)
    with django_assert_max_num_queries(len(few.captured_queries)):
        rows = export(client, "cogov-partners")["共建单位"]
    assert len(rows) == 43


def test_every_list_export_is_declared_whole():
    for kind, declared in list_exports().items():
        assert declared.columns, kind
        assert declared.permission and declared.back_url_name, kind
        reverse(declared.back_url_name)


def test_a_filter_naming_another_area_is_refused(cast, client_for, api_for, tree):
    """Street B's official cannot export coverage entities of street A by naming its area."""
    url = reverse("imports:list_export", args=["coverage-entities"]) + f"?area={tree.street_a.pk}"
    assert client_for(cast.street_b).post(url).status_code == 404
    body = {"kind": "coverage-entities", "params": {"area": [str(tree.street_a.pk)]}}
    assert api_for(cast.street_b).post("/api/exports/", body, format="json").status_code == 404
    assert not ExportJob.objects.exists() and not AuditEvent.objects.filter(kind="export").exists()
