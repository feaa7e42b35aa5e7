"""The auditors' page: "audit.view" only, scoped to the auditor's areas, filtered, paginated, newest first,
with a bounded number of queries, and an xlsx export that is itself audited."""

import datetime as dt
from io import BytesIO

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from grassroots.accounts.models import RoleGrant, User
from grassroots.accounts.roles import Role
from grassroots.audit.models import AuditEvent
from grassroots.audit.services import record_export
from tests.factories import PASSWORD
from tests.imports.conftest import uploads_in_tmp  # noqa: F401

from .conftest import old_event

URL = reverse("audit:log")
EXPORT = reverse("imports:list_export", args=["audit-log"])


def failed_login(username: str) -> None:
    Client().post(reverse("accounts:login"), {"username": username, "password": "wrong"})


def usernames_on_page(response) -> set[str]:
    return {item.actor for item in response.context["items"]}


# --- who may open it -----------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["street_a", "secretary", "worker", "resident", "city"])
def test_people_without_audit_view_are_refused(cast, client_for, who):
    assert client_for(getattr(cast, who)).get(URL).status_code == 403


def test_anonymous_visitors_are_sent_to_login(db):
    response = Client().get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("who", ["auditor", "admin"])
def test_auditors_and_system_admins_see_the_page(cast, client_for, who):
    response = client_for(getattr(cast, who)).get(URL)
    assert response.status_code == 200
    assert "审计日志" in response.content.decode()


# --- scope ---------------------------------------------------------------------------------------------


def test_a_county_auditor_sees_only_their_county(cast, people, client_for, tree, county2):
    failed_login("street_a")  # 雨城区
    failed_login("mingshan_resident")  # 名山区
    failed_login("nobody-knows-me")  # no area
    people.mingshan_resident.phone = "13500000000"
    people.mingshan_resident.save()
    cast.resident.phone = "13600000000"
    cast.resident.save()

    response = client_for(people.county_auditor).get(URL, {"kind": "login_failed"})
    assert usernames_on_page(response) == {"street_a"}
    # Search by the new phone number as the log keeps it (masked: the full number is never in the log).
    response = client_for(people.county_auditor).get(URL, {"kind": "change", "q": "136****0000"})
    assert usernames_on_page(response) == {""}  # the change to 雨城区's resident (no actor outside a request)
    assert [i.object_label for i in response.context["items"]] == ["resident"]

    response = client_for(people.mingshan_auditor).get(URL, {"kind": "login_failed"})
    assert usernames_on_page(response) == {"mingshan_resident"}
    response = client_for(people.mingshan_auditor).get(URL, {"kind": "change", "q": "135****0000"})
    assert [i.object_label for i in response.context["items"]] == ["mingshan_resident"]


def test_entries_without_an_area_are_seen_from_the_root_only(cast, people, client_for):
    failed_login("nobody-knows-me")
    assert "nobody-knows-me" in usernames_on_page(client_for(cast.auditor).get(URL))
    assert "nobody-knows-me" not in usernames_on_page(client_for(people.county_auditor).get(URL))


def test_a_grant_in_the_other_county_is_not_shown(cast, people, client_for, county2):
    RoleGrant.objects.create(user=cast.resident, role=Role.MEMBER, area=county2.community)
    rolegrant = ContentType.objects.get_for_model(RoleGrant).pk
    county = client_for(people.county_auditor).get(URL, {"model": rolegrant})
    mingshan = client_for(people.mingshan_auditor).get(URL, {"model": rolegrant})
    assert not any("城东社区" in i.object_label for i in county.context["items"])
    assert any("城东社区" in i.object_label for i in mingshan.context["items"])


def test_the_working_area_narrows_the_auditor(cast, people, client_for, tree):
    failed_login("mingshan_resident")
    client = client_for(cast.auditor)
    assert "mingshan_resident" in usernames_on_page(client.get(URL, {"kind": "login_failed"}))
    session = client.session
    session["active_area_path"] = tree.county.path
    session.save()
    assert "mingshan_resident" not in usernames_on_page(client.get(URL, {"kind": "login_failed"}))


# --- filters, order, pages -------------------------------------------------------------------------------


def test_newest_first_across_kinds(cast, client_for):
    failed_login("first")
    cast.resident.phone = "13800000001"
    cast.resident.save()
    failed_login("last")
    items = client_for(cast.auditor).get(URL).context["items"]
    stamps = [i.timestamp for i in items]
    assert stamps == sorted(stamps, reverse=True)
    assert items[0].kind == AuditEvent.Kind.LOGIN  # the auditor's own login, just now
    kinds = {i.kind for i in items}
    assert {"change", "login", "login_failed"} <= kinds


