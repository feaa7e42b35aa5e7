"""The requests list's one FilterSet (admission/filters.py: RequestFilter): the 准入申请 page and
`/api/admission-requests/` give the same rows for the same filter."""

import pytest
from django.urls import reverse

from grassroots.workflow.services import transition


@pytest.fixture
def requests(tree, cast, file):
    """Two requests for 青江街道 (one reviewed by the street), one of another department for 东城街道."""
    waiting = file()
    reviewed = file(name="退役军人信息采集")
    transition(reviewed, "review", actor=cast.street_a)
    other = file(area=tree.street_b, department="雨城区人社局", name="灵活就业登记")
    return waiting, reviewed, other


@pytest.mark.parametrize(
    "query",
    [
        "state=",
        "state=pending",
        "state=submitted",
        "state=reviewed",
        "department=雨城区人社局",
        "area={street_a}",
    ],
)
@pytest.mark.parametrize("who", ["street_a", "county"])
def test_the_page_and_the_api_filter_requests_alike(
    requests, tree, cast, county, client_for, api_for, who, query
):
    user = county if who == "county" else getattr(cast, who)
    query = query.format(street_a=tree.street_a.pk)
    api = api_for(user).get(f"/api/admission-requests/?{query}")
    shown = query if query.startswith("state=") else f"state=&{query}"  # the page opens on "pending"
    page = client_for(user).get(reverse("admission:request_list") + f"?{shown}")
    assert api.status_code == page.status_code == 200
    listed = [r.pk for r in page.context["page_obj"]]
    assert listed == [row["id"] for row in api.json()["results"]]


def test_the_page_opens_on_the_requests_waiting_for_me(requests, cast, county2, client_for, api_for):
    """The street reviews the one filed; the other county official (not the one who filed) approves."""
    waiting, reviewed, _other = requests
    for user, expected in ((cast.street_a, [waiting.pk]), (county2, [reviewed.pk])):
        page = client_for(user).get(reverse("admission:request_list"))
        assert [r.pk for r in page.context["page_obj"]] == expected
        pending = api_for(user).get("/api/admission-requests/?state=pending").json()["results"]
        assert [row["id"] for row in pending] == expected
    assert api_for(cast.street_a).get("/api/admission-requests/?state=nonsense").status_code == 400
