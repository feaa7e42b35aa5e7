"""A part's bare address (/lawgov/, /virtue/ …), typed or cut back from a page's address, opens the first page
of that part the user's menu shows them, never a 404 for a part they work in."""

import pytest
from django.urls import reverse

from grassroots.portal import navigation


def _first_menu_url(user, prefix: str) -> str | None:
    links = [link.url for s in navigation.nav_for(user) for link in s.links]
    return next((url for url in links if url.startswith(prefix)), None)


@pytest.mark.parametrize("part", ["lawgov", "cogov", "virtue", "assessments", "documents"])
def test_a_part_root_opens_the_first_page_of_it_in_the_users_menu(client_for, cast, part):
    expected = _first_menu_url(cast.city, f"/{part}/")
    assert expected, f"the city official's menu has a page under /{part}/"

    response = client_for(cast.city).get(f"/{part}/")

    assert response.status_code == 302
    assert response["Location"] == expected


def test_a_part_with_an_index_page_keeps_it(client_for, cast):
    assert client_for(cast.city).get("/members/").status_code == 200
    assert reverse("part_root", kwargs={"part": "members"}) == "/members/"  # the same address, tried last


def test_a_part_the_user_has_no_page_in_is_not_found(client_for, cast):
    assert _first_menu_url(cast.resident, "/imports/") is None  # imports are for officials

    response = client_for(cast.resident).get("/imports/")

    assert response.status_code == 404


def test_signed_out_visitors_are_sent_to_sign_in(client):
    response = client.get("/lawgov/")

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_an_unknown_prefix_is_still_not_found(client_for, cast):
    assert client_for(cast.city).get("/no-such-part/").status_code == 404
