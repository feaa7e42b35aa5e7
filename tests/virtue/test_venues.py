"""Integrity venues (廉洁文化阵地): registered per area with location and photos (checked uploads, served by
the scoped view), their coverage per subtree through the one roll-up; owner, street above, outsider (404)."""

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from grassroots.areas.models import Level
from grassroots.virtue import selectors, services
from grassroots.virtue.models import Venue, VenuePhoto
from tests.factories import make_area


def jpeg(name="wall.jpg") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 40, 40)).save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def venue(actor, area, kind="reading_room", name="廉政书屋", **fields):
    return services.create_venue(
        actor=actor, area=area, kind=kind, name=name, address="党群服务中心", **fields
    )


def test_create_update_and_refusals(cast, tree):
    room = venue(cast.worker, tree.community_a, latitude="29.98", longitude="103.01")
    assert room.created_by == cast.worker
    with pytest.raises(ValidationError) as info:
        venue(cast.worker, tree.community_a)  # the same name and kind in the area
    assert "name" in info.value.message_dict
    with pytest.raises(ValidationError) as info:
        venue(cast.worker, tree.community_b)
    assert "area" in info.value.message_dict
    with pytest.raises(ValidationError) as info:
        venue(cast.worker, tree.community_a, name="墙", latitude="29.9")
    assert "longitude" in info.value.message_dict
    with pytest.raises(ValidationError) as info:
        venue(cast.worker, tree.community_a, name="墙", latitude="95", longitude="1")
    assert "latitude" in info.value.message_dict
    with pytest.raises(PermissionDenied):
        services.update_venue(actor=cast.street_b, venue=room, name="别处")
    services.update_venue(actor=cast.worker, venue=room, name="清风书屋", area=tree.grid_a)
    room.refresh_from_db()
    assert (room.name, room.area) == ("清风书屋", tree.grid_a)
    assert Venue.objects.count() == 1


def test_photos_are_checked_and_served_only_in_scope(cast, tree, client_for):
    wall = venue(cast.worker, tree.community_a, kind="culture_wall", name="廉洁文化墙")
    photo = services.add_venue_photo(actor=cast.worker, venue=wall, image=jpeg(), caption="全景")
    assert photo.image.name.startswith("virtue/") and "wall" not in photo.image.name
    with pytest.raises(ValidationError) as info:
        fake = SimpleUploadedFile("x.jpg", b"<html>not an image</html>", content_type="image/jpeg")
        services.add_venue_photo(actor=cast.worker, venue=wall, image=fake)
    assert "image" in info.value.message_dict
    url = f"/virtue/venues/{wall.pk}/photos/{photo.pk}/"
    assert client_for(cast.street_a).get(url).status_code == 200
    assert client_for(cast.street_b).get(url).status_code == 404
    assert client_for(cast.street_b).get(f"/virtue/venues/{wall.pk}/").status_code == 404
    assert (
        client_for(cast.street_b).post(f"/virtue/venues/{wall.pk}/photos/{photo.pk}/delete/").status_code
        == 404
    )
    response = client_for(cast.worker).post(f"/virtue/venues/{wall.pk}/photos/{photo.pk}/delete/")
    assert response.status_code == 302 and not VenuePhoto.objects.exists()


def test_pages_create_upload_and_edit(cast, tree, client_for):
    client = client_for(cast.worker)
    response = client.post(
        "/virtue/venues/",
        {"kind": "warning_board", "name": "东门警示栏", "area": tree.community_a.pk, "address": "一楼大厅"},
    )
    assert response.status_code == 302
    board = Venue.objects.get()
    response = client.post(f"/virtue/venues/{board.pk}/", {"upload": "1", "image": jpeg(), "caption": "近景"})
    assert response.status_code == 302 and board.photos.count() == 1
    response = client.post(
        f"/virtue/venues/{board.pk}/",
        {"save": "1", "kind": "warning_board", "name": "", "area": tree.community_a.pk, "address": "一楼"},
    )
    assert response.status_code == 200 and "name" in response.context["form"].errors
    page = client.get(f"/virtue/venues/{board.pk}/").content.decode()
    assert f"/virtue/venues/{board.pk}/photos/" in page
    assert "东门警示栏" in client_for(cast.street_a).get("/virtue/venues/").content.decode()
    assert "东门警示栏" not in client_for(cast.street_b).get("/virtue/venues/").content.decode()
    assert client_for(cast.resident).get("/virtue/venues/").status_code == 403


