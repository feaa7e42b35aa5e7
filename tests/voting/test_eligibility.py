"""A courtyard's vote seen by the rest of its community: a verified resident of another courtyard of the same
community sees the vote with the reason they cannot vote and no ballot (page), is refused with 403 and that
reason (API); a resident of another community still gets 404; nothing is written."""

import pytest

from grassroots.accounts.roles import Role
from grassroots.voting.models import Ballot, Electorate, Turnout
from tests.factories import Level, make_area, make_user
from tests.voting.conftest import option

REASON = "不在本次投票的投票人范围内"


@pytest.fixture
def neighbour(tree, voters):
    """A verified resident of the community's second courtyard."""
    other = make_area("二号院落", Level.COURTYARD, tree.grid_a)
    return make_user("neighbour", Role.RESIDENT, other, home_area=other, verified_at=voters.wang.verified_at)


@pytest.mark.parametrize("electorate", [Electorate.RESIDENTS, Electorate.HOUSEHOLDS])
def test_a_resident_of_another_courtyard_sees_the_vote_and_why_not(
    make_vote, voters, tree, neighbour, client_for, api_for, electorate
):
    vote = make_vote(area=tree.courtyard_a, electorate=electorate)
    page = client_for(neighbour).get(f"/voting/{vote.pk}/")
    body = page.content.decode()
    assert page.status_code == 200 and vote.title in body
    assert REASON in body and "一号院落" in body and 'id="not-eligible"' in body
    assert f'action="/voting/{vote.pk}/cast/"' not in body  # no ballot form
    assert any(v["id"] == vote.pk for v in api_for(neighbour).get("/api/votes/").json()["results"])
    assert api_for(neighbour).get(f"/api/votes/{vote.pk}/").status_code == 200

    posted = client_for(neighbour).post(f"/voting/{vote.pk}/cast/", {"options": option(vote, "同意")})
    assert posted.status_code == 403 and REASON in posted.content.decode()
    answer = api_for(neighbour).post(
        f"/api/votes/{vote.pk}/ballots/", {"options": [option(vote, "同意")]}, format="json"
    )
    assert answer.status_code == 403
    assert REASON in answer.json()["detail"]  # the one error shape: {"detail": message}
    assert not Ballot.objects.exists() and not Turnout.objects.exists()

    # the courtyard's own voter still gets the ballot form
    own = client_for(voters.wang).get(f"/voting/{vote.pk}/").content.decode()
    assert f'action="/voting/{vote.pk}/cast/"' in own and 'id="not-eligible"' not in own


def test_another_community_still_gets_404(make_vote, voters, tree, client_for, api_for):
    vote = make_vote(area=tree.courtyard_a)
    assert client_for(voters.outsider).get(f"/voting/{vote.pk}/").status_code == 404
    assert api_for(voters.outsider).get(f"/api/votes/{vote.pk}/").status_code == 404
    answer = api_for(voters.outsider).post(
        f"/api/votes/{vote.pk}/ballots/", {"options": [option(vote, "同意")]}, format="json"
    )
    assert answer.status_code == 404
    assert not Ballot.objects.exists()


def test_drafts_and_lists_stay_hidden_from_the_community(make_vote, tree, voters, neighbour, client_for):
    draft = make_vote(area=tree.courtyard_a, publish=False)
    assert client_for(neighbour).get(f"/voting/{draft.pk}/").status_code == 404
    listed = make_vote(area=tree.courtyard_a, electorate=Electorate.LIST, electors=[voters.wang])
    assert client_for(neighbour).get(f"/voting/{listed.pk}/").status_code == 404
