"""The list page and the API list make the same number of queries for 3 gatherings as for 30."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from grassroots.accounts.roles import Role
from grassroots.gatherings import selectors, services
from tests.factories import make_user


def fill(cast, make_gathering, count, start=0):
    for i in range(start, start + count):
        gathering = make_gathering(title=f"活动{i}", starts_in=timedelta(days=i + 1), capacity=50)
        services.sign_up(user=cast.resident, gathering=gathering)
        services.invite(actor=cast.street_a, gathering=gathering, users=[cast.worker])


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


# session, user, grants, count, the page of rows (counts as subqueries); the pages add the areas of the
# filter and the header's unread badge
LIST_QUERIES = {"/gatherings/": 7, "/gatherings/?when=upcoming": 7, "/api/gatherings/": 5}


@pytest.mark.parametrize("url", list(LIST_QUERIES))
def test_list_queries_do_not_grow_with_rows(
    cast, client_for, make_gathering, url, django_assert_max_num_queries
):
    client = client_for(cast.street_a)
    fill(cast, make_gathering, 3)
    with django_assert_max_num_queries(LIST_QUERIES[url]):
        assert client.get(url).status_code == 200
    fill(cast, make_gathering, 27, start=3)
    with django_assert_max_num_queries(LIST_QUERIES[url]):
        response = client.get(url)
    # the 30 rows are really there
    if url.startswith("/api/"):
        assert response.json()["count"] == 30
    else:
        assert "共 30 条" in response.content.decode()


def test_upcoming_for_is_one_query(cast, make_gathering, django_assert_num_queries):
    fill(cast, make_gathering, 5)
    cast.resident.grants_cached()
    _ = cast.resident.home_area
    with django_assert_num_queries(1):
        assert len(selectors.upcoming_for(cast.resident)) == 5


def test_the_detail_page_with_its_steps_and_timeline_does_not_grow_with_its_history(
    cast, client_for, ongoing, django_assert_max_num_queries
):
    """The organizer's detail page: the same queries with a short and a long participant list and timeline."""
    client = client_for(cast.street_a)
    url = f"/gatherings/{ongoing.pk}/"
    services.invite(actor=cast.street_a, gathering=ongoing, users=[cast.worker])
    few = count_queries(client, url)
    people = [make_user(f"resident{i}", Role.RESIDENT, cast.resident.home_area) for i in range(10)]
    services.invite(actor=cast.street_a, gathering=ongoing, users=people)
    services.record_attendance_sheet(
        actor=cast.street_a, gathering=ongoing, marks=[(p, True, "") for p in people]
    )
    services.mark_held(actor=cast.street_a, gathering=ongoing)
    # session, user, grants; the gathering with its counts; my participation; the breadcrumb's areas; the
    # decision form's owners; the unread badge; decisions; photos; participants; guests without an account;
    # the timeline's log rows and their attachments. The step buttons cost none (the area is joined, the
    # content type cached).
    with django_assert_max_num_queries(14):
        response = client.get(url)
    assert response.status_code == 200 and few <= 14
    assert "/mark_held/" not in response.content.decode()  # held now: no step button left
