"""Verified residents see the integrity venues of the community they live in (docs/virtue.md, "Integrity
venues"): the 阵地地图 entry of their menu, the map with their community's venues (its courtyards' too), each
venue's page and photos, read only; not another community's venues (404), nor a street's own; an unverified
resident is told to verify first."""

from django.utils import timezone

from grassroots.accounts.roles import Role
from grassroots.virtue import services
from tests.factories import make_user
from tests.gatherings.conftest import png_upload
from tests.homes import open_home

MAP = "/virtue/venues/map/"


def venue(actor, area, name, **fields):
    return services.create_venue(
        actor=actor, area=area, kind="reading_room", name=name, address="二楼", **fields
    )


def test_a_verified_resident_sees_their_own_communitys_venues_read_only(cast, tree, client_for):
    ours = venue(cast.worker, tree.courtyard_a, "一号院落书屋", latitude="29.98", longitude="103.01")
    photo = services.add_venue_photo(actor=cast.worker, venue=ours, image=png_upload())
    venue(cast.worker, tree.community_a, "桥楼书屋")
    venue(cast.street_a, tree.street_a, "街道书屋")  # the street's own: no community's
    theirs = venue(cast.street_b, tree.community_b, "育才书屋")
    cast.resident.verified_at = timezone.now()
    cast.resident.save(update_fields=["verified_at"])
    client = client_for(cast.resident)
    assert f'href="{MAP}"' in open_home(client).content.decode()  # the menu leads there
    page = client.get(MAP)
    body = page.content.decode()
    assert page.status_code == 200 and "data-community" in body
    assert "一号院落书屋" in body and "桥楼书屋" in body
    assert "街道书屋" not in body and "育才书屋" not in body
    detail = client.get(ours.get_absolute_url())
    assert detail.status_code == 200 and "一号院落书屋" in detail.content.decode()
    assert detail.context["form"] is None  # read only
    assert f'href="{MAP}"' in detail.content.decode()  # back to their map, not the officials' list
    assert client.post(ours.get_absolute_url(), {"save": "1", "name": "改名"}).status_code == 403
    assert client.get(f"/virtue/venues/{ours.pk}/photos/{photo.pk}/").status_code == 200
    assert client.get(theirs.get_absolute_url()).status_code == 404
    assert client.get("/virtue/venues/").status_code == 403  # the officials' list stays theirs


def test_a_resident_of_another_community_does_not_see_them(cast, tree, client_for):
    ours = venue(cast.worker, tree.community_a, "桥楼书屋")
    photo = services.add_venue_photo(actor=cast.worker, venue=ours, image=png_upload())
    venue(cast.street_b, tree.community_b, "育才书屋")
    neighbour = make_user(
        "yucai", Role.RESIDENT, tree.community_b, home_area=tree.community_b, verified_at=timezone.now()
    )
    client = client_for(neighbour)
    body = client.get(MAP).content.decode()
    assert "育才书屋" in body and "桥楼书屋" not in body
    assert client.get(ours.get_absolute_url()).status_code == 404
    assert client.get(f"/virtue/venues/{ours.pk}/photos/{photo.pk}/").status_code == 404


def test_an_unverified_resident_is_told_to_verify(cast, tree, client_for):
    venue(cast.worker, tree.community_a, "桥楼书屋")
    body = client_for(cast.resident).get(MAP).content.decode()
    assert "data-unverified" in body and "实名核验后可查看" in body and "桥楼书屋" not in body
