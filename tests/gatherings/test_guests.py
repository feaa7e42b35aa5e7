"""Participants without an account (其他参会方: the property company, a unit concerned, a resident
representative without a smartphone) are added and removed by a gathering's organizers, on the page and
through the API, and listed with the minutes and on the attendance sheet. Another community's worker gets
404 and changes nothing; a resident who sees the gathering gets 403."""

from __future__ import annotations

import pytest

from grassroots.accounts.roles import Role
from grassroots.gatherings import services
from grassroots.gatherings.models import Guest
from tests.factories import make_user

API = "/api/gatherings/"


@pytest.fixture
def worker_b(tree):
    return make_user("worker_b", Role.COMMUNITY_WORKER, tree.community_b)


@pytest.fixture
def hearing(make_gathering):
    return make_gathering(kind="hearing", title="加装电梯听证会")


def test_page_adds_lists_and_removes_guests(cast, hearing, client_for):
    worker = client_for(cast.worker)
    url = f"/gatherings/{hearing.pk}/guests/"
    body = {"name": "张三", "organization": "雅安安居物业公司", "role": "物业公司代表"}
    response = worker.post(url, body, follow=True)
    assert response.status_code == 200
    guest = Guest.objects.get(gathering=hearing)
    assert (guest.name, guest.organization, guest.role, guest.added_by) == (
        "张三",
        "雅安安居物业公司",
        "物业公司代表",
        cast.worker,
    )
    assert "已添加参会方：张三（雅安安居物业公司，物业公司代表）。" in response.content.decode()

    # the same name again: refused with the reason, nothing added
    response = worker.post(url, body, follow=True)
    assert "张三 已在参会名单中。" in response.content.decode()
    assert Guest.objects.filter(gathering=hearing).count() == 1
    # a blank name: the form's message
    response = worker.post(url, {"name": " ", "role": "居民代表"}, follow=True)
    assert Guest.objects.filter(gathering=hearing).count() == 1

    services.record_minutes(actor=cast.worker, gathering=hearing, minutes="讨论加装电梯方案。")
    detail = worker.get(f"/gatherings/{hearing.pk}/").content.decode()
    assert "其他参会方：张三（雅安安居物业公司，物业公司代表）" in detail  # with the minutes
    assert f"/gatherings/{hearing.pk}/guests/{guest.pk}/remove/" in detail
    sheet = worker.get(f"/gatherings/{hearing.pk}/attendance/").content.decode()
    assert "张三（雅安安居物业公司，物业公司代表）" in sheet

    response = worker.post(f"/gatherings/{hearing.pk}/guests/{guest.pk}/remove/", follow=True)
    assert response.status_code == 200 and "已移除参会方" in response.content.decode()
    assert not Guest.objects.filter(gathering=hearing).exists()


def test_page_refuses_other_communities_and_residents(cast, hearing, worker_b, client_for):
    guest = services.add_guest(actor=cast.worker, gathering=hearing, name="物业公司")
    outsider = client_for(worker_b)
    assert outsider.post(f"/gatherings/{hearing.pk}/guests/", {"name": "外人"}).status_code == 404
    assert outsider.post(f"/gatherings/{hearing.pk}/guests/{guest.pk}/remove/").status_code == 404
    resident = client_for(cast.resident)
    assert resident.post(f"/gatherings/{hearing.pk}/guests/", {"name": "外人"}).status_code == 403
    assert resident.post(f"/gatherings/{hearing.pk}/guests/{guest.pk}/remove/").status_code == 403
    assert list(Guest.objects.values_list("name", flat=True)) == ["物业公司"]


def test_a_guest_of_another_gathering_is_not_found_through_this_one(
    cast, hearing, make_gathering, client_for
):
    other = make_gathering(title="另一场会")
    guest = services.add_guest(actor=cast.worker, gathering=other, name="物业公司")
    response = client_for(cast.worker).post(f"/gatherings/{hearing.pk}/guests/{guest.pk}/remove/")
    assert response.status_code == 404 and Guest.objects.filter(pk=guest.pk).exists()


def test_api_adds_lists_and_removes_guests(cast, hearing, worker_b, api_for):
    api = api_for(cast.worker)
    url = f"{API}{hearing.pk}/guests/"
    response = api.post(url, {"name": "雨城区住建局", "role": "相关单位"}, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["name"] == "雨城区住建局" and response.json()["organization"] == ""
    response = api.post(url, {"name": "李四", "organization": "二号院落", "role": "居民代表"}, format="json")
    assert response.status_code == 201
    person = response.json()["id"]
    response = api.post(url, {"name": "李四"}, format="json")
    assert response.status_code == 400 and response.json()["errors"] == {"name": ["李四 已在参会名单中。"]}
    response = api.post(url, {"name": ""}, format="json")
    assert response.status_code == 400 and "name" in response.json()["errors"]
    rows = api.get(url).json()
    assert [(r["name"], r["role"]) for r in rows] == [("雨城区住建局", "相关单位"), ("李四", "居民代表")]

    # outsiders: 404 (another community's worker), 403 (a resident who sees it); nothing changed
    assert api_for(worker_b).get(url).status_code == 404
    assert api_for(worker_b).post(url, {"name": "外人"}, format="json").status_code == 404
    gone = api_for(worker_b).post(f"{API}{hearing.pk}/remove-guest/", {"guest": person}, format="json")
    assert gone.status_code == 404
    assert api_for(cast.resident).get(url).status_code == 403
    assert api_for(cast.resident).post(url, {"name": "外人"}, format="json").status_code == 403
    assert Guest.objects.filter(gathering=hearing).count() == 2

    response = api.post(f"{API}{hearing.pk}/remove-guest/", {"guest": person}, format="json")
    assert response.status_code == 200 and [r["name"] for r in response.json()] == ["雨城区住建局"]
    assert api.post(f"{API}{hearing.pk}/remove-guest/", {"guest": person}, format="json").status_code == 404


def test_no_guests_on_a_cancelled_gathering(cast, hearing, api_for):
    guest = services.add_guest(actor=cast.worker, gathering=hearing, name="物业公司")
    services.cancel_gathering(actor=cast.worker, gathering=hearing, reason="改期")
    api = api_for(cast.worker)
    response = api.post(f"{API}{hearing.pk}/guests/", {"name": "居委会"}, format="json")
    assert response.status_code == 400 and "已取消" in response.json()["detail"]
    response = api.post(f"{API}{hearing.pk}/remove-guest/", {"guest": guest.pk}, format="json")
    assert response.status_code == 400
    assert list(Guest.objects.values_list("name", flat=True)) == ["物业公司"]


def test_guest_list_query_count(cast, hearing, api_for, client_for, django_assert_max_num_queries):
    for n in range(12):
        services.add_guest(actor=cast.worker, gathering=hearing, name=f"单位{n}", role="相关单位")
    api = api_for(cast.worker)
    with django_assert_max_num_queries(12):
        assert len(api.get(f"{API}{hearing.pk}/guests/").json()) == 12
    client = client_for(cast.worker)
    with django_assert_max_num_queries(16):
        assert client.get(f"/gatherings/{hearing.pk}/attendance/").status_code == 200
