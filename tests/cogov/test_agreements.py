"""Co-building agreements: commitments of both sides, status by date, the clock's reminder 30 days ahead
(once), renewal (once), early end, the signed file served only to those who see the agreement."""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from grassroots.cogov import services
from grassroots.cogov.models import Agreement, AgreementStatus, Side
from grassroots.workflow.models import Notification

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_each_side_commits_and_the_term_is_checked(co, cast, today):
    base = {
        "actor": cast.secretary,
        "party_org": co.org,
        "partner": co.school,
        "title": "共建",
        "signed_on": today,
        "starts_on": today,
    }
    with pytest.raises(ValidationError) as exc:
        services.sign_agreement(**base, ends_on=today - timedelta(days=1), commitments=[(Side.ORG, "场地")])
    assert set(exc.value.message_dict) == {"ends_on", "commitments"}
    assert "共建单位一方" in " ".join(exc.value.message_dict["commitments"])
    # street B's organization, or another street's partner, are refused at their field
    with pytest.raises(ValidationError) as exc:
        services.sign_agreement(
            **{**base, "party_org": co.org_b, "partner": co.other},
            ends_on=today,
            commitments=[(Side.ORG, "a"), (Side.PARTNER, "b")],
        )
    assert set(exc.value.message_dict) == {"party_org", "partner"}


def test_status_follows_the_dates(co, today):
    a = co.agreement
    assert a.status_on(today) == AgreementStatus.ACTIVE
    assert a.status_on(a.ends_on - timedelta(days=30)) == AgreementStatus.EXPIRING
    assert a.status_on(a.ends_on - timedelta(days=31)) == AgreementStatus.ACTIVE
    assert a.status_on(a.ends_on + timedelta(days=1)) == AgreementStatus.ENDED
    assert a.status_on(a.starts_on - timedelta(days=1)) == AgreementStatus.UPCOMING
    for day, status in (
        (today, "active"),
        (a.ends_on - timedelta(days=3), "expiring"),
        (a.ends_on + timedelta(days=1), "ended"),
    ):
        assert list(Agreement.objects.with_status(status, day)) == [a], (day, status)


def test_expiry_reminded_once_30_days_ahead_by_the_clock(co, cast, django_capture_on_commit_callbacks):
    a = co.agreement
    with django_capture_on_commit_callbacks(execute=True):
        assert services.remind_expiring_agreements(today=a.ends_on - timedelta(days=31)) == 0
        assert services.remind_expiring_agreements(today=a.ends_on - timedelta(days=30)) == 1
        assert services.remind_expiring_agreements(today=a.ends_on - timedelta(days=29)) == 0
    reminded = set(
        Notification.objects.filter(verb__contains="将于").values_list("recipient__username", flat=True)
    )
    assert {"secretary", "worker", "street_a", "rep"} <= reminded
    assert "street_b" not in reminded
    assert Notification.objects.filter(recipient=cast.secretary, verb__contains="将于").count() == 1


def test_the_clock_task_runs_the_reminder(co, cast):
    from grassroots.cogov.tasks import remind_expiring_agreements

    with time_machine.travel(co.agreement.ends_on - timedelta(days=10), tick=False):
        assert remind_expiring_agreements.call() == 1
        assert remind_expiring_agreements.call() == 0


def test_renewal_once_and_no_reminder_for_a_renewed_one(co, cast, today):
    renewal = services.renew_agreement(
        actor=cast.secretary,
        agreement=co.agreement,
        ends_on=co.agreement.ends_on + timedelta(days=365),
        signed_on=today,
    )
    assert renewal.renewed_from == co.agreement
    assert renewal.starts_on == co.agreement.ends_on + timedelta(days=1)
    assert [c.text for c in renewal.commitments.all()] == [c.text for c in co.agreement.commitments.all()]
    with pytest.raises(ValidationError):
        services.renew_agreement(
            actor=cast.secretary, agreement=co.agreement, ends_on=renewal.ends_on, signed_on=today
        )
    assert services.remind_expiring_agreements(today=co.agreement.ends_on - timedelta(days=5)) == 0


