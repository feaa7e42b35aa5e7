"""The venues' and culture brands' API lists share one filter (virtue/api_lists.py): `?area=` narrows to the
area's subtree, `?kind=` to a known kind (an unknown one is a 400 at `kind` in Chinese); a record changes by
PATCH only (PUT 405) — the same answers on both lists and the store's items."""

import pytest

from grassroots.virtue import services, services_brands


@pytest.fixture
def records(cast, tree):
    services.create_venue(
        actor=cast.worker, area=tree.courtyard_a, kind="reading_room", name="院落书屋", address="一号院"
    )
    services.create_venue(
        actor=cast.street_b, area=tree.community_b, kind="culture_wall", name="育才文化墙", address="育才路"
    )
    services_brands.create_brand(actor=cast.worker, area=tree.community_a, kind="red", name="红色桥楼")
    services_brands.create_brand(actor=cast.street_b, area=tree.community_b, kind="moral", name="育才善德")


@pytest.mark.parametrize(
    ("url", "kind", "name", "unknown"),
    [
        ("/api/venues/", "reading_room", "院落书屋", "未知的阵地类型。"),
        ("/api/brands/", "red", "红色桥楼", "未知的品牌类型。"),
    ],
)
def test_area_and_kind(records, cast, tree, api_for, url, kind, name, unknown):
    api = api_for(cast.city)
    assert api.get(url).json()["count"] == 2
    names = [row["name"] for row in api.get(url, {"area": tree.street_a.pk}).json()["results"]]
    assert names == [name]
    assert [row["name"] for row in api.get(url, {"kind": kind}).json()["results"]] == [name]
    refused = api.get(url, {"kind": "nope"})
    assert refused.status_code == 400, refused.content
    assert unknown in refused.content.decode(), refused.json()
    assert api.get(url, {"area": tree.street_b.pk, "kind": kind}).json()["count"] == 0
    first = api.get(url).json()["results"][0]["id"]
    assert api.put(f"{url}{first}/", {"name": "改名"}, format="json").status_code == 405


def test_store_items_refuse_put(cast, api_for):
    assert api_for(cast.worker).put("/api/store-items/1/", {}, format="json").status_code == 405
