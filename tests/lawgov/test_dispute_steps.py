"""The case page's step forms, posted through the test client as a mediator would: a session, the start,
the settlement with its signed file, the follow-up visit; escalation community → street → county; a referral
between kinds; closing with advice. Refusals come back at the form's fields in Chinese (400, nothing
written); a mediator of another street gets 404 and changes nothing."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from grassroots.lawgov.models_disputes import Dispute, DisputeState


def _url(dispute, step):
    return f"/lawgov/disputes/{dispute.pk}/steps/{step}/"


def _session(client, dispute):
    held = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    body = {"held_at": held, "place": "社区调解室", "mediator_names": "张调解", "record": "双方陈述。"}
    return client.post(_url(dispute, "session"), body)


def test_the_case_page_offers_the_forms_of_the_steps_only_to_its_mediators(
    client_for, cast, mediators, dispute
):
    url = f"/lawgov/disputes/{dispute.pk}/"
    page = client_for(mediators.community).get(url).content.decode()
    for step in ("session", "start", "escalate", "refer", "close"):
        assert f"/steps/{step}/" in page
    assert "/steps/settle/" not in page  # only once mediating
    assert "/steps/" not in client_for(cast.resident).get(url).content.decode()


def test_session_start_settle_with_file_and_visit_through_the_forms(
    client_for, mediators, dispute, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    mediator = client_for(mediators.community)
    # starting before a session at this level is refused with the step's reason
    refused = mediator.post(_url(dispute, "start"), {"comment": ""})
    assert refused.status_code == 400 and "请先安排本级的调解会。" in refused.content.decode()
    assert _session(mediator, dispute).status_code == 302
    assert dispute.sessions.count() == 1
    assert mediator.post(_url(dispute, "start"), {"comment": "双方同意调解"}).status_code == 302
    dispute.refresh_from_db()
    assert dispute.state == DisputeState.MEDIATING
    empty = mediator.post(_url(dispute, "settle"), {"text": ""})
    assert empty.status_code == 400
    assert "请填写调解协议内容。" in empty.content.decode()
    agreement = SimpleUploadedFile("协议.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    done = mediator.post(_url(dispute, "settle"), {"text": "楼上修缮并赔偿500元。", "file": agreement})
    assert done.status_code == 302
    dispute.refresh_from_db()
    assert dispute.state == DisputeState.SETTLED and dispute.agreement_file
    assert dispute.agreement_text == "楼上修缮并赔偿500元。"
    missing = mediator.post(_url(dispute, "visit"), {"note": "已修好"})
    assert missing.status_code == 400 and "请选择协议是否已履行。" in missing.content.decode()
    assert mediator.post(_url(dispute, "visit"), {"note": "已修好", "carried_out": "yes"}).status_code == 302
    dispute.refresh_from_db()
    assert dispute.state == DisputeState.VISITED and dispute.carried_out is True


def test_escalated_community_to_street_to_county_through_the_forms(client_for, mediators, dispute, tree):
    number = dispute.number
    community = client_for(mediators.community)
    no_reason = community.post(_url(dispute, "escalate"), {"reason": ""})
    assert no_reason.status_code == 400 and "请填写上移的理由。" in no_reason.content.decode()
    assert community.post(_url(dispute, "escalate"), {"reason": "双方分歧大"}).status_code == 302
    dispute.refresh_from_db()
    assert dispute.handler == tree.street_a and dispute.state == DisputeState.RECEIVED
    # the community's mediators no longer handle it; the street's do
    assert community.post(_url(dispute, "escalate"), {"reason": "再上移"}).status_code in (400, 404)
    street = client_for(mediators.street)
    assert street.post(_url(dispute, "escalate"), {"reason": "涉及多个部门"}).status_code == 302
    dispute.refresh_from_db()
    assert dispute.handler == tree.county and dispute.number == number
    county = client_for(mediators.county)
    top = county.post(_url(dispute, "escalate"), {"reason": "还要上移"})
    assert top.status_code == 400 and "县（区）级已是最高层级" in top.content.decode()
    assert list(dispute.stages.order_by("pk").values_list("level", flat=True)) == [4, 3, 2]


def test_refer_and_close_through_the_forms(client_for, mediators, dispute):
    mediator = client_for(mediators.community)
    same = mediator.post(_url(dispute, "refer"), {"kind": "peoples", "reason": "x"})
    assert same.status_code == 400 and "请选择另一种调解类型。" in same.content.decode()
    assert (
        mediator.post(
            _url(dispute, "refer"), {"kind": "administrative", "reason": "涉及行政管理"}
        ).status_code
        == 302
    )
    dispute.refresh_from_db()
    assert dispute.kind == "administrative" and dispute.stages.count() == 2
    no_advice = mediator.post(_url(dispute, "close"), {"advice": "", "reason": "无法调解"})
    assert no_advice.status_code == 400 and "请选择终结建议。" in no_advice.content.decode()
    assert (
        mediator.post(_url(dispute, "close"), {"advice": "litigation", "reason": "无法调解"}).status_code
        == 302
    )
    dispute.refresh_from_db()
    assert dispute.state == DisputeState.CLOSED and dispute.advice == "litigation"


@pytest.mark.parametrize("step", ["session", "start", "escalate", "refer", "close", "settle", "visit"])
def test_a_mediator_of_another_street_gets_404_and_changes_nothing(client_for, mediators, dispute, step):
    before = Dispute.objects.values().get(pk=dispute.pk)
    response = client_for(mediators.other_street).post(
        _url(dispute, step), {"reason": "x", "kind": "judicial", "advice": "litigation", "place": "x"}
    )
    assert response.status_code == 404
    assert Dispute.objects.values().get(pk=dispute.pk) == before
    assert dispute.sessions.count() == 0


def test_a_party_who_sees_the_case_cannot_take_its_steps(client_for, cast, dispute):
    response = client_for(cast.resident).post(_url(dispute, "escalate"), {"reason": "我要上移"})
    assert response.status_code == 400
    assert "您没有权限对该记录执行“上移下一级”。" in response.content.decode()
    dispute.refresh_from_db()
    assert dispute.stages.count() == 1


def test_assigning_mediators_on_the_page_and_in_the_api(client_for, api_for, mediators, dispute, tree):
    from grassroots.accounts.roles import Role
    from tests.factories import make_user

    second = make_user("med_community_2", Role.MEDIATOR, tree.community_a)
    page = client_for(mediators.community)
    form = page.get(f"/lawgov/disputes/{dispute.pk}/").content.decode()
    assert f'value="{second.pk}"' in form and f'value="{mediators.other_street.pk}"' not in form
    outsider = page.post(_url(dispute, "mediators"), {"mediators": [mediators.other_street.pk]})
    assert outsider.status_code == 400 and "请选择承办单位的调解员。" in outsider.content.decode()
    assert not dispute.mediators.exists()
    assert page.post(_url(dispute, "mediators"), {"mediators": [second.pk]}).status_code == 302
    assert list(dispute.mediators.all()) == [second]
    api = api_for(mediators.community)
    url = f"/api/disputes/{dispute.pk}/mediators/"
    refused = api.post(url, {"users": [mediators.other_street.pk]}, format="json")
    assert refused.status_code == 400 and "users" in refused.json()["errors"]
    assert api.post(url, {"users": [mediators.community.pk, second.pk]}, format="json").status_code == 200
    assert set(dispute.mediators.all()) == {mediators.community, second}
    assert api_for(mediators.other_street).post(url, {"users": [second.pk]}, format="json").status_code == 404
