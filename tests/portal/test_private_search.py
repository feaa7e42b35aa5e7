"""Searches never put an ID or phone number in a URL (portal/search.py): the search box POSTs, the results
URL carries a short-lived token of the session instead, pagination keeps it, and a number put in a URL by
hand is not searched."""

from datetime import date
from urllib.parse import parse_qs, urlsplit

from django.test import Client

from grassroots.accounts.roles import Role
from grassroots.core.members.models import Member
from tests.factories import PASSWORD, make_party_org, make_user
from tests.members.fixtures_records import valid_id

USERS = "/accounts/users/"
MEMBERS = "/members/"


def test_a_member_searched_by_id_number_never_puts_it_in_a_url(cast, tree, client_for):
    branch = make_party_org("桥楼社区党支部", tree.community_a)
    number = valid_id(date(1980, 5, 1), male=True)
    Member.objects.create(
        name="张晓",
        id_number=number,
        branch=branch,
        birth_date=date(1980, 5, 1),
        joined_probationary_on=date(2000, 7, 1),
    )
    Member.objects.create(
        name="王毅",
        id_number=valid_id(date(1981, 5, 1), male=True),
        branch=branch,
        birth_date=date(1981, 5, 1),
        joined_probationary_on=date(2000, 7, 1),
    )
    client = client_for(cast.secretary)
    response = client.post(MEMBERS, {"q": number, "branch": str(branch.pk)})
    assert response.status_code == 303
    location = response["Location"]
    assert number not in location and number[-6:] not in location
    query = parse_qs(urlsplit(location).query)
    assert query["branch"] == [str(branch.pk)] and len(query["s"][0]) >= 12
    page = client.get(location)
    names = {m.name for m in page.context["page_obj"].object_list}
    assert names == {"张晓"}
    # htmx gets the same, as a client-side redirect
    response = client.post(MEMBERS, {"q": number}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and number not in response["HX-Redirect"]
    # a number typed into the URL is not searched (every member listed)
    page = client.get(MEMBERS, {"q": number})
    assert {m.name for m in page.context["page_obj"].object_list} == {"张晓", "王毅"}


def test_pagination_keeps_the_search_and_the_token_is_this_sessions_only(cast, tree, client_for):
    for i in range(55):
        make_user(
            f"z{i:02}", Role.RESIDENT, tree.courtyard_a, home_area=tree.courtyard_a, full_name=f"张{i:02}"
        )
    make_user("wang", Role.RESIDENT, tree.courtyard_a, home_area=tree.courtyard_a, full_name="王五")
    client = client_for(cast.street_a)
    location = client.post(USERS, {"q": "张"})["Location"]
    first = client.get(location)
    assert first.context["page"].paginator.count == 55
    html = first.content.decode()
    token = parse_qs(urlsplit(location).query)["s"][0]
    assert f"s={token}" in html and "page=2" in html  # the page links carry the token
    second = client.get(location + "&page=2")
    assert [u.username for u in second.context["page"].object_list] == [f"z{i:02}" for i in range(50, 55)]

    other = Client()  # another session (same person): the token means nothing there
    other.post("/accounts/login/", {"username": "street_a", "password": PASSWORD})
    assert other.get(location).context["page"].paginator.count > 55
