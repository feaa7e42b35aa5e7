"""Points pages and API (docs/virtue.md, "Points"): 我的积分 on a phone, the store (browse, exchange, cancel
one's own), the worker's store admin and pick-up list; /api/points/, /api/store-items/, /api/exchanges/
with every step; the cast — owner (the resident, the community's worker), the street above, an outsider
(another street, another community's resident) who gets 404; query counts that do not grow with rows."""

import pytest

from grassroots.accounts.roles import Role
from grassroots.virtue import services_points as points
from grassroots.virtue.models import Exchange, PointsEntry, StoreItem
from tests.factories import make_user


def give(person, amount, source, area):
    return points.award_points(person, "award", source, area=area, reason="最美家庭", points=amount)


@pytest.fixture
def store(cast, tree):
    give(cast.resident, 100, tree.city, tree.community_a)
    item = points.create_item(actor=cast.worker, area=tree.community_a, name="洗衣液", price=30, stock=3)
    outsider = make_user("yucai", Role.RESIDENT, tree.community_b, home_area=tree.community_b)
    return item, outsider


def test_my_points_page_and_the_store_for_the_resident(cast, tree, store, client_for):
    item, _outsider = store
    client = client_for(cast.resident)
    page = client.get("/virtue/points/").content.decode()
    assert "data-balance>100<" in page and "最美家庭" in page
    page = client.get("/virtue/store/").content.decode()
    assert "洗衣液" in page
    response = client.post(f"/virtue/store/{item.pk}/exchange/", follow=True)
    assert "兑换成功" in response.content.decode()
    assert points.balance(cast.resident) == 70
    record = Exchange.objects.get()
    response = client.post(f"/virtue/exchanges/{record.pk}/cancel/", follow=True)
    assert "积分已退回" in response.content.decode()
    assert points.balance(cast.resident) == 100


def test_a_refused_exchange_says_why_and_deducts_nothing(cast, tree, store, client_for):
    item, _outsider = store
    points.update_item(actor=cast.worker, item=item, price=500)
    response = client_for(cast.resident).post(f"/virtue/store/{item.pk}/exchange/", follow=True)
    assert "积分不足" in response.content.decode()
    assert points.balance(cast.resident) == 100 and not Exchange.objects.exists()


def test_the_workers_store_admin_and_pick_up(cast, tree, store, client_for):
    item, _outsider = store
    record = points.exchange(person=cast.resident, item=item)
    client = client_for(cast.worker)
    page = client.get("/virtue/store/manage/").content.decode()
    assert f'data-exchange="{record.pk}"' in page and f'data-item="{item.pk}"' in page
    response = client.post(
        "/virtue/store/manage/", {"area": tree.community_a.pk, "name": "毛巾", "price": 0, "stock": 1}
    )
    assert response.status_code == 200 and not StoreItem.objects.filter(name="毛巾").exists()
    response = client.post(
        "/virtue/store/manage/",
        {"area": tree.community_a.pk, "name": "毛巾", "price": 8, "stock": 4, "active": "on"},
    )
    assert response.status_code == 302 and StoreItem.objects.filter(name="毛巾", price=8).exists()
    response = client.post(
        f"/virtue/store/items/{item.pk}/edit/", {"name": "洗衣液", "price": 25, "stock": 9, "active": "on"}
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.price, item.stock) == (25, 2)  # the stock is not edited (入库 adds: test_store_restock.py)
    client.post(f"/virtue/exchanges/{record.pk}/pick-up/")
    record.refresh_from_db()
    assert record.state == "picked_up"


def test_the_outsiders_get_404_and_residents_403_on_admin(cast, tree, store, client_for):
    item, outsider = store
    record = points.exchange(person=cast.resident, item=item)
    street_b = client_for(cast.street_b)
    assert street_b.post(f"/virtue/exchanges/{record.pk}/pick-up/").status_code == 404
    assert street_b.post(f"/virtue/exchanges/{record.pk}/cancel/", {"reason": "x"}).status_code == 404
    assert street_b.get(f"/virtue/store/items/{item.pk}/edit/").status_code == 404
    other = client_for(outsider)
    assert other.post(f"/virtue/store/{item.pk}/exchange/").status_code == 404
    assert other.post(f"/virtue/exchanges/{record.pk}/cancel/").status_code == 404
    assert "洗衣液" not in other.get("/virtue/store/").content.decode()
    assert client_for(cast.resident).get("/virtue/store/manage/").status_code == 403
    record.refresh_from_db()
    assert record.state == "pending"
    # the street above sees its communities' exchanges and may act on them
    street_a = client_for(cast.street_a)
    assert street_a.get("/virtue/store/manage/").status_code == 200


