"""The points store's stock ledger (issue 17, docs/virtue.md "The community points store"): every change of a
good's stock — its opening stock, 入库, an exchange's −1, a cancellation's +1 — writes a line (`StockEntry`)
in the same transaction, so the lines sum to the stock; the lines are only added; a restock keeps its form's
submission token (the API's Idempotency-Key), so a double click or a repeated request adds once; the good's
page shows its history to its keepers (another area's keeper: 404) in a constant number of queries; the API
lists it read only, scoped; virtue.0013 opens the ledger of the goods made before."""

from __future__ import annotations

import importlib
import re

import pytest
from django.apps import apps
from django.db import models
from django.db.models import Sum

from grassroots.accounts.roles import Role
from grassroots.virtue import services_points as points
from grassroots.virtue.models_points import STOCK_GUARD, LedgerError, StockEntry, StockKind, StoreItem
from tests.dbguard import raw, refused
from tests.factories import make_user


def give(person, amount, source, area):
    return points.award_points(person, "award", source, area=area, reason="测试奖励", points=amount)


@pytest.fixture
def item(cast, tree):
    give(cast.resident, 100, tree.city, tree.community_a)
    return points.create_item(actor=cast.worker, area=tree.community_a, name="洗衣液", price=10, stock=3)


def ledger_sum(item) -> int:
    return StockEntry.objects.filter(item=item).aggregate(total=Sum("change"))["total"] or 0


def test_the_ledger_sums_to_the_stock_after_restocks_exchanges_and_cancellations(cast, item):
    points.restock_item(actor=cast.worker, item=item, quantity=5)
    first = points.exchange(person=cast.resident, item=item)
    second = points.exchange(person=cast.resident, item=item)
    points.cancel_exchange(actor=cast.resident, exchange=first)
    points.cancel_exchange(actor=cast.worker, exchange=second, reason="商品破损")
    points.exchange(person=cast.resident, item=item)
    item.refresh_from_db()
    assert item.stock == 3 + 5 - 1 - 1 + 1 + 1 - 1 == ledger_sum(item)
    lines = list(StockEntry.objects.filter(item=item).order_by("pk"))
    assert [(e.kind, e.change) for e in lines] == [
        (StockKind.OPENING, 3),
        (StockKind.RESTOCK, 5),
        (StockKind.EXCHANGE, -1),
        (StockKind.EXCHANGE, -1),
        (StockKind.CANCEL, 1),
        (StockKind.CANCEL, 1),
        (StockKind.EXCHANGE, -1),
    ]
    assert [e.by for e in lines] == [
        cast.worker,
        cast.worker,
        *[cast.resident] * 3,
        cast.worker,
        cast.resident,
    ]
    assert [e.exchange_id for e in lines[2:6]] == [first.pk, second.pk, first.pk, second.pk]
    assert {e.area_id for e in lines} == {item.area_id}
    # a refused exchange or restock writes no line
    points.update_item(actor=cast.worker, item=item, active=False)
    with pytest.raises(Exception):  # noqa: B017  (the service's refusal, whatever its class)
        points.exchange(person=cast.resident, item=item)
    with pytest.raises(Exception):  # noqa: B017
        points.restock_item(actor=cast.worker, item=item, quantity=points.STOCK_MAX)
    assert StockEntry.objects.filter(item=item).count() == 7


def test_a_good_made_without_stock_has_no_line_and_lines_are_only_added(cast, tree, item):
    empty = points.create_item(actor=cast.worker, area=tree.community_a, name="雨伞", price=5, stock=0)
    assert not StockEntry.objects.filter(item=empty).exists()
    line = StockEntry.objects.get(item=item)
    line.change = 99
    with pytest.raises(LedgerError):
        line.save()
    with pytest.raises(LedgerError):
        line.delete()
    with pytest.raises(LedgerError):
        StockEntry.objects.filter(pk=line.pk).update(change=99)
    assert StockEntry.objects.get(pk=line.pk).change == 3


def test_a_double_submission_on_the_page_adds_once(cast, item, client_for):
    keeper = client_for(cast.worker)
    url = f"/virtue/store/items/{item.pk}/restock/"
    listing = keeper.get("/virtue/store/manage/").content.decode()
    row = re.search(rf'action="{re.escape(url)}"[^>]*>.*?name="submission" value="([^"]+)"', listing, re.S)
    assert row and len(row.group(1)) >= 20
    page = keeper.get(f"/virtue/store/items/{item.pk}/edit/").content.decode()
    token = re.search(rf'action="{re.escape(url)}"[^>]*>.*?name="submission" value="([^"]+)"', page, re.S)
    assert token and token.group(1) != row.group(1)
    codes = [keeper.post(url, {"quantity": "4", "submission": token.group(1)}).status_code for _ in range(3)]
    assert codes == [302, 302, 302]
    item.refresh_from_db()
    assert item.stock == 7 and StockEntry.objects.filter(kind=StockKind.RESTOCK).count() == 1
    keeper.post(url, {"quantity": "4", "submission": "another-form-token"})  # another form adds again
    item.refresh_from_db()
    assert item.stock == 11 == ledger_sum(item)


