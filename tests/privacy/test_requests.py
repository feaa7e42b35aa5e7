"""Correction and deletion requests: a workflow record (submitted → done / refused, with its log), routed to
the handlers of the person's area (privacy.handle), invisible to others (street_b: 404). A deletion, once
completed, deletes what may go and pseudonymises what must be kept, each step an audit event, and the
audit chain still verifies."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType

from grassroots.accounts.models import ResidentVerification, RoleGrant, User
from grassroots.audit import chain
from grassroots.audit.models import AuditEvent
from grassroots.core.members.models import Member
from grassroots.gatherings.models import Participant
from grassroots.privacy import registry
from grassroots.privacy.models import DataRequest, RequestState
from grassroots.privacy.services import submit_request
from grassroots.workflow.models import Notification, TransitionLog
from grassroots.workflow.services import transition
from tests.concurrency import race, server_db_only
from tests.factories import PASSWORD


def transition_url(record, name: str) -> str:
    content_type = ContentType.objects.get_for_model(DataRequest)
    return f"/workflow/{content_type.pk}/{record.pk}/{name}/"


@pytest.fixture
def correction(resident):
    return submit_request(user=resident, kind="correction", details="手机号应为 13800005678")


def test_a_correction_is_submitted_from_the_page_and_routed(
    resident, cast, client_for, django_capture_on_commit_callbacks
):
    client = client_for(resident)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/privacy/requests/new/", {"kind": "correction", "details": "姓名写错了"})
    record = DataRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == record.get_absolute_url()
    assert record.area.name == "一号院落" and record.state == RequestState.SUBMITTED
    assert TransitionLog.objects.filter(object_id=record.pk, transition="start").exists()
    told = set(
        Notification.objects.filter(verb__contains="请办理").values_list("recipient__username", flat=True)
    )
    assert told == {"secretary", "street_a", "city", "admin"}  # not the worker, not street_b
    assert client.get(record.get_absolute_url()).status_code == 200


def test_a_correction_needs_its_details_and_one_open_at_a_time(resident, client_for):
    client = client_for(resident)
    client.post("/privacy/requests/new/", {"kind": "correction", "details": ""})
    assert not DataRequest.objects.exists()
    client.post("/privacy/requests/new/", {"kind": "correction", "details": "a"})
    client.post("/privacy/requests/new/", {"kind": "correction", "details": "b"})
    assert DataRequest.objects.count() == 1


def test_handlers_in_scope_see_it_outsiders_do_not(correction, cast, client_for):
    secretary = client_for(cast.secretary)
    assert "更正申请" in secretary.get("/privacy/requests/").content.decode()
    assert secretary.get(correction.get_absolute_url()).status_code == 200
    street_b = client_for(cast.street_b)
    assert "更正申请" not in street_b.get("/privacy/requests/").content.decode()
    assert street_b.get(correction.get_absolute_url()).status_code == 404
    assert street_b.post(transition_url(correction, "complete"), {"comment": "x"}).status_code == 404
    assert client_for(cast.worker).get("/privacy/requests/").status_code == 403
    assert client_for(cast.worker).get(correction.get_absolute_url()).status_code == 404
    correction.refresh_from_db()
    assert correction.state == RequestState.SUBMITTED


def test_a_handler_completes_a_correction(correction, cast, client_for, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(cast.secretary).post(
            transition_url(correction, "complete"), {"comment": "已将手机号更正为 138****5678"}
        )
    assert response.status_code == 302
    correction.refresh_from_db()
    assert correction.state == RequestState.DONE and correction.decided_by == cast.secretary
    assert Notification.objects.filter(recipient=correction.user, verb__contains="已办结").exists()


def test_a_refusal_needs_a_reason(correction, cast):
    from grassroots.workflow.services import TransitionRefused

    with pytest.raises(TransitionRefused):
        transition(correction, "refuse", actor=cast.street_a, comment="")
    transition(correction, "refuse", actor=cast.street_a, comment="信息与户籍一致，无需更正")
    correction.refresh_from_db()
    assert correction.state == RequestState.REFUSED and correction.reply.startswith("信息与户籍")


def test_nobody_decides_their_own_request(cast, tree):
    record = submit_request(user=cast.street_a, kind="deletion")
    from grassroots.workflow.services import TransitionRefused

    with pytest.raises(TransitionRefused):
        transition(record, "complete", actor=cast.street_a)
    assert record.area == tree.street_a


def test_a_deletion_pseudonymises_what_is_kept_and_deletes_the_rest(resident, cast, client):
    member_pk = resident.member_record.pk
    record = submit_request(user=resident, kind="deletion", details="不再使用平台")
    transition(record, "complete", actor=cast.admin, comment="已按规定处理")
    record.refresh_from_db()
    assert record.state == RequestState.DONE

    person = User.objects.get(pk=resident.pk)
    assert person.username == f"deleted-{person.pk}" and "王小明" not in person.full_name
    assert (person.phone, person.email, person.is_active) == ("", "", False)
    assert not person.has_usable_password()
    assert not client.login(username="resident", password=PASSWORD)
    assert not RoleGrant.objects.filter(user=person).exists()
    assert not Notification.objects.filter(recipient=person).exists()
    pseudonym = record.user  # the kept records' account now (tests/privacy/test_pseudonym.py)
    assert pseudonym != person and not pseudonym.is_active
    verification = ResidentVerification.objects.get(user=pseudonym)
    assert (verification.full_name, verification.phone) == (pseudonym.full_name, "")
    member = Member.objects.get(pk=member_pk)
    assert (
        member.name == pseudonym.full_name
        and member.user == pseudonym
        and member.id_number == "ERASED"
        and member.id_hash == f"erased:{member.pk}"
    )
    assert member.phone in (None, "") and member.id_masked == "" and member.phone_masked == ""
    assert Participant.objects.filter(user=pseudonym).count() == 1  # attendance is kept

    steps = list(AuditEvent.objects.filter(kind=AuditEvent.Kind.PERSONAL_DATA).order_by("pk"))
    erasing = [entry for entry in registry.entries() if entry.erase is not None]
    # one step per part, the audit trail's own redaction (tests/audit/test_redaction.py), the move
    assert len(steps) == len(erasing) + 2 and all(s.user == cast.admin for s in steps)
    assert any("党员信息：假名化 1 条" in s.what for s in steps)
    assert any("角色授权：删除 1 条" in s.what for s in steps)
    assert "账号：假名化 1 条" in record.outcome
    assert chain.verify().ok


def test_the_api(resident, cast, api_for):
    api = api_for(resident)
    response = api.post("/api/data-requests/", {"kind": "correction", "details": "住址有误"}, format="json")
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    assert api.post("/api/data-requests/", {"kind": "other"}, format="json").status_code == 400
    assert [r["id"] for r in api.get("/api/data-requests/").json()["results"]] == [pk]
    outsider = api_for(cast.street_b)
    assert outsider.get(f"/api/data-requests/{pk}/").status_code == 404
    assert (
        outsider.post(f"/api/data-requests/{pk}/transitions/complete/", {}, format="json").status_code == 404
    )
    handler = api_for(cast.secretary)
    assert handler.get(f"/api/data-requests/{pk}/").status_code == 200
    done = handler.post(
        f"/api/data-requests/{pk}/transitions/complete/", {"comment": "已更正"}, format="json"
    )
    assert done.status_code == 200 and done.json()["state"] == "done"


def test_the_requests_export_holds_the_handlers_rows_and_none_of_another_street(
    correction, cast, tree, client_for
):
    from django.urls import reverse

    from tests.factories import make_user
    from tests.imports.helpers import read_xlsx

    outsider = make_user("resident_b2", "resident", tree.community_b, home_area=tree.community_b)
    submit_request(user=outsider, kind="correction", details="东城的更正")
    client = client_for(cast.street_a)
    page = client.get(reverse("privacy:requests")).content.decode()
    assert 'data-export="privacy-requests"' in page
    response = client.post(reverse("imports:list_export", args=["privacy-requests"]) + "?state=submitted")
    assert response.status_code == 200
    rows = read_xlsx(b"".join(response.streaming_content))["个人信息申请"]
    assert rows[0] == ["申请", "申请人", "区域", "提交时间", "状态"]
    assert [(r[1], r[2]) for r in rows[1:]] == [
        (correction.user.display_name, correction.area.name)
    ]  # no 东城
    assert "13800005678" not in str(rows)  # the details are not on the list, nor in the file
    assert (
        client_for(cast.worker).post(reverse("imports:list_export", args=["privacy-requests"])).status_code
        == 403
    )


@server_db_only
@pytest.mark.django_db(transaction=True)
def test_six_identical_requests_at_once_file_one(resident, client_for):
    """privacy_one_open_request holds when the posts race: one request, every post answered (never a 500)."""
    clients = [client_for(resident) for _ in range(6)]
    codes: list[int] = []

    def post(client):
        codes.append(client.post("/privacy/requests/new/", {"kind": "deletion", "details": ""}).status_code)

    assert race(post, clients) == ["ok"] * 6
    assert codes == [302] * 6 and DataRequest.objects.filter(user=resident).count() == 1
