"""An admission request: a department (a county or city official filing for it) → street review → county
approval (the affair enters the catalog) or refusal with a reason at either step; the timeline is kept."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from grassroots.core.admission.models import AdmittedAffair, RequestState
from grassroots.workflow.engine import TransitionRefused
from grassroots.workflow.models import Notification
from grassroots.workflow.selectors import pending_for, timeline
from grassroots.workflow.services import transition


def test_filed_reviewed_approved(cast, tree, county, county2, file, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        request = file()
    assert request.state == RequestState.SUBMITTED and request.filed_by == county
    # 青江街道's officials are asked to review it (东城街道's are not).
    assert list(Notification.objects.values_list("recipient__username", flat=True)) == ["street_a"]
    assert [p.title for p in pending_for(cast.street_a)] == ["社区事务准入申请：高龄津贴资格认证（青江街道）"]
    assert pending_for(cast.street_b) == []
    with pytest.raises(TransitionRefused):
        transition(request, "review", actor=cast.street_b)
    with pytest.raises(TransitionRefused):
        transition(request, "approve", actor=county2)  # the street first
    with django_capture_on_commit_callbacks(execute=True):
        transition(request, "review", actor=cast.street_a, comment="同意，社区有承接能力")
    assert request.state == RequestState.REVIEWED and request.reviewed_by == cast.street_a
    assert Notification.objects.filter(recipient=county2, verb__contains="请审批").exists()
    # The person who filed it does not approve it; another county official does.
    with pytest.raises(TransitionRefused) as refused:
        transition(request, "approve", actor=county)
    assert refused.value.code == "permission"
    assert [p.title for p in pending_for(county)] == []
    assert len(pending_for(county2)) == 1
    with pytest.raises(TransitionRefused):
        transition(request, "approve", actor=cast.street_a)  # a street does not approve
    with django_capture_on_commit_callbacks(execute=True):
        transition(request, "approve", actor=county2, comment="批准")
    affair = AdmittedAffair.objects.get()
    assert (affair.area, affair.name, affair.request, affair.created_by) == (
        tree.street_a,
        "高龄津贴资格认证",
        request,
        county2,
    )
    assert affair.funds_per_community == Decimal("8000.00") and affair.powers == "入户核验、出具认证意见"
    assert Notification.objects.filter(recipient=county, verb__contains="已批准纳入").exists()
    assert [e.log.transition for e in timeline(request)] == ["start", "review", "approve"]
    assert [e.label for e in timeline(request)] == ["提交申请", "街道审核通过，报县级审批", "批准准入"]


def test_refused_at_the_street_with_a_reason(cast, county, file, django_capture_on_commit_callbacks):
    request = file()
    with pytest.raises(TransitionRefused) as refused:
        transition(request, "refuse_at_street", actor=cast.street_a)
    assert refused.value.code == "comment_required"
    with django_capture_on_commit_callbacks(execute=True):
        transition(request, "refuse_at_street", actor=cast.street_a, comment="未明确经费来源")
    assert request.state == RequestState.REFUSED and request.refusal_reason == "未明确经费来源"
    assert Notification.objects.filter(recipient=county, verb__contains="未明确经费来源").exists()
    assert not AdmittedAffair.objects.exists()
    with pytest.raises(TransitionRefused):
        transition(request, "review", actor=cast.street_a)  # refused is final


def test_refused_by_the_county(cast, county, county2, file):
    request = file(actor=cast.city, department="市住建局")  # a city department files for a street
    transition(request, "review", actor=cast.street_a)
    transition(request, "refuse", actor=county2, comment="属于部门职责，不应下沉社区")
    assert request.state == RequestState.REFUSED and request.decided_by == county2
    assert not AdmittedAffair.objects.exists()
    assert [e.log.transition for e in timeline(request)] == ["start", "review", "refuse"]


def test_who_may_file(cast, tree, county, file):
    for person in (cast.street_a, cast.secretary, cast.street_b):
        with pytest.raises(PermissionDenied):
            file(actor=person)
    with pytest.raises(ValidationError) as refused:
        file(area=tree.community_a)
    assert "area" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        file(funds_per_community=Decimal("-1"))
    assert "funds_per_community" in refused.value.message_dict


def test_pages(cast, tree, county, county2, file, client_for):
    request = file()
    url = reverse("admission:request_detail", args=[request.pk])
    street = client_for(cast.street_a)
    page = street.get(url)
    assert page.status_code == 200 and "街道审核通过，报县级审批" in page.content.decode()
    # A request belongs to the street (its subtree rule): another street, a community, a resident → 404.
    for outsider in (cast.street_b, cast.secretary, cast.resident):
        assert client_for(outsider).get(url).status_code == 404
    assert client_for(cast.auditor).get(url).status_code == 200
    pending = street.get(reverse("admission:request_list"))
    assert [r.pk for r in pending.context["page_obj"]] == [request.pk]
    assert (
        list(client_for(cast.street_b).get(reverse("admission:request_list") + "?state=").context["page_obj"])
        == []
    )
    # Steps through the generic workflow view.
    from django.contrib.contenttypes.models import ContentType

    ct = ContentType.objects.get_for_model(request).pk
    review = reverse("workflow:transition", args=[ct, request.pk, "review"])
    assert client_for(cast.street_b).post(review).status_code == 404
    assert street.post(review, {"comment": "同意"}).status_code == 302
    request.refresh_from_db()
    assert request.state == RequestState.REVIEWED


def test_request_form(cast, tree, county, client_for):
    client = client_for(county)
    url = reverse("admission:request_create")
    page = client.get(url)
    assert list(page.context["form"].fields["area"].queryset) == [tree.street_a, tree.street_b]
    data = {
        "area": tree.street_a.pk,
        "department": "雨城区卫健委",
        "name": "家庭医生签约宣传",
        "legal_basis": "国家卫健委文件",
        "justification": "需社区协助宣传",
        "powers": "组织宣传活动",
        "funds_per_community": "-5",
        "valid_from": "2026-01-01",
        "valid_to": "2025-01-01",
    }
    response = client.post(url, data)
    assert set(response.context["form"].errors) == {"funds_per_community"}
    response = client.post(url, {**data, "funds_per_community": "3000"})
    assert response.context["form"].errors == {"valid_to": ["有效期至不能早于有效期自。"]}
    response = client.post(url, {**data, "funds_per_community": "3000", "valid_to": ""})
    assert response.status_code == 302
    assert client_for(cast.street_a).get(url).status_code == 403