def test_coverage_counts_communities_with_and_without_each_kind(cast, tree, client_for):
    community_c = make_area("新村社区", Level.COMMUNITY, tree.street_a)
    venue(cast.worker, tree.grid_a)  # below the community: it covers 桥楼社区
    venue(cast.street_a, tree.street_a, name="街道书屋")  # the street's own: no community
    venue(cast.street_a, community_c, kind="culture_wall", name="墙")
    breakdown = selectors.coverage(tree.county)
    assert breakdown.total["communities"] == 3
    assert breakdown.total["reading_room"] == 1 and breakdown.total["culture_wall"] == 1
    lines = {area.name: figures for area, figures in breakdown.children}
    assert lines["青江街道"]["communities"] == 2 and lines["青江街道"]["reading_room"] == 1
    assert lines["东城街道"] == {"communities": 1, "reading_room": 0, "warning_board": 0, "culture_wall": 0}
    page = client_for(cast.street_a).get("/virtue/venues/coverage/")
    assert page.status_code == 200 and "新村社区" in page.content.decode()
    assert (
        client_for(cast.street_b).get("/virtue/venues/coverage/", {"area": tree.street_a.pk}).status_code
        == 404
    )


def test_api_steps_and_scope(cast, tree, api_for, django_assert_max_num_queries):
    api = api_for(cast.worker)
    response = api.post(
        "/api/venues/",
        {"kind": "reading_room", "name": "廉政书屋", "area": tree.community_a.pk, "address": "二楼"},
        format="json",
    )
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    assert api.patch(f"/api/venues/{pk}/", {"address": "三楼"}, format="json").json()["address"] == "三楼"
    uploaded = api.post(f"/api/venues/{pk}/photos/", {"image": jpeg()}, format="multipart")
    assert uploaded.status_code == 201, uploaded.content
    assert api.get(f"/api/venues/{pk}/photos/").json()[0]["url"].endswith(f"/photos/{uploaded.json()['id']}/")
    for i in range(4):
        venue(cast.worker, tree.community_a, kind="culture_wall", name=f"墙{i}")
    with django_assert_max_num_queries(8):
        assert api_for(cast.street_a).get("/api/venues/").json()["count"] == 5
    assert api.get("/api/venues/", {"kind": "culture_wall"}).json()["count"] == 4
    outsider = api_for(cast.street_b)
    assert outsider.get(f"/api/venues/{pk}/").status_code == 404
    assert outsider.patch(f"/api/venues/{pk}/", {"name": "x"}, format="json").status_code == 404
    assert (
        outsider.post(f"/api/venues/{pk}/photos/", {"image": jpeg()}, format="multipart").status_code == 404
    )
    assert outsider.get("/api/venues/").json()["count"] == 0
    lines = api_for(cast.street_a).get("/api/venues/coverage/").json()
    assert lines[-1]["total"] and lines[-1]["kinds"]["reading_room"] == {"with": 1, "without": 0}
    photo_id = uploaded.json()["id"]
    assert api.delete(f"/api/venues/{pk}/photos/{photo_id}/").status_code == 204


def test_the_coverage_exports_the_pages_lines_of_street_a(cast, tree, client_for):
    from tests.imports.helpers import read_xlsx

    venue(cast.worker, tree.grid_a)
    venue(cast.street_b, tree.community_b, kind="culture_wall", name="育才墙")
    client = client_for(cast.street_a)
    assert 'data-export="virtue-coverage"' in client.get("/virtue/venues/coverage/").content.decode()
    response = client.post(
        reverse("imports:list_export", args=["virtue-coverage"]) + f"?area={tree.street_a.pk}"
    )
    rows = read_xlsx(b"".join(response.streaming_content))["阵地覆盖"]
    assert rows[0][:4] == ["区域", "社区数", "廉政书屋（有）", "廉政书屋（无）"]
    assert rows[1][:4] == ["桥楼社区", 1, 1, 0] and rows[-1][:2] == ["合计", 1]
    assert all("育才" not in str(row[0]) for row in rows)
    assert (
        client.post(
            reverse("imports:list_export", args=["virtue-coverage"]) + f"?area={tree.street_b.pk}"
        ).status_code
        == 404
    )
