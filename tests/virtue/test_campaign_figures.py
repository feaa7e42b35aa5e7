"""Campaign figures in the one registry against a hand count: campaigns started (cancelled beside),
nominations (withdrawn beside), voters of the public votes, objections answered; per street and in all."""

from django.utils import timezone

from grassroots.figures import compute, registry
from grassroots.virtue import services_campaign_changes as changes
from grassroots.virtue import services_campaigns as campaigns
from grassroots.virtue.models import Objection
from tests.virtue.campaign_helpers import new_campaign, org_of, residents, to_vote


def _line(result, area):
    return next(line for line in result.children if line.area == area)


def test_campaign_figures_against_a_hand_count(cast, tree, today):
    people = residents(tree)
    voting, nominations = to_vote(cast, tree, people)  # street A: 3 nominations, qualified
    for voter in (people.wang, people.li):
        campaigns.cast_vote(voter=voter, campaign=voting, nominations=[nominations[0]])
    other = new_campaign(cast, tree, actor=cast.street_b, area=tree.community_b)  # street B
    withdrawn = campaigns.nominate(
        actor=cast.street_b,
        campaign=other,
        nominee="赵阿姨",
        reason="热心",
        nominating_org=org_of(tree.community_b),
    )
    changes.withdraw_nomination(actor=cast.street_b, nomination=withdrawn)
    changes.cancel_campaign(actor=cast.street_b, campaign=other, reason="暂停")
    Objection.objects.create(campaign=voting, text="一", raised_by=people.zhao)
    Objection.objects.create(
        campaign=voting, text="二", raised_by=people.li, answer="已核实", answered_at=timezone.now()
    )
    year = timezone.localdate().year

    held = compute.breakdown(registry.get("virtue.campaigns"), tree.county, year, today)
    assert (held.total.value, held.total.counts["cancelled"], held.total.counts["awarded"]) == (2, 1, 0)
    assert _line(held, tree.street_a).value == 1 and _line(held, tree.street_b).counts["cancelled"] == 1

    nominated = compute.breakdown(registry.get("virtue.nominations"), tree.county, year, today)
    assert nominated.total.value == 4
    assert (nominated.total.counts["qualified"], nominated.total.counts["withdrawn"]) == (3, 1)
    assert _line(nominated, tree.street_b).value == 1

    voters = compute.breakdown(registry.get("virtue.campaign_voters"), tree.county, year, today)
    assert voters.total.value == 2
    assert (_line(voters, tree.street_a).value, _line(voters, tree.street_b).value) == (2, 0)

    answered = compute.breakdown(registry.get("virtue.objections_answered"), tree.county, year, today)
    assert float(answered.total.value) == 50.0 and answered.total.counts["raised"] == 2
    assert _line(answered, tree.street_b).value is None  # no objection there: no rate


def test_the_campaign_figures_are_for_those_who_read_virtue(api_for, cast, tree):
    rows = api_for(cast.city).get("/api/figures/", {"page_size": 100}).json()["results"]
    names = {row["name"] for row in rows}
    assert {"virtue.campaigns", "virtue.nominations", "virtue.campaign_voters"} <= names
    assert api_for(cast.resident).get("/api/figures/virtue.campaigns/").status_code == 404
