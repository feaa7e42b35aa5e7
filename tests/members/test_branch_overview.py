"""各支部信息完整度 (/members/branches/): the page pages through the branches' keys and aggregates the members
of its page's branches only (issue 19: at tier M the city's page grouped all 80,000 members to show 30);
its rows are its export's, in the same order, and its queries do not grow with the branches or members."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from grassroots.areas.models import PartyOrg
from grassroots.core.members.selectors import records as selectors
from tests.factories import make_party_org
from tests.members.fixtures_precisions import *  # noqa: F403


def _rows_shown(client, page=1):
    response = client.get(f"/members/branches/?page={page}")
    assert response.status_code == 200
    return [(r["branch_id"], r["total"], r["below"]) for r in response.context["rows"]]


def test_the_page_shows_its_exports_rows_page_by_page(cast, tree, make_member, branch_b, client_for):
    for i in range(3):
        branch = make_party_org(f"桥楼社区第{i + 3}党支部", tree.community_a)
        for j in range(i + 1):
            make_member(f"党员{i}{j}", branch=branch, phone="" if j else "13812345678")
    make_member("育才甲", branch=branch_b)
    make_party_org("空支部", tree.community_a)  # no member: not listed, as in the export
    city = client_for(cast.city)
    every = [(r["branch_id"], r["total"], r["below"]) for r in selectors.completeness_by_branch(cast.city)]
    assert len(every) == 4
    assert _rows_shown(city) == every
    assert [r[0] for r in _rows_shown(client_for(cast.street_a))] == [
        pk for pk, *_ in every if PartyOrg.objects.get(pk=pk).area.path.startswith(tree.street_a.path)
    ]
    aggregate = selectors.completeness_by_branch(cast.city, branches=[every[0][0]])
    assert [r["branch_id"] for r in aggregate] == [every[0][0]]


def test_its_queries_do_not_grow_with_branches_or_members(cast, tree, make_member, client_for):
    city = client_for(cast.city)
    make_member("甲")

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert city.get("/members/branches/").status_code == 200
        return len(queries)

    one = count()
    for i in range(6):
        branch = make_party_org(f"桥楼社区第{i + 3}党支部", tree.community_a)
        for j in range(3):
            make_member(f"党员{i}{j}", branch=branch)
    assert count() == one


def test_the_aggregate_reads_the_pages_branches_only(cast, tree, make_member, client_for):
    make_member("甲")
    city = client_for(cast.city)
    with CaptureQueriesContext(connection) as queries:
        city.get("/members/branches/")
    grouped = [q["sql"] for q in queries if "GROUP BY" in q["sql"] and "members_member" in q["sql"]]
    assert len(grouped) == 1 and "IN (" in grouped[0]