def test_filters(cast, client_for):
    failed_login("street_a")
    cast.resident.phone = "13800000001"
    cast.resident.save()
    old_event(days=40, username="old-timer", scope_path="")
    client = client_for(cast.auditor)

    only_failed = client.get(URL, {"kind": "login_failed"}).context["items"]
    assert {i.kind for i in only_failed} == {"login_failed"}
    only_changes = client.get(URL, {"kind": "change"}).context["items"]
    assert only_changes and {i.kind for i in only_changes} == {"change"}
    by_actor = client.get(URL, {"actor": "street"}).context["items"]
    assert by_actor and {i.actor for i in by_actor} == {"street_a"}
    user_type = ContentType.objects.get_for_model(User).pk
    by_model = client.get(URL, {"model": user_type}).context["items"]
    assert by_model and {i.object_type for i in by_model} == {"用户"}
    by_text = client.get(URL, {"q": "138****0001"}).context["items"]  # the log keeps the number masked
    assert [i.object_label for i in by_text] == ["resident"]
    assert by_text[0].changes[0].label == "手机号"
    assert by_text[0].changes[0].new == "138****0001"

    today = timezone.localdate()
    recent = client.get(URL, {"date_from": today - dt.timedelta(days=1)}).context["items"]
    assert "old-timer" not in {i.actor for i in recent}
    back_then = client.get(
        URL, {"date_from": today - dt.timedelta(days=41), "date_to": today - dt.timedelta(days=39)}
    ).context["items"]
    assert [i.actor for i in back_then] == ["old-timer"]


def test_foreign_keys_are_shown_by_name(cast, tree, client_for):
    cast.resident.home_area = tree.grid_a
    cast.resident.save()
    items = client_for(cast.auditor).get(URL, {"kind": "change", "q": "resident"}).context["items"]
    change = next(c for i in items for c in i.changes if c.label == "居住地址（院落或楼栋）")
    assert (change.old, change.new) == ("一号院落", "第一网格")
    grant = next(i for i in items if i.object_type == "角色授权")
    assert {c.label: c.new for c in grant.changes}["用户"] == "resident"
    assert "ID" not in {c.label for c in grant.changes}


def test_a_reversed_date_range_is_reported_at_the_field(cast, client_for):
    response = client_for(cast.auditor).get(URL, {"date_from": "2025-05-02", "date_to": "2025-05-01"})
    assert response.status_code == 200
    assert response.context["form"].errors["date_to"] == ["结束日期不能早于开始日期。"]


def test_pages_of_fifty(cast, client_for):
    for i in range(60):
        AuditEvent.objects.create(kind=AuditEvent.Kind.LOGIN_FAILED, username=f"u{i:02d}")
    client = client_for(cast.auditor)
    first = client.get(URL, {"kind": "login_failed"})
    assert first.context["page"].paginator.count == 60
    assert len(first.context["items"]) == 50
    second = client.get(URL, {"kind": "login_failed", "page": 2})
    assert len(second.context["items"]) == 10
    assert {i.actor for i in first.context["items"]}.isdisjoint({i.actor for i in second.context["items"]})


def make_rows(n: int, cast, tree) -> None:
    homes = [tree.grid_a, tree.courtyard_a]
    for i in range(n):
        AuditEvent.objects.create(kind=AuditEvent.Kind.LOGIN_FAILED, username=f"x{i}", user=cast.worker)
        cast.resident.phone = f"1380000{i:04d}"
        cast.resident.home_area = homes[i % 2]
        cast.resident.save()


@pytest.mark.parametrize("rows", [3, 30])
def test_the_query_count_does_not_grow_with_rows(cast, tree, client_for, django_assert_max_num_queries, rows):
    make_rows(rows, cast, tree)
    client = client_for(cast.auditor)
    client.get(URL)  # warm the content type cache
    # session, user, grants (scope), count of the feed, one page of (timestamp, pk, source), the page's change
    # entries with actors and types, the areas and users their foreign keys name (one query each), its events
    # with users, the shell's unread count, the organizations the auditor leads (the scoping function, asked
    # once while the rows render): 11, the same bound for 3 rows and for 30.
    with django_assert_max_num_queries(11):
        response = client.get(URL)
    page = response.context["page"]
    assert page.paginator.count > 2 * rows  # the rows, the cast's own creation, the auditor's login
    assert len(response.context["items"]) == min(50, page.paginator.count)


# --- export --------------------------------------------------------------------------------------------


def test_the_export_is_an_xlsx_of_the_filtered_view_and_is_itself_audited(cast, client_for):
    failed_login("street_a")
    failed_login("street_b")
    record_export(user=cast.street_a, what="区域导出", count=12)
    client = client_for(cast.auditor)
    assert 'data-export="audit-log"' in client.get(URL, {"kind": "login_failed"}).content.decode()
    response = client.post(EXPORT + "?kind=login_failed")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("时间", "类别", "操作人")
    assert sorted(r[2] for r in rows[1:]) == ["street_a", "street_b"]
    assert {r[1] for r in rows[1:]} == {"登录失败"}

    export = AuditEvent.objects.filter(kind=AuditEvent.Kind.EXPORT, user=cast.auditor).get()
    assert export.count == 2
    assert export.unmasked is True
    assert export.what == "审计日志（列表导出）（kind=login_failed）"
    shown = client.get(URL, {"kind": "export"}).context["items"]
    assert {i.actor for i in shown} == {"auditor", "street_a"}
    assert any("12" in i.details and "已脱敏" in i.details for i in shown)


