"""Buttons inside pages are shown only to those who may follow them (the crawl, test_crawl.py, checks every
role's pages on the demo; these are the cases issue 13 found, on the cast)."""

import pytest
from django.urls import reverse


@pytest.mark.parametrize(
    ("page", "link", "shown", "hidden"),
    [
        ("orglife:compliance", "orglife:worklist", "street_a", "worker"),
        ("assessments:report_list", "assessments:report_create", "street_a", "worker"),
    ],
)
def test_a_button_shows_only_to_those_it_does_not_refuse(client_for, cast, page, link, shown, hidden):
    href = f'href="{reverse(link)}"'
    assert href in client_for(getattr(cast, shown)).get(reverse(page)).content.decode()
    assert href not in client_for(getattr(cast, hidden)).get(reverse(page)).content.decode()
    assert client_for(getattr(cast, hidden)).get(reverse(link)).status_code in (403, 404)
