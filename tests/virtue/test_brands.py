"""Culture brands (红色文化, 道德文化, 邻里文化) per community with their activities;
pages, API, scope (owner, outsider 404), the venue map and the home blocks."""

import json
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from grassroots.virtue import services
from grassroots.virtue import services_brands as brands
from grassroots.virtue.models import Venue
from grassroots.virtue.models_brands import BrandKind
from tests.homes import open_home

NOW = datetime(2026, 5, 12, 9, 30, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture(autouse=True)
def pinned(time_machine):
    time_machine.move_to(NOW, tick=False)


def brand(cast, tree, name="红色记忆", **fields):
    return brands.create_brand(
        actor=cast.worker,
        area=tree.community_a,
        kind=BrandKind.RED,
        name=name,
        description="讲好红色故事",
        **fields,
    )


def test_create_update_refusals(cast, tree):
    red = brand(cast, tree)
    with pytest.raises(ValidationError) as info:
        brand(cast, tree)
    assert "name" in info.value.message_dict
    with pytest.raises(ValidationError) as info:
        brands.create_brand(actor=cast.worker, area=tree.grid_a, kind="red", name="网格品牌")
    assert "area" in info.value.message_dict
    with pytest.raises(ValidationError) as info:
        brands.create_brand(actor=cast.worker, area=tree.community_a, kind="other", name="x")
    assert "kind" in info.value.message_dict
    with pytest.raises(PermissionDenied):
        brands.update_brand(actor=cast.street_b, brand=red, name="别处")
    brands.update_brand(actor=cast.worker, brand=red, kind=BrandKind.MORAL, name="善美桥楼")
    red.refresh_from_db()
    assert (red.kind, red.name) == ("moral", "善美桥楼")


def test_activities_pages_and_scope(cast, tree, client_for):
    red = brand(cast, tree)
    activity = brands.add_brand_activity(
        actor=cast.worker,
        brand=red,
        title="重温入党誓词",
        starts_at=NOW + timedelta(days=2),
        ends_at=NOW + timedelta(days=2, hours=2),
        signup_open=True,
    )
    assert activity.gathering.kind == "virtue_brand_activity" and activity.gathering.area == tree.community_a
    with pytest.raises(PermissionDenied):
        brands.add_brand_activity(
            actor=cast.street_b,
            brand=red,
            title="x",
            starts_at=NOW + timedelta(days=2),
            ends_at=NOW + timedelta(days=2, hours=2),
        )
    worker = client_for(cast.worker)
    assert "重温入党誓词" in worker.get(f"/virtue/brands/{red.pk}/").content.decode()
    assert red.name in worker.get("/virtue/brands/").content.decode()
    outsider = client_for(cast.street_b)
    assert outsider.get(f"/virtue/brands/{red.pk}/").status_code == 404
    assert red.name not in outsider.get("/virtue/brands/").content.decode()
    posted = worker.post(
        "/virtue/brands/",
        {"area": tree.community_a.pk, "kind": "neighbourhood", "name": "邻里一家亲", "description": ""},
    )
    assert posted.status_code == 302
    refused = worker.post(
        "/virtue/brands/", {"area": tree.community_a.pk, "kind": "red", "name": "邻里一家亲"}
    )
    assert refused.status_code == 200 and "同名" in refused.content.decode()


def test_api(cast, tree, api_for, django_assert_max_num_queries):
    worker = api_for(cast.worker)
    made = worker.post(
        "/api/brands/", {"area": tree.community_a.pk, "kind": "red", "name": "红色记忆"}, format="json"
    )
    assert made.status_code == 201, made.content
    pk = made.json()["id"]
    start = NOW + timedelta(days=1)
    activity = worker.post(
        f"/api/brands/{pk}/activities/",
        {
            "title": "参观纪念馆",
            "starts_at": start.isoformat(),
            "ends_at": (start + timedelta(hours=2)).isoformat(),
        },
        format="json",
    )
    assert activity.status_code == 201 and activity.json()["brand"] == pk
    assert (
        worker.patch(f"/api/brands/{pk}/", {"name": "红色初心"}, format="json").json()["name"] == "红色初心"
    )
    outsider = api_for(cast.street_b)
    assert outsider.get(f"/api/brands/{pk}/").status_code == 404
    assert outsider.patch(f"/api/brands/{pk}/", {"name": "x"}, format="json").status_code == 404
    for i in range(5):
        brand(cast, tree, name=f"品牌{i}")
    with django_assert_max_num_queries(8):
        assert len(worker.get("/api/brands/").json()["results"]) == 6


def test_venue_map(cast, tree, client_for):
    services.create_venue(
        actor=cast.worker,
        area=tree.community_a,
        kind="reading_room",
        name="廉政书屋",
        address="中心二楼",
        latitude="29.98",
        longitude="103.01",
    )
    services.create_venue(
        actor=cast.worker, area=tree.community_a, kind="culture_wall", name="文化墙", address="广场"
    )
    page = client_for(cast.worker).get("/virtue/venues/map/")
    body = page.content.decode()
    assert page.status_code == 200 and "廉政书屋" in body and "未标注位置" in body
    # the points on the area map of Ya'an's counties (the shared component: its data, its base map)
    assert 'data-area-map="gr-venue-points"' in body and "echarts-china-cities/yaan.geojson" in body
    data = json.loads(re.search(r'id="gr-venue-points"[^>]*>(.*?)</script>', body, re.S).group(1))
    (point,) = data["points"]
    reading_room = Venue.objects.get(name="廉政书屋")
    assert point["name"] == "廉政书屋" and point["value"][:2] == [103.01, 29.98]
    assert point["link"] == reading_room.get_absolute_url() and data["regions"] == []
    assert "廉政书屋" not in client_for(cast.street_b).get("/virtue/venues/map/").content.decode()
    # a resident not yet verified is told to verify; the verified see their own community's
    # (tests/virtue/test_resident_venues.py)
    unverified = client_for(cast.resident).get("/virtue/venues/map/").content.decode()
    assert "data-unverified" in unverified and "中心二楼" not in unverified  # no venue listed


def test_home_blocks(cast, tree, client_for, time_machine):
    action = brands.create_environmental_action(
        actor=cast.worker,
        area=tree.community_a,
        kind="virtue_env_cleanup",
        title="清洁家园行动",
        starts_at=NOW + timedelta(days=1),
        ends_at=NOW + timedelta(days=1, hours=2),
    )
    home = open_home(client_for(cast.resident)).content.decode()
    assert 'data-block="virtue_events"' in home and "清洁家园行动" in home
    from grassroots.gatherings import services as gatherings

    gatherings.sign_up(user=cast.resident, gathering=action.gathering)
    time_machine.move_to(action.gathering.starts_at + timedelta(minutes=10), tick=False)
    console = open_home(client_for(cast.worker)).content.decode()
    assert 'data-block="virtue_to_check_in"' in console and "清洁家园行动" in console


def test_the_brand_export_holds_the_scopes_brands_and_none_of_another_street(cast, tree, client_for):
    from django.urls import reverse

    from grassroots.access.scoping import has_perm
    from tests.imports.helpers import read_xlsx

    brand(cast, tree)
    brand(cast, tree, name="=邻里守望")
    brands.create_brand(actor=cast.street_b, area=tree.community_b, kind="moral", name="育才善德")
    url = reverse("imports:list_export", args=["virtue-brands"])
    street = client_for(cast.street_a)
    assert 'data-export="virtue-brands"' in street.get(reverse("virtue:brand_list")).content.decode()
    rows = read_xlsx(b"".join(street.post(url).streaming_content))["文化品牌"]
    assert rows[0] == ["品牌名称", "类型", "社区", "活动数"]
    assert sorted(r[0] for r in rows[1:]) == ["=邻里守望", "红色记忆"]  # as text: the file keeps no formula
    assert all(r[2] == "桥楼社区" and r[3] == 0 for r in rows[1:])
    other = client_for(cast.street_b)
    theirs = read_xlsx(b"".join(other.post(url).streaming_content))["文化品牌"]
    assert [r[0] for r in theirs[1:]] == ["育才善德"]
    assert other.post(url + f"?area={tree.street_a.pk}").status_code == 404
    if not has_perm(cast.resident, "virtue.view"):
        assert client_for(cast.resident).post(url).status_code == 403