def test_the_export_is_refused_without_audit_view(cast, client_for):
    assert client_for(cast.street_a).post(EXPORT).status_code == 403
    assert not AuditEvent.objects.filter(kind=AuditEvent.Kind.EXPORT).exists()


def test_record_export_scopes_by_the_area_exported(cast, tree, people):
    event = record_export(user=cast.city, what="区域", count=3, area=tree.street_b)
    assert event.scope_path == tree.street_b.path
    assert record_export(user=cast.street_a, what="区域", count=1).scope_path == tree.street_a.path


def test_passwords_never_reach_the_page(cast, client_for):
    client = client_for(cast.auditor)
    client.post(reverse("accounts:login"), {"username": "worker", "password": PASSWORD + "x"})
    assert PASSWORD not in client.get(URL).content.decode()


def test_an_entry_naming_a_reverse_relation_still_renders(cast, tree, client_for):
    from grassroots.audit.services import record_change

    record_change(instance=tree.street_a, changes={"children": ("None", "areas.Area.None")})
    response = client_for(cast.auditor).get(URL, {"kind": "change", "q": "青江街道"})
    assert response.status_code == 200
    assert any(c.label == "children" for i in response.context["items"] for c in i.changes)


def test_every_tracked_field_is_named_in_chinese():
    """A tracked field whose model gives it no verbose name of its own ("member", "recorded by") is named
    by the audit page's FIELD_LABELS: no English field name on the page."""
    from auditlog.registry import auditlog
    from django.db.models import Field

    from grassroots.audit.selectors import _field_label

    for model, meta in auditlog._registry.items():
        for name in meta.get("include_fields") or [f.name for f in model._meta.concrete_fields]:
            model_field = model._meta.get_field(name)
            if isinstance(model_field, Field):
                label = _field_label(model_field, name)
                assert not label.isascii(), f"{model._meta.label}.{name}: {label}"


def test_values_read_as_the_user_knows_them_and_the_browser_in_short(cast, tree, client_for):
    from grassroots.audit.services import record_change

    record_change(instance=cast.resident, changes={"is_active": ("True", "False")})
    chrome = (
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/120.0.0.0 Safari/537.36"
    )
    Client(HTTP_USER_AGENT=chrome).post(reverse("accounts:login"), {"username": "resident", "password": "x"})
    response = client_for(cast.auditor).get(URL)
    change = next(c for i in response.context["items"] for c in i.changes if c.old == "是")
    assert change.new == "否" and change.label != "is_active"
    body = response.content.decode()
    assert "Chrome 120 · Windows" in body and f'title="{chrome}"' in body
    assert ">True<" not in body and "False" not in body


@pytest.mark.parametrize(
    ("agent", "short"),
    [
        (
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
            "Version/17.1 Mobile/15E148 Safari/604.1",
            "Safari 17 · iOS",
        ),
        (
            "Mozilla/5.0 (Linux; Android 13; V2183A) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/107.0 "
            "Mobile Safari/537.36 MicroMessenger/8.0.40.2420(0x28002837) NetType/WIFI",
            "微信 8 · Android",
        ),
        (
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 "
            "Safari/537.36 Edg/120.0.2210.91",
            "Edge 120 · Windows",
        ),
        ("Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0", "Firefox 121 · Linux"),
        ("curl/8.5.0", "curl 8"),
        ("", ""),
        ("SomeBot/1.0 (+http://example.com)", "SomeBot/1.0"),
    ],
)
def test_a_user_agent_in_short(agent, short):
    from grassroots.audit.agents import summary

    assert summary(agent) == short


def test_a_grade_reads_as_its_label():
    """An agency head's review keeps its grade as a code ("good"): the page shows 好."""
    from grassroots.audit.selectors import _display
    from grassroots.core.assessments.models import AgencyHeadReview

    assert _display(AgencyHeadReview._meta.get_field("grade"), "good", {}) == "好"


def test_a_large_log_export_runs_in_the_background_for_its_auditor_only(cast, client_for, settings):
    from grassroots.imports.models import ExportJob
    from grassroots.imports.runner import run_export_job

    failed_login("street_a")
    failed_login("street_b")
    settings.EXPORTS_SYNC_MAX_ROWS = 1
    client = client_for(cast.auditor)
    response = client.post(EXPORT + "?kind=login_failed")
    job = ExportJob.objects.get(kind="audit-log")
    assert response.status_code == 302 and response.url == reverse("imports:export_detail", args=[job.pk])
    assert run_export_job(job_id=job.pk).status == "done"
    download = client.get(reverse("imports:export_download", args=[job.pk]))
    rows = list(
        load_workbook(BytesIO(b"".join(download.streaming_content))).active.iter_rows(values_only=True)
    )
    assert sorted(r[2] for r in rows[1:]) == ["street_a", "street_b"]
    assert client_for(cast.street_a).get(reverse("imports:export_detail", args=[job.pk])).status_code == 404
