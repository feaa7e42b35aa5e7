"""Issue 14, self-governance's figures in the one registry against a hand count: the residents' opinions
(submitted, grouped into a matter, rejected, reaching the support threshold), the conventions adopted, their
signing by household and the turnout of the votes; per child area, by month, on the dashboard and in
/api/figures/."""

from datetime import timedelta

from django.utils import timezone

from grassroots.documents import services as documents
from grassroots.figures import compute, registry
from grassroots.selfgov.services import conventions, matters, opinions
from grassroots.voting.services import ballots, households, votes

BODY = [{"number": "1", "title": "环境卫生", "items": [{"number": "1.1", "text": "垃圾分类投放。"}]}]
NAMES = (
    "selfgov.opinions",
    "selfgov.conventions_adopted",
    "selfgov.convention_signing",
    "selfgov.vote_turnout",
)


def _line(result, area):
    return next(line for line in result.children if line.area == area)


def _hand_counted(cast, tree, people):
    """Community A: wang's three opinions — one grouped into a matter, one rejected, one supported by li and
    zhao (the threshold is 2); the outsider's one in community B. The courtyard's convention adopted by a
    households' vote signed per household: households 1栋101 (wang, li), 1栋102 (zhao), 1栋103 (sun); the
    vote's electorate 3 households, 2 ballots (wang, zhao); signed by 1栋101 only (li)."""
    grouped = opinions.submit_opinion(author=people.wang, category="parking", text="乱停车")
    rejected = opinions.submit_opinion(author=people.wang, category="parking", text="想要停车位")
    reached = opinions.submit_opinion(author=people.wang, category="environment", text="垃圾清运不及时")
    opinions.submit_opinion(author=people.outsider, category="environment", text="路灯坏了")
    matters.create_matter(
        actor=cast.worker, area=tree.courtyard_a, title="停车整治", category="parking", opinions=[grouped]
    )
    opinions.reject_opinion(actor=cast.worker, opinion=rejected, reason="不属于社区事务")
    for supporter in (people.li, people.zhao):
        opinions.support_opinion(user=supporter, opinion=reached)

    homes = [
        households.create_household(actor=cast.worker, area=tree.courtyard_a, name=name)
        for name in ("1栋101", "1栋102", "1栋103")
    ]
    for person, home in ((people.wang, 0), (people.li, 0), (people.zhao, 1), (people.sun, 2)):
        households.add_member(actor=cast.worker, household=homes[home], user=person)
    convention = conventions.start_convention(actor=cast.worker, courtyard=tree.courtyard_a)
    documents.save_draft(actor=cast.worker, version=convention.document.versions.get(), body=BODY)
    now = timezone.now()
    conventions.open_discussion(actor=cast.worker, convention=convention, ends_at=now + timedelta(hours=1))
    conventions.call_vote(
        actor=cast.worker,
        convention=convention,
        opens_at=now - timedelta(minutes=1),
        closes_at=now + timedelta(hours=1),
        electorate="households",
        per_household=True,
    )
    convention.refresh_from_db()
    agree = convention.vote.options.get(position=0).pk
    for voter in (people.wang, people.zhao):
        ballots.cast_ballot(voter=voter, vote=convention.vote, option_ids=[agree])
    votes.close_vote(actor=cast.worker, vote=convention.vote)
    convention = conventions.settle_vote(actor=cast.worker, convention=convention)
    conventions.sign(user=people.li, convention=convention)
    return convention


def test_selfgov_figures_against_a_hand_count(cast, tree, people, today):
    _hand_counted(cast, tree, people)
    year = timezone.localdate().year
    month = timezone.localdate().month

    said = compute.breakdown(registry.get("selfgov.opinions"), tree.county, year, today)
    assert said.total.value == 4
    counts = _line(said, tree.street_a).counts
    assert (counts["submitted"], counts["grouped"], counts["rejected"], counts["reached"]) == (3, 1, 1, 1)
    assert _line(said, tree.street_b).value == 1
    assert (
        compute.monthly(registry.get("selfgov.opinions"), tree.county, year, today)[month - 1]["value"] == 4
    )

    adopted = compute.breakdown(registry.get("selfgov.conventions_adopted"), tree.county, year, today)
    assert (adopted.total.value, adopted.total.counts["per_household"]) == (1, 1)
    assert _line(adopted, tree.street_b).value == 0

    signing = registry.get("selfgov.convention_signing")
    signed = compute.breakdown(signing, tree.county, year, today)
    assert (signed.total.counts["households"], signed.total.counts["signed"]) == (3, 1)
    assert float(signed.total.value) == 33.3
    assert _line(signed, tree.street_b).value is None  # no convention in force there: no rate
    assert float(compute.monthly(signing, tree.county, year, today)[month - 1]["value"]) == 33.3

    turnout = compute.breakdown(registry.get("selfgov.vote_turnout"), tree.county, year, today)
    counts = turnout.total.counts
    assert (counts["votes"], counts["ballots"], counts["electorate"]) == (1, 2, 3)
    assert float(turnout.total.value) == 66.7
    assert float(_line(turnout, tree.street_a).value) == 66.7


def test_on_the_dashboard_and_in_the_api_for_the_officials_only(client_for, api_for, cast, tree, people):
    _hand_counted(cast, tree, people)
    rows = api_for(cast.city).get("/api/figures/", {"page_size": 200}).json()["results"]
    assert set(NAMES) <= {row["name"] for row in rows}
    answer = api_for(cast.street_a).get("/api/figures/selfgov.vote_turnout/").json()
    assert answer["total"]["counts"]["ballots"] == 2 and answer["total"]["value"] == 66.7
    page = client_for(cast.street_a).get("/dashboard/", {"figure": "selfgov.convention_signing"})
    text = page.content.decode()
    assert page.status_code == 200 and "居民公约签署率（按户）" in text and "议事表决参与率" in text
    assert "33.3" in text
    # another street's official sees none of street A's
    other = api_for(cast.street_b).get(f"/api/figures/selfgov.opinions/?area={tree.street_a.pk}")
    assert other.status_code == 404
    assert api_for(people.wang).get("/api/figures/selfgov.opinions/").status_code == 404