def test_a_repeated_idempotency_key_in_the_api_adds_once(cast, item, api_for):
    worker = api_for(cast.worker)
    url = f"/api/store-items/{item.pk}/restock/"
    answers = [
        worker.post(url, {"quantity": 6}, format="json", HTTP_IDEMPOTENCY_KEY="restock-key-0001")
        for _ in range(2)
    ]
    assert [a.status_code for a in answers] == [200, 200], answers[0].content
    assert answers[0].json()["stock"] == answers[1].json()["stock"] == 9
    # the body's token is the same key; a header and a body naming another are refused
    again = worker.post(url, {"quantity": 6, "submission": "restock-key-0001"}, format="json")
    assert again.status_code == 200 and again.json()["stock"] == 9
    refused = worker.post(
        url,
        {"quantity": 6, "submission": "other-0001"},
        format="json",
        HTTP_IDEMPOTENCY_KEY="restock-key-0001",
    )
    assert refused.status_code == 400 and "submission" in refused.json()["errors"]
    fresh = worker.post(url, {"quantity": 1}, format="json", HTTP_IDEMPOTENCY_KEY="restock-key-0002")
    assert fresh.status_code == 200 and fresh.json()["stock"] == 10
    item.refresh_from_db()
    assert item.stock == 10 == ledger_sum(item)
    assert StockEntry.objects.filter(submission="restock-key-0001").count() == 1


def test_the_history_on_the_goods_page_is_the_keepers(cast, tree, item, client_for):
    points.restock_item(actor=cast.worker, item=item, quantity=2)
    points.exchange(person=cast.resident, item=item)
    url = f"/virtue/store/items/{item.pk}/edit/"
    page = client_for(cast.worker).get(url).content.decode()
    assert page.count("data-stock-entry=") == 3 and "库存记录" in page and "<td>撤销兑换</td>" not in page
    assert "<td>期初库存</td>" in page and ">+2<" in page and ">-1<" in page
    assert client_for(cast.street_a).get(url).status_code == 200  # the street above keeps it too
    keeper_b = make_user("keeper_b", Role.COMMUNITY_WORKER, tree.community_b)
    assert client_for(keeper_b).get(url).status_code == 404
    assert client_for(cast.street_b).get(url).status_code == 404
    assert client_for(cast.resident).get(url).status_code in (403, 404)


def test_the_history_in_the_api_is_read_only_and_scoped(cast, tree, item, api_for):
    points.restock_item(actor=cast.worker, item=item, quantity=2)
    worker = api_for(cast.worker)
    rows = worker.get(f"/api/stock-entries/?item={item.pk}").json()["results"]
    assert [(r["kind"], r["change"]) for r in rows] == [("restock", 2), ("opening", 3)]
    assert rows[0]["by_name"] and rows[0]["item_name"] == "洗衣液"
    line = rows[0]["id"]
    assert worker.get(f"/api/stock-entries/{line}/").status_code == 200
    assert worker.post("/api/stock-entries/", {}, format="json").status_code == 405
    assert worker.patch(f"/api/stock-entries/{line}/", {"change": 9}, format="json").status_code == 405
    for bad in ("x", "9" * 30, "²"):
        assert worker.get("/api/stock-entries/", {"item": bad}).status_code == 400, bad
    keeper_b = make_user("keeper_b", Role.COMMUNITY_WORKER, tree.community_b)
    for outsider in (api_for(keeper_b), api_for(cast.street_b), api_for(cast.resident)):
        assert outsider.get(f"/api/stock-entries/{line}/").status_code == 404
        assert outsider.get(f"/api/stock-entries/?item={item.pk}").json()["results"] == []


def test_the_history_page_does_not_grow_in_queries(cast, item, client_for, django_assert_max_num_queries):
    keeper = client_for(cast.worker)
    url = f"/virtue/store/items/{item.pk}/edit/"
    keeper.get(url)
    with django_assert_max_num_queries(40) as few:
        keeper.get(url)
    for _ in range(8):
        points.restock_item(actor=cast.worker, item=item, quantity=1)
    for _ in range(3):
        points.exchange(person=cast.resident, item=item)
    assert StockEntry.objects.filter(item=item).count() == 12
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = keeper.get(url).content.decode()
    assert page.count("data-stock-entry=") == 12


def test_the_migration_opens_the_ledger_of_the_goods_made_before(tree):
    migration = importlib.import_module("grassroots.virtue.migrations.0013_stock_ledger")
    stocked = StoreItem.objects.create(area=tree.community_a, name="毛巾", price=5, stock=4)
    empty = StoreItem.objects.create(area=tree.community_a, name="肥皂", price=5, stock=0)
    migration.open_stock(apps, None)
    assert [(e.kind, e.change, e.by_id) for e in StockEntry.objects.filter(item=stocked)] == [
        ("opening", 4, None)
    ]
    assert not StockEntry.objects.filter(item=empty).exists()
    assert ledger_sum(stocked) == 4


def test_the_database_refuses_to_change_or_delete_a_line(cast, item):
    """STOCK_GUARD (virtue.0013, the audit trail's triggers): raw SQL past the model is refused too; the
    keeper's id set to NULL when that user is deleted passes. (Under --nomigrations this test fails.)"""
    table = StockEntry._meta.db_table
    line = StockEntry.objects.get(item=item)
    assert refused(raw(f"UPDATE {table} SET change = 99 WHERE id = %s", line.pk))
    assert refused(raw(f"DELETE FROM {table} WHERE id = %s", line.pk))
    assert refused(lambda: models.QuerySet(StockEntry).filter(pk=line.pk).delete())
    keeper = make_user("keeper_gone", Role.COMMUNITY_WORKER, item.area)
    points.restock_item(actor=keeper, item=item, quantity=1)
    keeper.delete()
    assert StockEntry.objects.filter(item=item, kind=StockKind.RESTOCK, by=None).count() == 1
    assert ledger_sum(item) == 4 and not STOCK_GUARD.is_open()
