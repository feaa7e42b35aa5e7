"""A signed-in person sees and downloads (xlsx, JSON; the API too) everything the platform holds about
them, gathered from every part's registry entry; each download is in the audit trail."""

from __future__ import annotations

import io
import json

import openpyxl

from grassroots.audit.models import AuditEvent
from grassroots.privacy import registry


def test_every_part_contributes(resident):
    keys = {entry.key for entry in registry.entries()}
    assert keys >= {
        "accounts.user",
        "accounts.grants",
        "accounts.verification",
        "gatherings.participant",
        "workflow.notification",
        "privacy.request",
        "members.member",
        "members.study",
    }


def test_the_page_shows_all_of_it_unmasked_to_the_person(resident, client_for, django_assert_max_num_queries):
    client = client_for(resident)
    # session, user, grants; one per part: verifications, sign-ups, the member record, its study records,
    # grid ratings, instructor posts, notifications, data requests, consents; then the user and the grants
    # read again and the data requests read again (a part's own look-ups), the person's standing with the
    # privacy notice (the withdraw button), the header's unread badge: 17; care visits, contacts, dues,
    # uploaded photos and attachments: 22; the person's grid cadre scores (assessments.cadre_score): 23;
    # their volunteer record and the partners they represent (cogov): 25; the visits logged to them
    # (gridwork.visit): 26; the service ratings they gave and the partners they are the contact of
    # (cogov): 28; the negotiations naming them as a party (selfgov.negotiation_party): 29; the hours
    # credited to them as a volunteer (cogov.service_hours): 30; the matters' ratings they gave, their seats
    # on a supervision committee and the checks they recorded (selfgov): 33; the disputes naming their
    # account as a party (lawgov.dispute_party): 34; the legal consultations they asked
    # (lawgov.consultation): 35; the pairings naming them as cadre or paired member (lawgov.pairing): 36;
    # their points ledger and their exchanges in the points store (virtue): 38
    with django_assert_max_num_queries(38):
        response = client.get("/privacy/mine/")
    assert response.status_code == 200
    page = response.content.decode()
    for text in ("王小明", "13800001234", "居民", "院落议事会", "您的报名已确认", "党员信息", "一号院落"):
        assert text in page
    assert resident.member_record.id_number in page  # their own ID number, in full


def test_the_json_download(resident, client_for):
    response = client_for(resident).get("/privacy/mine/download.json")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["accounts.user"]["rows"][0]["手机号"] == "13800001234"
    assert data["members.member"]["rows"][0]["身份证号"] == resident.member_record.id_number
    assert data["gatherings.participant"]["rows"][0]["出席"] is True
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.EXPORT)
    assert event.user == resident and event.unmasked and "JSON" in event.what


def test_the_xlsx_download(resident, client_for):
    response = client_for(resident).get("/privacy/mine/download.xlsx")
    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert {"账号", "角色授权", "实名核验", "党员信息", "通知"} <= set(workbook.sheetnames)
    sheet = workbook["账号"]
    header = [cell.value for cell in sheet[1]]
    row = dict(zip(header, [cell.value for cell in sheet[2]], strict=True))
    assert row["手机号"] == "13800001234" and row["用户名"] == "resident"
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.EXPORT, what__contains="xlsx").count() == 1


def test_formula_like_text_stays_text(resident, client_for):
    resident.full_name = '=HYPERLINK("http://evil.example/","x")'
    resident.save()
    content = client_for(resident).get("/privacy/mine/download.xlsx").content
    cell = openpyxl.load_workbook(io.BytesIO(content))["账号"]["B2"]
    assert cell.data_type == "s"


def test_the_api(resident, api_for):
    response = api_for(resident).get("/api/me/data/")
    assert response.status_code == 200
    assert response.json()["accounts.user"]["rows"][0]["用户名"] == "resident"


def test_only_the_signed_in_person(db, client):
    assert client.get("/privacy/mine/").status_code == 302
    assert client.get("/privacy/mine/download.json").status_code == 302