def test_end_early_with_a_reason(co, cast, today):
    with pytest.raises(ValidationError):
        services.end_agreement(actor=cast.secretary, agreement=co.agreement, reason=" ")
    services.end_agreement(actor=cast.secretary, agreement=co.agreement, reason="单位搬迁")
    assert co.agreement.status == AgreementStatus.ENDED


def test_pages_file_and_cast(co, cast, client_for, today, tree):
    client = client_for(cast.secretary)
    assert client.get("/cogov/agreements/new/").status_code == 200
    answer = client.post(
        "/cogov/agreements/new/",
        {
            "party_org": co.org.pk,
            "partner": co.school.pk,
            "title": "桥楼社区—桥楼小学共建协议",
            "starts_on": today.isoformat(),
            "ends_on": (today + timedelta(days=20)).isoformat(),
            "signed_on": today.isoformat(),
            "org_commitments": "提供场地\n组织党员志愿者",
            "partner_commitments": "开放操场",
            "file": SimpleUploadedFile("协议.pdf", PDF, content_type="application/pdf"),
        },
    )
    assert answer.status_code == 302, answer.content.decode()[:2000]
    agreement = Agreement.objects.get(partner=co.school)
    assert agreement.status == AgreementStatus.EXPIRING and agreement.file_name == "协议.pdf"
    assert agreement.commitments.count() == 3
    page = client.get(agreement.get_absolute_url()).content.decode()
    assert "即将到期" in page and "开放操场" in page
    assert client.get(f"/cogov/agreements/{agreement.pk}/file/").status_code == 200
    assert client_for(cast.street_b).get(f"/cogov/agreements/{agreement.pk}/file/").status_code == 404
    assert client_for(co.rep).get(agreement.get_absolute_url()).status_code == 404  # not their partner's
    assert client_for(co.rep).get(co.agreement.get_absolute_url()).status_code == 200
    assert (
        client_for(co.rep)
        .post(co.agreement.get_absolute_url(), {"action": "end", "end-reason": "x"})
        .status_code
        == 403
    )
    ended = client.post(agreement.get_absolute_url(), {"action": "end", "end-reason": "不再合作"})
    assert ended.status_code == 302
    agreement.refresh_from_db()
    assert agreement.terminated_on == today
    listing = client.get("/cogov/agreements/?status=ended").content.decode()
    assert "桥楼小学共建协议" in listing and "雅安茶业共建协议" not in listing


def test_agreement_list_query_count(co, cast, client_for, django_assert_max_num_queries):
    client = client_for(cast.secretary)
    client.get("/cogov/agreements/")
    with django_assert_max_num_queries(12):
        assert client.get("/cogov/agreements/").status_code == 200


def test_api_agreements(co, cast, api_for, today):
    body = {
        "party_org": co.org.pk,
        "partner": co.school.pk,
        "title": "共建",
        "starts_on": today.isoformat(),
        "ends_on": (today + timedelta(days=100)).isoformat(),
        "signed_on": today.isoformat(),
        "commitments": [{"side": "org", "text": "场地"}, {"side": "partner", "text": "讲座"}],
    }
    created = api_for(cast.secretary).post("/api/agreements/", body, format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["status"] == "active" and len(created.json()["commitments"]) == 2
    pk = created.json()["id"]
    assert (
        api_for(cast.street_b)
        .post("/api/agreements/", {**body, "party_org": co.org_b.pk}, format="json")
        .status_code
        == 400
    )
    assert (
        api_for(cast.street_b).post(f"/api/agreements/{pk}/end/", {"reason": "x"}, format="json").status_code
        == 404
    )
    assert [a["id"] for a in api_for(co.rep).get("/api/agreements/").json()["results"]] == [co.agreement.pk]
    renewed = api_for(cast.secretary).post(
        f"/api/agreements/{pk}/renew/",
        {"ends_on": (today + timedelta(days=500)).isoformat(), "signed_on": today.isoformat()},
        format="json",
    )
    assert renewed.status_code == 201 and renewed.json()["renewed_from"] == pk
    assert (
        api_for(cast.secretary)
        .post(f"/api/agreements/{pk}/end/", {"reason": "搬迁"}, format="json")
        .status_code
        == 200
    )
