"""Photos of store items (docs/virtue.md, "Points"): an upload checked by its content and re-encoded (files
checks, as the venues' photos), stored under an unguessable name, served only by the scoped
`virtue:store_item_photo` — the community's residents and the officials over it see it, another area's
user gets 404; a refused photo leaves the item as it was; on the store page, in the edit page and the API."""

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from grassroots.accounts.roles import Role
from grassroots.virtue import services_points as points
from grassroots.virtue.models import StoreItem
from tests.factories import make_user


def jpeg(name="soap.jpg", exif: bool = False) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    image = Image.new("RGB", (40, 30), (30, 90, 200))
    if exif:
        data = Image.Exif()
        data[0x010F] = "TestCamera"  # Make
        image.save(buffer, "JPEG", exif=data)
    else:
        image.save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


@pytest.fixture
def item(cast, tree):
    return points.create_item(actor=cast.worker, area=tree.community_a, name="肥皂", price=10, stock=3)


def test_a_photo_is_checked_reencoded_and_served_only_in_scope(
    cast, tree, item, client_for, django_capture_on_commit_callbacks
):
    item = points.set_item_photo(actor=cast.worker, item=item, image=jpeg(exif=True))
    name = item.photo.name
    assert name.startswith("virtue/") and "soap" not in name
    with item.photo.open("rb") as handle:
        assert b"TestCamera" not in handle.read()  # re-encoded without its metadata
    with pytest.raises(ValidationError) as info:
        fake = SimpleUploadedFile("x.jpg", b"<html>not an image</html>", content_type="image/jpeg")
        points.set_item_photo(actor=cast.worker, item=item, image=fake)
    assert "image" in info.value.message_dict
    with pytest.raises(PermissionDenied):
        points.set_item_photo(actor=cast.street_b, item=item, image=jpeg())
    item.refresh_from_db()
    assert item.photo.name == name
    url = f"/virtue/store/items/{item.pk}/photo/"
    for user in (cast.resident, cast.worker, cast.street_a):
        response = client_for(user).get(url)
        assert response.status_code == 200 and response["Content-Type"] == "image/jpeg", user
        assert response["Cache-Control"] == "private, no-store"
    outsider = make_user("yucai", Role.RESIDENT, tree.community_b, home_area=tree.community_b)
    assert client_for(outsider).get(url).status_code == 404
    assert client_for(cast.street_b).get(url).status_code == 404
    # the store shows it to the community's resident
    page = client_for(cast.resident).get("/virtue/store/").content.decode()
    assert f'src="{url}"' in page
    # removing it: the file goes once committed; the address answers 404
    storage = item.photo.storage
    with django_capture_on_commit_callbacks(execute=True):
        points.update_item(actor=cast.worker, item=item, remove_photo=True)
    item.refresh_from_db()
    assert not item.photo and not storage.exists(name)
    assert client_for(cast.resident).get(url).status_code == 404


def test_the_pages_upload_and_a_bad_photo_refuses_the_whole_item(cast, tree, item, client_for):
    client = client_for(cast.worker)
    response = client.post(
        "/virtue/store/manage/",
        {
            "area": tree.community_a.pk,
            "name": "毛巾",
            "price": 8,
            "stock": 4,
            "active": "on",
            "photo": jpeg(),
        },
    )
    assert response.status_code == 302
    towel = StoreItem.objects.get(name="毛巾")
    assert towel.photo.name.startswith("virtue/")
    fake = SimpleUploadedFile("x.jpg", b"not an image", content_type="image/jpeg")
    response = client.post(
        "/virtue/store/manage/",
        {"area": tree.community_a.pk, "name": "牙刷", "price": 3, "stock": 4, "active": "on", "photo": fake},
    )
    assert response.status_code == 200 and not StoreItem.objects.filter(name="牙刷").exists()
    edit = f"/virtue/store/items/{item.pk}/edit/"
    assert 'enctype="multipart/form-data"' in client.get(edit).content.decode()
    response = client.post(
        edit, {"name": "肥皂", "price": 10, "stock": 3, "active": "on", "photo": jpeg("new.png")}
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.photo
    page = client.get(edit).content.decode()
    assert f"/virtue/store/items/{item.pk}/photo/" in page and 'name="remove_photo"' in page


def test_the_api_sets_and_removes_the_photo(cast, tree, item, api_for):
    api = api_for(cast.worker)
    response = api.post(f"/api/store-items/{item.pk}/photo/", {"image": jpeg()}, format="multipart")
    assert response.status_code == 200, response.content
    assert response.json()["photo_url"].endswith(f"/virtue/store/items/{item.pk}/photo/")
    listed = api_for(cast.resident).get("/api/store-items/").json()["results"]
    assert listed[0]["photo_url"].endswith("/photo/")
    bad = api.post(
        f"/api/store-items/{item.pk}/photo/",
        {"image": SimpleUploadedFile("x.jpg", b"nope", content_type="image/jpeg")},
        format="multipart",
    )
    assert bad.status_code == 400 and "image" in bad.json()["errors"]
    outsider = api_for(cast.street_b)
    assert (
        outsider.post(f"/api/store-items/{item.pk}/photo/", {"image": jpeg()}, format="multipart").status_code
        == 404
    )
    resident = api_for(cast.resident)
    assert resident.delete(f"/api/store-items/{item.pk}/photo/").status_code == 403
    response = api.delete(f"/api/store-items/{item.pk}/photo/")
    assert response.status_code == 200 and response.json()["photo_url"] == ""