def test_every_step_in_the_api(cast, tree, store, api_for, django_assert_max_num_queries):
    item, outsider = store
    resident = api_for(cast.resident)
    assert resident.get("/api/points/balance/").json() == {"balance": 100}
    response = resident.post(f"/api/store-items/{item.pk}/exchange/")
    assert response.status_code == 201, response.content
    exchange_id = response.json()["id"]
    assert response.json()["state"] == "pending"
    StoreItem.objects.filter(pk=item.pk).update(stock=0)  # handed out elsewhere
    response = resident.post(f"/api/store-items/{item.pk}/exchange/")
    assert response.status_code == 400 and "暂无库存" in response.content.decode()
    assert resident.get("/api/points/balance/").json() == {"balance": 70}
    lines = resident.get("/api/points/").json()["results"]
    assert [line["points"] for line in lines] == [-30, 100]
    # the worker: items, the pick-up, a reversal of a wrong earning
    worker = api_for(cast.worker)
    response = worker.post(
        "/api/store-items/", {"area": tree.community_a.pk, "name": "大米", "price": 60, "stock": 5}
    )
    assert response.status_code == 201, response.content
    response = worker.post(f"/api/store-items/{item.pk}/restock/", {"quantity": 4}, format="json")
    assert response.status_code == 200 and response.json()["stock"] == 4
    assert worker.post(f"/api/exchanges/{exchange_id}/pick-up/").json()["state"] == "picked_up"
    earning = PointsEntry.objects.get(rule="award")
    response = worker.post(f"/api/points/{earning.pk}/reverse/", {"reason": "重复奖励"}, format="json")
    assert response.status_code == 201 and response.json()["points"] == -100
    # the resident cancels their own pending exchange
    second = resident.post(f"/api/store-items/{item.pk}/exchange/")
    assert second.status_code == 400  # balance -30 now: too few points
    give(cast.resident, 80, tree.county, tree.community_a)
    second = resident.post(f"/api/store-items/{item.pk}/exchange/").json()["id"]
    response = resident.post(f"/api/exchanges/{second}/cancel/", {}, format="json")
    assert response.status_code == 200 and response.json()["state"] == "cancelled"
    # the outsider: another street's official and another community's resident
    street_b, other = api_for(cast.street_b), api_for(outsider)
    assert street_b.post(f"/api/exchanges/{exchange_id}/cancel/", {"reason": "x"}).status_code == 404
    assert street_b.get(f"/api/points/{earning.pk}/").status_code == 404
    assert other.post(f"/api/store-items/{item.pk}/exchange/").status_code == 404
    assert other.get("/api/points/").json()["count"] == 0
    assert other.get("/api/store-items/").json()["count"] == 0
    assert resident.post(f"/api/points/{earning.pk}/reverse/", {"reason": "x"}).status_code in (400, 403)
    for url in ("/api/points/", "/api/store-items/", "/api/exchanges/"):
        with django_assert_max_num_queries(8):
            assert worker.get(url).status_code == 200


def test_lists_do_not_grow_with_rows(cast, tree, store, client_for, django_assert_max_num_queries):
    item, _outsider = store
    for i in range(2):
        give(cast.resident, 10, getattr(tree, ["county", "street_a"][i]), tree.community_a)
        points.exchange(person=cast.resident, item=item)
    resident, worker = client_for(cast.resident), client_for(cast.worker)
    for client, url in (
        (resident, "/virtue/points/"),
        (resident, "/virtue/store/"),
        (worker, "/virtue/store/manage/"),
    ):
        with django_assert_max_num_queries(16, info=url):
            assert client.get(url).status_code == 200
