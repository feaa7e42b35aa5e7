"""Numbers read by hand from a page's query string or posted data (`grassroots.ids.as_id`, `year_param`): "²"
(a digit to `str.isdigit()`, no number to `int()`), a number past the largest id (2**63-1) and text each
give the page's answer to an unknown value — an ignored filter, an empty choice, a 404 — never a 500."""

import pytest
from django.test import Client
from django.urls import reverse

from grassroots.accounts.roles import Role
from grassroots.ids import as_id
from tests.exports.test_every_list import ON_A_RECORDS_PAGE
from tests.factories import make_user

BAD = ["²", "99999999999999999999", "abc"]

# (who, method, url name, the parameter, the answers the page gives an unknown value)
PAGES = [
    ("street_a", "get", "selfgov:quick_reports", "year", {200}),
    ("street_a", "get", "selfgov:quick_reports", "area", {404}),
    ("secretary", "get", "cogov:agreement_create", "partner", {200}),
    ("street_a", "get", "cogov:joint_meetings", "body", {200}),
    (None, "get", "accounts:register_areas", "community", {200}),
    (None, "post", "accounts:register", "community", {200}),
    ("worker", "get", "lawgov:dispute_intake", "visit", {200}),
    ("worker", "post", "lawgov:dispute_intake", "applicant", {200, 400}),
    ("county", "get", "admission:funds_create", "affair", {200}),
    ("county", "get", "admission:funds_create", "community", {200}),
    ("county", "post", "admission:funds_create", "community", {200}),
    ("county", "post", "admission:funds_bulk", "communities", {200}),
    ("street_a", "post", "gatherings:create", "area", {200}),
    # every list exported from a record's page: the record's id in the query string of the posted form
    *[
        ("street_a", "post-query", f"imports:list_export {kind}", param, {404})
        for kind, param in sorted(ON_A_RECORDS_PAGE.items())
    ],
]


@pytest.mark.parametrize("value", BAD)
@pytest.mark.parametrize(("who", "method", "name", "param", "answers"), PAGES, ids=lambda p: p)
def test_a_number_that_is_none_is_no_500(cast, tree, value, who, method, name, param, answers):
    name, *args = name.split()
    url = reverse(name, args=args)
    client = Client(raise_request_exception=False)
    if who == "county":
        client.force_login(make_user("county", Role.COUNTY_OFFICIAL, tree.county))
    elif who:
        client.force_login(getattr(cast, who))
    if method == "get":
        response = client.get(url, {param: value})
    elif method == "post":
        response = client.post(url, {param: value})
    else:  # a list export: the record is named in the query string of the posted form
        response = client.post(f"{url}?{param}={value}")
    assert response.status_code in answers, response.status_code


@pytest.mark.parametrize(
    ("value", "pk"),
    [
        ("42", 42),
        (42, 42),
        ("9223372036854775807", 2**63 - 1),
        ("9223372036854775808", None),
        ("99999999999999999999", None),
        ("²", None),
        ("١٢", None),  # Arabic-Indic digits: decimal to Python, no id of ours
        ("abc", None),
        ("", None),
        (None, None),
        ("0", None),
        ("-1", None),
        (" 1", None),
        ("1_0", None),
        (True, None),
    ],
)
def test_as_id_takes_ascii_digits_up_to_the_largest_id(value, pk):
    assert as_id(value) == pk
