"""入库 (issue 17, docs/virtue.md "The community points store"): the keeper adds N to a good's stock
(`restock_item`, one `stock = stock + N` in the database, audited), on the store's list, on the good's page
and in the API (`POST /api/store-items/{id}/restock/`); the edit page and PATCH no longer write the stock, so
an exchange made between opening the page and saving it is kept; the stock never goes below zero, also
under racing exchanges and restocks (PostgreSQL)."""

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from grassroots.accounts.roles import Role
from grassroots.virtue import services_points as points
from grassroots.virtue.models import Exchange, StoreItem
from tests.concurrency import race, server_db_only
from tests.factories import make_user


def give(person, amount, source, area):
    return points.award_points(person, "award", source, area=area, reason="测试奖励", points=amount)


@pytest.fixture
def item(cast, tree):
    give(cast.resident, 100, tree.city, tree.community_a)
    return points.create_item(actor=cast.worker, area=tree.community_a, name="洗衣液", price=30, stock=3)


def test_restock_adds_and_is_audited(cast, item):
    item = points.restock_item(actor=cast.worker, item=item, quantity=5)
    assert item.stock == 8
    entry = LogEntry.objects.get_for_object(item).filter(changes__icontains="stock").latest("pk")
    assert entry.changes_dict["stock"] == ["3", "8"] and entry.actor == cast.worker
    for wrong in (0, -2, "x", "", None, True, 1.5):
        with pytest.raises(ValidationError) as info:
            points.restock_item(actor=cast.worker, item=item, quantity=wrong)
        assert info.value.message_dict == {"quantity": ["入库数量必须是正整数。"]}, wrong
    with pytest.raises(ValidationError) as info:
        points.restock_item(actor=cast.worker, item=item, quantity=points.STOCK_MAX)
    assert list(info.value.message_dict) == ["quantity"]
    with pytest.raises(PermissionDenied):
        points.restock_item(actor=cast.resident, item=item, quantity=1)
    with pytest.raises(PermissionDenied):
        points.restock_item(actor=cast.street_b, item=item, quantity=1)
    item.refresh_from_db()
    assert item.stock == 8


def test_an_edit_never_writes_the_stock(cast, item):
    with pytest.raises(ValueError):
        points.update_item(actor=cast.worker, item=item, stock=9)


def test_the_stock_cannot_go_below_zero(cast, tree, item):
    points.update_item(actor=cast.worker, item=item, price=1)
    for _ in range(3):
        points.exchange(person=cast.resident, item=item)
    with pytest.raises(ValidationError) as info:
        points.exchange(person=cast.resident, item=item)
    assert info.value.code == "out_of_stock"
    item.refresh_from_db()
    assert item.stock == 0 and Exchange.objects.count() == 3
    with pytest.raises(IntegrityError), transaction.atomic():  # the column's own check
        StoreItem.objects.filter(pk=item.pk).update(stock=-1)


def test_an_exchange_between_opening_the_edit_page_and_saving_is_kept(cast, item, client_for):
    keeper = client_for(cast.worker)
    page = keeper.get(f"/virtue/store/items/{item.pk}/edit/").content.decode()
    assert 'name="stock"' not in page and "data-stock>3<" in page and 'name="quantity"' in page
    client_for(cast.resident).post(f"/virtue/store/{item.pk}/exchange/")
    # the keeper saves the page opened before the exchange (a stale stock in the body is not read)
    response = keeper.post(
        f"/virtue/store/items/{item.pk}/edit/", {"name": "洗衣液", "price": 25, "stock": 3, "active": "on"}
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.price, item.stock) == (25, 2)


def test_the_restock_form_on_the_list_and_the_goods_page(cast, item, client_for):
    keeper = client_for(cast.worker)
    listing = keeper.get("/virtue/store/manage/").content.decode()
    assert f'action="/virtue/store/items/{item.pk}/restock/"' in listing
    response = keeper.post(f"/virtue/store/items/{item.pk}/restock/", {"quantity": "4"}, follow=True)
    assert response.redirect_chain[-1][0] == "/virtue/store/manage/"
    assert "已入库 4 件，现有库存 7。" in response.content.decode()
    edit = f"/virtue/store/items/{item.pk}/edit/"
    response = keeper.post(f"/virtue/store/items/{item.pk}/restock/", {"quantity": "2", "next": edit})
    assert response.status_code == 302 and response["Location"] == edit
    for wrong in ("0", "-1", "abc", ""):
        response = keeper.post(f"/virtue/store/items/{item.pk}/restock/", {"quantity": wrong, "next": edit})
        assert response.status_code == 200
        assert (
            "入库数量必须是正整数。" in response.content.decode()
            and "is-invalid" in response.content.decode()
        )
    item.refresh_from_db()
    assert item.stock == 9


