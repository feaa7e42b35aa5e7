"""The Party organizations list's one FilterSet (areas/filters.py): the 党组织 page and /api/party-orgs/ give
the same organizations for the same filter; the page shows the live ones unless asked otherwise."""

import pytest
from django.urls import reverse

from grassroots.areas import services
from tests.factories import make_party_org


@pytest.fixture
def orgs(tree, cast):
    street = make_party_org("青江街道党工委", tree.street_a, kind="committee")
    community = make_party_org("桥楼社区党委", tree.community_a, kind="committee", parent=street)
    branch = make_party_org("第一网格党支部", tree.grid_a, kind="branch", parent=community)
    old = make_party_org("原第二网格党支部", tree.grid_a, kind="branch", parent=community)
    old.code = "QJ-002"
    old.save()
    services.retire_party_org(org=old, actor=cast.street_a)
    make_party_org("育才社区党委", tree.community_b, kind="committee")
    return street, community, branch, old


QUERIES = [
    "retired=false",
    "retired=true",
    "retired=unknown",
    "kind=branch&retired=unknown",
    "q=网格&retired=false",
    "q=QJ&retired=unknown",
    "area={grid_a}&retired=unknown",
    "parent={community}&retired=false",
]


@pytest.mark.parametrize("query", QUERIES)
@pytest.mark.parametrize("who", ["street_a", "city"])
def test_the_page_and_the_api_filter_alike(orgs, tree, cast, client_for, api_for, who, query):
    query = query.format(grid_a=tree.grid_a.pk, community=orgs[1].pk)
    user = getattr(cast, who)
    api = api_for(user).get(f"/api/party-orgs/?{query}")
    page = client_for(user).get(reverse("areas:party_org_list") + f"?{query}")
    assert api.status_code == page.status_code == 200
    listed = {org.name for org in page.context["page_obj"]}
    assert listed == {row["name"] for row in api.json()["results"]} and listed


def test_the_page_lists_the_live_organizations_by_default(orgs, cast, client_for, api_for):
    page = client_for(cast.street_a).get(reverse("areas:party_org_list"))
    assert {org.name for org in page.context["page_obj"]} == {
        "青江街道党工委",
        "桥楼社区党委",
        "第一网格党支部",
    }
    assert api_for(cast.street_a).get("/api/party-orgs/").json()["count"] == 4  # the API lists both
