"""The households import (xlsx, through the generic import runner): a right file writes every household and
membership at once; a file with any wrong row writes nothing and offers the rejected rows (formulas
neutralised); addresses and residents are looked up inside the importer's scope; the page, the template and
/api/household-imports/ alike."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from grassroots.accounts.roles import Role
from grassroots.imports.models import ImportJob
from grassroots.voting.models import Household, HouseholdMember
from tests.factories import make_user
from tests.imports.helpers import build_xlsx, read_xlsx, upload

HEADER = ["住址", "户名", "居民姓名", "居民账号"]
YARD = "桥楼社区/第一网格/一号院落"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def households_xlsx(rows):
    return upload(build_xlsx({"住户": [HEADER, *rows]}), "households.xlsx")


def test_a_right_file_writes_every_household_and_member(cast, tree, voters, client_for):
    rows = [
        [YARD, "1栋103", None, "sun"],
        [YARD, "1栋102", None, "zhao"],  # already a member of this very household: nothing to do
        [str(tree.courtyard_a.pk), "1栋104", None, None],  # by the area's id, no resident yet
        [f"青江街道/{YARD}", "1栋105", voters.unverified.full_name, "unverified"],
    ]
    client = client_for(cast.worker)
    response = client.post(reverse("voting:household_import"), {"file": households_xlsx(rows)})
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("imports:detail", args=[job.pk])
    assert job.status == ImportJob.Status.DONE, job.errors
    assert job.counts == {"households": 3, "members": 2}
    assert sorted(Household.objects.values_list("name", flat=True)) == [f"1栋10{n}" for n in range(1, 6)]
    assert HouseholdMember.objects.get(user=voters.sun).household.name == "1栋103"
    assert HouseholdMember.objects.get(user=voters.unverified).household.name == "1栋105"
    html = client.get(response["Location"]).content.decode()
    assert "新建 3 户，登记户成员 2 人" in html


def test_a_wrong_row_writes_nothing_and_the_rejected_rows_are_offered(cast, tree, voters, client_for):
    formula = '=HYPERLINK("http://evil.example","点我")'
    rows = [
        [YARD, "1栋103", None, "sun"],  # right
        ["育才社区", "1户", None, None],  # another street's community: not found
        [YARD, "1栋106", None, "outsider"],  # a resident of another street: not found
        [YARD, "1栋106", None, "wang"],  # already in 1栋101
        [YARD, None, formula, None],  # no name; a formula-like resident
        [YARD, "1栋107", None, "sun"],  # twice in the file
    ]
    content = build_xlsx({"住户": [HEADER, *rows]})
    wb = load_workbook(io.BytesIO(content))
    wb["住户"]["C6"].data_type = "s"  # the text as typed, not a formula of the uploaded file
    buffer = io.BytesIO()
    wb.save(buffer)
    client = client_for(cast.worker)
    client.post(reverse("voting:household_import"), {"file": upload(buffer.getvalue(), "h.xlsx")})
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.REJECTED
    assert Household.objects.count() == 2 and HouseholdMember.objects.count() == 3  # the fixture's only
    reasons = {(e["row"], e["column"]): e["message"] for e in job.errors}
    assert reasons[(3, "住址")] == "找不到该住址，或不在您的管辖范围内"
    assert reasons[(4, "居民账号")] == "找不到该账号，或该居民不在您的管辖范围内"
    assert reasons[(5, "居民账号")] == "该居民已属于户“1栋101”，请先从原户移出"
    assert reasons[(6, "户名")] == "必填"
    assert reasons[(6, "居民姓名")] == "找不到该居民，或不在您的管辖范围内"
    assert reasons[(7, "居民账号")] == "该居民在第 2 行已出现，每名居民只能属于一户"
    response = client.get(reverse("imports:rejected", args=[job.pk]))
    content = b"".join(response.streaming_content)
    sheet = read_xlsx(content)["住户"]
    assert sheet[0] == ["原行号", *HEADER, "错误原因"]
    assert [r[0] for r in sheet[1:]] == [3, 4, 5, 6, 7]
    cell = load_workbook(io.BytesIO(content))["住户"]["D5"]  # the formula-like name, as text
    assert cell.value == formula and cell.data_type == "s" and cell.quotePrefix


def test_another_street_worker_finds_nothing_of_ours(cast, tree, voters, client_for, api_for):
    worker_b = make_user("worker_b", Role.COMMUNITY_WORKER, tree.community_b)
    rows = [[YARD, "1栋103", None, "sun"]]
    response = api_for(worker_b).post(
        "/api/household-imports/", {"file": households_xlsx(rows)}, format="multipart"
    )
    assert response.status_code == 201 and response.json()["status"] == "rejected"
    job = ImportJob.objects.get()
    assert {e["message"] for e in job.errors} == {
        "找不到该住址，或不在您的管辖范围内",
        "找不到该账号，或该居民不在您的管辖范围内",
    }
    assert Household.objects.count() == 2 and not HouseholdMember.objects.filter(user=voters.sun).exists()
    # community A's worker does not see B's job; B's worker does not see A's
    assert client_for(cast.worker).get(reverse("imports:detail", args=[job.pk])).status_code == 404
    assert api_for(cast.worker).get("/api/household-imports/").json()["count"] == 0
    assert client_for(cast.resident).get(reverse("voting:household_import")).status_code == 403
    assert client_for(cast.resident).get(reverse("voting:household_import_template")).status_code == 403


def test_api_upload_and_list(cast, tree, voters, api_for, django_assert_max_num_queries):
    api = api_for(cast.worker)
    for n in range(3):
        rows = [[YARD, f"2栋{n}", None, None]]
        response = api.post("/api/household-imports/", {"file": households_xlsx(rows)}, format="multipart")
        assert response.status_code == 201 and response.json()["status"] == "done"
        assert response.json()["counts"] == {"households": 1, "members": 0}
    with django_assert_max_num_queries(10):
        listed = api.get("/api/household-imports/").json()
    assert listed["count"] == 3 and listed["results"][0]["url"].startswith("/imports/")
    response = api.post("/api/household-imports/", {}, format="multipart")
    assert response.status_code == 400 and "file" in response.json()["errors"]


def test_template_imports_as_is_after_filling(cast, tree, voters, client_for):
    client = client_for(cast.worker)
    response = client.get(reverse("voting:household_import_template"))
    assert response.status_code == 200
    sheets = read_xlsx(response.content)
    assert sheets["住户"] == [HEADER] and "说明" in sheets
    wb = load_workbook(io.BytesIO(response.content))
    wb["住户"].append([YARD, "3栋1", None, "sun"])
    buffer = io.BytesIO()
    wb.save(buffer)
    client.post(reverse("voting:household_import"), {"file": upload(buffer.getvalue(), "t.xlsx")})
    assert ImportJob.objects.get().status == ImportJob.Status.DONE
    assert HouseholdMember.objects.get(user=voters.sun).household.name == "3栋1"
