"""Notices: read by everyone they concern, published and edited by community workers and above within their
own subtree. Outside one's scope a notice answers 404; visible but not one's own to change answers 403."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from grassroots.portal import services
from grassroots.portal.models import Notice
from tests.homes import open_home
from tests.portal.conftest import make_notice


def detail(notice) -> str:
    return reverse("portal:notice_detail", args=[notice.pk])


def edit(notice) -> str:
    return reverse("portal:notice_edit", args=[notice.pk])


def form_data(area, **overrides) -> dict:
    data = {
        "area": area.pk,
        "title": "议事会通知",
        "body": "本周六上午九点在社区活动室召开居民议事会。",
        "published_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
    }
    return data | overrides


# --- reading ----------------------------------------------------------------------------------------------


def test_resident_reads_a_notice_of_their_community(client_for, cast, notices):
    response = client_for(cast.resident).get(detail(notices.community_a))

    assert response.status_code == 200
    assert "桥楼社区停水通知的正文" in response.content.decode()
    assert not response.context["may_edit"]


@pytest.mark.parametrize(
    ("who", "which"),
    [
        ("resident", "community_b"),  # another community
        ("resident", "grid_a2"),  # a grid of their community that is not theirs
        ("resident", "scheduled"),  # not published yet
        ("street_b", "community_a"),  # the outsider
        ("street_b", "street_a"),
        ("secretary", "community_b"),
    ],
)
def test_notices_outside_the_scope_answer_404(client_for, cast, notices, who, which):
    client = client_for(getattr(cast, who))
    notice = getattr(notices, which)

    assert client.get(detail(notice)).status_code == 404
    assert client.get(edit(notice)).status_code == 404


def test_list_shows_scheduled_notices_to_their_managers_only(client_for, cast, notices):
    def titles(user):
        return {n.title for n in client_for(user).get(reverse("portal:notice_list")).context["page_obj"]}

    assert "桥楼社区明日预告" in titles(cast.worker)
    assert "桥楼社区明日预告" in titles(cast.street_a)
    assert "桥楼社区明日预告" not in titles(cast.resident)
    assert "桥楼社区明日预告" not in titles(cast.street_b)
    assert "桥楼社区明日预告" not in titles(cast.auditor)  # sees the subtree, but manages nothing


def test_notice_list_is_paginated_with_a_bounded_query_count(
    client_for, cast, tree, django_assert_max_num_queries
):
    client = client_for(cast.street_a)
    for i in range(3):
        make_notice(tree.community_a, f"通知{i}")
    client.get(reverse("portal:notice_list"))  # warm the session
    # session, user, grants, count, page of notices (with area and author), unread count
    with django_assert_max_num_queries(6):
        client.get(reverse("portal:notice_list"))
    for i in range(3, 45):
        make_notice(tree.community_a, f"通知{i}")
    with django_assert_max_num_queries(6):
        response = client.get(reverse("portal:notice_list") + "?page=2")
    assert response.context["page_obj"].number == 2
    assert 'class="pagination' in response.content.decode()
    assert "?page=3" in response.content.decode()


# --- publishing and editing -------------------------------------------------------------------------------


def test_worker_publishes_a_notice_to_their_community(client_for, cast, tree):
    response = client_for(cast.worker).post(reverse("portal:notice_create"), form_data(tree.grid_a))

    notice = Notice.objects.get()
    assert response.status_code == 302
    assert response["Location"] == detail(notice)
    assert (notice.area, notice.author, notice.title) == (tree.grid_a, cast.worker, "议事会通知")
    resident_home = open_home(client_for(cast.resident))
    assert "议事会通知" in resident_home.content.decode()


def test_area_outside_the_scope_is_refused_on_the_field(client_for, cast, tree):
    response = client_for(cast.worker).post(reverse("portal:notice_create"), form_data(tree.community_b))

    assert response.status_code == 200
    assert "area" in response.context["form"].errors
    assert not Notice.objects.exists()


def test_area_choices_reach_two_levels_below_the_scope(client_for, cast, tree):
    form = client_for(cast.street_a).get(reverse("portal:notice_create")).context["form"]
    assert set(form.fields["area"].queryset) == {tree.street_a, tree.community_a, tree.grid_a}


def test_residents_and_auditors_may_not_publish(client_for, cast, tree):
    for user in (cast.resident, cast.auditor):
        client = client_for(user)
        assert client.get(reverse("portal:notice_create")).status_code == 403
        assert client.post(reverse("portal:notice_create"), form_data(tree.courtyard_a)).status_code == 403
    assert not Notice.objects.exists()


def test_editing_a_notice_in_scope(client_for, cast, notices, tree):
    client = client_for(cast.secretary)
    response = client.post(edit(notices.grid_a), form_data(tree.community_a, title="改期通知", pinned="on"))

    assert response.status_code == 302
    notices.grid_a.refresh_from_db()
    assert (notices.grid_a.title, notices.grid_a.area, notices.grid_a.pinned) == (
        "改期通知",
        tree.community_a,
        True,
    )


def test_a_visible_notice_of_a_higher_level_answers_403_on_edit(client_for, cast, notices, tree):
    client = client_for(cast.street_a)

    assert client.get(detail(notices.city)).status_code == 200
    assert client.get(edit(notices.city)).status_code == 403
    assert client.post(edit(notices.city), form_data(tree.street_a)).status_code == 403
    assert client.post(reverse("portal:notice_delete", args=[notices.city.pk])).status_code == 403
    notices.city.refresh_from_db()
    assert notices.city.title == "全市防汛通知"


def test_deleting_a_notice(client_for, cast, notices):
    client = client_for(cast.worker)
    assert client.post(reverse("portal:notice_delete", args=[notices.grid_a.pk])).status_code == 302
    assert not Notice.objects.filter(pk=notices.grid_a.pk).exists()
    assert (
        client_for(cast.street_b)
        .post(reverse("portal:notice_delete", args=[notices.community_a.pk]))
        .status_code
        == 404
    )


# --- the services check rights themselves -----------------------------------------------------------------


def test_services_refuse_an_area_outside_the_scope(cast, tree, notices):
    with pytest.raises(PermissionDenied):
        services.create_notice(author=cast.street_b, area=tree.community_a, title="x", body="y")
    with pytest.raises(PermissionDenied):
        services.update_notice(
            notice=notices.community_a,
            editor=cast.worker,
            area=tree.community_b,
            title="x",
            body="y",
            published_at=timezone.now(),
            pinned=False,
        )


def test_scheduled_notice_appears_when_its_time_comes(client_for, cast, tree):
    notice = services.create_notice(
        author=cast.worker,
        area=tree.community_a,
        title="下周停电",
        body="…",
        published_at=timezone.now() + timedelta(hours=1),
    )
    client = client_for(cast.resident)
    assert client.get(detail(notice)).status_code == 404

    Notice.objects.filter(pk=notice.pk).update(published_at=timezone.now() - timedelta(minutes=1))
    assert client.get(detail(notice)).status_code == 200


def test_the_export_holds_the_lists_notices_and_none_of_another_street(client_for, cast, notices):
    from tests.imports.helpers import read_xlsx

    client = client_for(cast.street_a)
    assert 'data-export="portal-notices"' in client.get(reverse("portal:notice_list")).content.decode()
    response = client.post(reverse("imports:list_export", args=["portal-notices"]))
    assert response.status_code == 200
    rows = read_xlsx(b"".join(response.streaming_content))["通知公告"]
    assert rows[0] == ["标题", "发布范围", "发布时间", "置顶"]
    titles = {r[0] for r in rows[1:]}
    shown = {n.title for n in client.get(reverse("portal:notice_list")).context["page_obj"]}
    assert titles == shown and "桥楼社区明日预告" in titles  # the page's rows, its scheduled one too
    assert "育才社区体检安排" not in titles  # another street's
    assert (
        client_for(cast.resident).post(reverse("imports:list_export", args=["portal-notices"])).status_code
        == 403
    )
