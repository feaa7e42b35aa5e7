from grassroots.voting.models import Ballot, Electorate, VoteStatus
from grassroots.voting.services import ballots
from tests.voting.conftest import option


def test_every_step_through_the_api(cast, tree, voters, api_for, make_vote, today):
    official = api_for(cast.worker)
    created = official.post(
        "/api/votes/",
        {
            "area": tree.community_a.pk,
            "title": "公共区域改造",
            "options": ["同意", "不同意"],
            "electorate": Electorate.RESIDENTS,
            "opens_at": "2026-05-12T08:00:00+08:00",
            "closes_at": "2026-05-20T18:00:00+08:00",
            "majority": "simple",
            "secret": False,
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert official.post(f"/api/votes/{pk}/publish/").json()["status"] == VoteStatus.PUBLISHED

    resident = api_for(voters.wang)
    yes = created.json()["options"][0]["id"]
    cast_ = resident.post(f"/api/votes/{pk}/ballots/", {"options": [yes]}, format="json")
    assert cast_.status_code == 201, cast_.content
    again = resident.post(f"/api/votes/{pk}/ballots/", {"options": [yes]}, format="json")
    assert again.status_code == 400 and "您已投过票" in again.content.decode()
    receipt = resident.post(f"/api/votes/{pk}/receipt/", {"code": cast_.json()["receipt"]}, format="json")
    assert receipt.json()["options"] == ["同意"]
    assert resident.get(f"/api/votes/{pk}/ballots/").status_code == 403

    rows = official.get(f"/api/votes/{pk}/ballots/").json()
    assert rows["chain_fault"] is None and rows["ballots"][0]["voter"] == "wang"
    closed = official.post(f"/api/votes/{pk}/close/").json()
    assert closed["result"]["ballots"] == 1


def test_a_secret_ballot_never_shows_its_voter_and_outsiders_get_404(make_vote, voters, cast, api_for):
    vote = make_vote()
    ballots.cast_ballot(voter=voters.wang, vote=vote, option_ids=[option(vote, "同意")])
    assert api_for(cast.worker).get(f"/api/votes/{vote.pk}/ballots/").json()["ballots"][0]["voter"] is None
    outsider = api_for(voters.outsider)
    assert outsider.get(f"/api/votes/{vote.pk}/").status_code == 404
    answer = outsider.post(
        f"/api/votes/{vote.pk}/ballots/", {"options": [option(vote, "同意")]}, format="json"
    )
    assert answer.status_code == 404
    assert api_for(cast.street_b).post(f"/api/votes/{vote.pk}/close/").status_code == 404
    assert Ballot.objects.count() == 1
