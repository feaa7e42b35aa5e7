"""`/api/notices/` through the API client: the list is the page's (what the user may read, scheduled ones
only to their managers), an outsider of another area gets 404 on the record and cannot publish there, and
create, edit and delete work for the one who manages the area."""

from datetime import timedelta

from django.utils import timezone

from grassroots.portal.models import Notice
from tests.portal.conftest import make_notice

URL = "/api/notices/"


def titles(client) -> set[str]:
    body = client.get(URL, {"page_size": 100}).json()
    assert body["count"] == len(body["results"])
    return {row["title"] for row in body["results"]}


def test_the_list_is_the_pages(api_for, cast, notices, django_assert_max_num_queries):
    worker, street_b, resident = api_for(cast.worker), api_for(cast.street_b), api_for(cast.resident)
    assert "桥楼社区明日预告" in titles(worker)  # scheduled, shown to its managers
    assert "桥楼社区明日预告" not in titles(resident)
    assert titles(street_b) & titles(resident) <= {n.title for n in Notice.objects.filter(area__depth__lte=2)}
    with django_assert_max_num_queries(6):
        street_b.get(URL)


def test_an_outsider_gets_404_and_cannot_publish_in_another_area(api_for, cast, tree):
    notice = make_notice(tree.community_a, "桥楼社区通知")
    outsider = api_for(cast.street_b)
    assert outsider.get(f"{URL}{notice.pk}/").status_code == 404
    assert outsider.patch(f"{URL}{notice.pk}/", {"title": "改"}, format="json").status_code == 404
    assert outsider.delete(f"{URL}{notice.pk}/").status_code == 404
    response = outsider.post(
        URL, {"area": tree.community_a.pk, "title": "越权", "body": "正文"}, format="json"
    )
    assert response.status_code in (400, 403)
    assert not Notice.objects.filter(title="越权").exists()
    assert Notice.objects.get(pk=notice.pk).title == "桥楼社区通知"


def test_a_reader_who_does_not_manage_gets_403(api_for, cast, tree):
    notice = make_notice(tree.community_a, "桥楼社区通知")
    resident = api_for(cast.resident)
    assert resident.get(f"{URL}{notice.pk}/").status_code == 200
    assert resident.patch(f"{URL}{notice.pk}/", {"title": "改"}, format="json").status_code == 403
    assert resident.delete(f"{URL}{notice.pk}/").status_code == 403
    created = resident.post(
        URL, {"area": tree.courtyard_a.pk, "title": "居民", "body": "正文"}, format="json"
    )
    assert created.status_code in (400, 403) and not Notice.objects.filter(title="居民").exists()


def test_the_manager_creates_edits_and_deletes(api_for, cast, tree):
    worker = api_for(cast.worker)
    tomorrow = timezone.now() + timedelta(days=1)
    response = worker.post(
        URL,
        {
            "area": tree.grid_a.pk,
            "title": "议事会通知",
            "body": "周六开会",
            "published_at": tomorrow.isoformat(),
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["area"], body["title"], body["is_published"], body["pinned"]) == (
        tree.grid_a.pk,
        "议事会通知",
        False,
        False,
    )
    notice = Notice.objects.get(pk=body["id"])
    assert notice.author == cast.worker
    assert "议事会通知" not in titles(api_for(cast.resident))  # scheduled

    response = worker.patch(f"{URL}{notice.pk}/", {"pinned": True, "title": "议事会改期"}, format="json")
    assert response.status_code == 200, response.content
    notice.refresh_from_db()
    assert (notice.title, notice.pinned, notice.area, notice.body) == (
        "议事会改期",
        True,
        tree.grid_a,
        "周六开会",
    )

    missing = worker.post(URL, {"area": tree.grid_a.pk, "title": ""}, format="json")
    assert missing.status_code == 400 and {"title", "body"} <= set(missing.json()["errors"])

    assert worker.delete(f"{URL}{notice.pk}/").status_code == 204
    assert not Notice.objects.filter(pk=notice.pk).exists()
