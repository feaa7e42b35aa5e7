"""The whole demo (tier S, every app's steps) fills every resource: each list of the API holds records for
the demo city official, and the workflow resources hold records in more than one state, so that a newcomer
sees each part at work. Slow (it loads the whole demo once for the module)."""

import pytest
from rest_framework.test import APIClient

from grassroots.accounts.models import User
from grassroots.api.urls import router


@pytest.fixture
def city_api(whole_demo, db):
    api = APIClient()
    api.force_authenticate(User.objects.get(username="city"))
    return api


# Every resource with a list (`/api/mine/` only has its own record's actions: record/, whereabouts/).
LISTS = sorted(prefix for prefix, viewset, _basename in router.registry if hasattr(viewset, "list"))


# Lists of one's own records only (no official sees them): read as the demo account that has some.
# Mediation sessions are a case file's: the city mediates at no level and reads none (docs/lawgov.md).
OWN_RECORDS = {"grid-ratings": "resident", "visits": "grid", "mediation-sessions": "mediator"}
# Lists that answer a query only (the search box: no words, no results).
QUERIES = {"search": {"q": "社区"}}


@pytest.mark.parametrize("prefix", LISTS)
def test_every_api_list_holds_demo_records(city_api, prefix):
    if prefix in OWN_RECORDS:
        city_api.force_authenticate(User.objects.get(username=OWN_RECORDS[prefix]))
    response = city_api.get(f"/api/{prefix}/", {"page_size": 1, **QUERIES.get(prefix, {})})
    assert response.status_code == 200, response.content
    assert response.json()["count"] >= 1, f"/api/{prefix}/ is empty in the demo"


@pytest.mark.parametrize(
    ("prefix", "states"),
    [
        ("transfers", {"requested", "released", "received", "refused", "cancelled"}),
        ("registrations", {"pending", "confirmed", "rejected", "ended"}),
        ("verifications", {"pending", "rejected", "verified"}),
        ("claims", {"pending", "accepted", "declined", "delivered", "confirmed"}),
        ("negotiations", {"open", "in_session", "agreed", "handed_over", "closed"}),
    ],
)
def test_the_new_demo_flows_show_each_state(city_api, prefix, states):
    rows = city_api.get(f"/api/{prefix}/", {"page_size": 500}).json()["results"]
    assert {row["state"] for row in rows} >= states


def test_the_demo_election_record_has_a_correction(city_api):
    """更正 at work in the demo: the election record's note corrected, with the reason and the history."""
    from grassroots.voting.models import ElectionCorrection

    correction = ElectionCorrection.objects.select_related("election").get()
    assert correction.reason and set(correction.changes) == {"note"}
    assert correction.election.note == correction.changes["note"][1] != correction.changes["note"][0]


def test_self_governance_matters_at_every_step_in_several_communities(whole_demo, db):
    """Issue 14: the demo community and the two nearby communities of the demo street hold matters at
    different steps, and every one of the five steps has matters in more than one community."""
    from collections import defaultdict

    from grassroots.selfgov.models import Matter

    steps = defaultdict(set)
    for community, state in Matter.objects.values_list("community__name", "state"):
        steps[community].add(state)
    assert len(steps) >= 3, dict(steps)
    assert all(len(states) >= 3 for states in steps.values()), dict(steps)
    assert {"collection", "hearing", "decision", "execution", "evaluation", "done"} <= steps["东大街社区"]
    for step in ("collection", "hearing", "decision", "execution", "evaluation", "done"):
        assert sum(step in states for states in steps.values()) >= 2, (step, dict(steps))


def test_quick_reports_on_the_map_in_several_communities(whole_demo, db):
    """随手拍统计's chart and map have demo data: quick reports with the phone's position in three
    communities, one of them rejected."""
    from grassroots.selfgov.models import Channel, Opinion

    placed = Opinion.objects.filter(channel=Channel.QUICK_REPORT, latitude__isnull=False)
    assert placed.values("community").distinct().count() >= 3
    assert placed.filter(state="rejected").exists()


def test_a_convention_signed_once_per_household(whole_demo, db):
    """Issue 14: a courtyard convention of the demo community in force with the rule 每户签署一次, some of
    its households signed (by one member each), not all."""
    from grassroots.selfgov import selectors_conventions as conv
    from grassroots.selfgov.models import Convention

    convention = Convention.objects.get(adoptions__per_household=True)
    version = convention.document.versions.get(state="published")
    counts = conv.signature_counts(convention, version)
    assert counts["per_household"] and counts["signed"] == counts["households_signed"]
    assert 0 < counts["households_signed"] < counts["households"]