def test_who_may_restock_on_the_page(cast, tree, item, client_for):
    url = f"/virtue/store/items/{item.pk}/restock/"
    assert client_for(cast.street_a).post(url, {"quantity": 1}).status_code == 302  # the street above
    assert client_for(cast.resident).post(url, {"quantity": 1}).status_code in (403, 404)
    keeper_b = make_user("keeper_b", Role.COMMUNITY_WORKER, tree.community_b)
    assert client_for(keeper_b).post(url, {"quantity": 1}).status_code == 404
    assert client_for(cast.street_b).post(url, {"quantity": 1}).status_code == 404
    assert client_for(cast.worker).get(url).status_code == 405
    item.refresh_from_db()
    assert item.stock == 4


def test_restock_in_the_api(cast, tree, item, api_for):
    url = f"/api/store-items/{item.pk}/restock/"
    worker = api_for(cast.worker)
    response = worker.post(url, {"quantity": 6}, format="json")
    assert response.status_code == 200 and response.json()["stock"] == 9, response.content
    for body in ({}, {"quantity": 0}, {"quantity": "x"}, {"quantity": -3}):
        response = worker.post(url, body, format="json")
        assert response.status_code == 400 and "quantity" in response.json()["errors"], body
    # PATCH no longer writes the stock (a number read before an exchange would overwrite it)
    response = worker.patch(f"/api/store-items/{item.pk}/", {"stock": 1, "price": 20}, format="json")
    assert response.status_code == 200 and response.json()["stock"] == 9 and response.json()["price"] == 20
    resident = api_for(cast.resident)
    assert resident.get(f"/api/store-items/{item.pk}/").status_code == 200  # sees the good, may not stock it
    assert resident.post(url, {"quantity": 1}, format="json").status_code == 403
    keeper_b = make_user("keeper_b", Role.COMMUNITY_WORKER, tree.community_b)
    assert api_for(keeper_b).post(url, {"quantity": 1}, format="json").status_code == 404
    assert api_for(cast.street_b).post(url, {"quantity": 1}, format="json").status_code == 404
    item.refresh_from_db()
    assert item.stock == 9


@server_db_only
@pytest.mark.django_db(transaction=True)
def test_racing_exchanges_and_restocks_lose_nothing(cast, tree):
    item = points.create_item(actor=cast.worker, area=tree.community_a, name="雨伞", price=10, stock=2)
    people = [cast.resident]
    for n in range(4):
        people.append(make_user(f"linju{n}", Role.RESIDENT, tree.courtyard_a, home_area=tree.courtyard_a))
    for n, person in enumerate(people):
        give(person, 10, tree.city if n % 2 else tree.county, tree.community_a)

    def act(who):
        if who == "restock":
            points.restock_item(actor=cast.worker, item=item, quantity=1)
        else:
            points.exchange(person=who, item=item)

    outcomes = race(act, [*people, "restock"])
    assert not [o for o in outcomes if o.startswith("error")], outcomes
    exchanged = Exchange.objects.count()
    assert outcomes.count("ok") == exchanged + 1 and 2 <= exchanged <= 3
    item.refresh_from_db()
    assert item.stock == 2 + 1 - exchanged >= 0
    # only exchanges now: five for the last two, two are handed out
    points.restock_item(actor=cast.worker, item=item, quantity=2 - item.stock)  # 0 or 1 left
    for person in people:
        give(person, 10, tree.street_a, tree.community_a)
    outcomes = race(lambda person: points.exchange(person=person, item=item), people)
    assert sorted(outcomes) == ["ok", "ok"] + ["refused:out_of_stock"] * 3
    item.refresh_from_db()
    assert item.stock == 0
