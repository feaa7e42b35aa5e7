"""Issue 14, the results page of its own (/voting/<id>/results/, GET /api/votes/{id}/results/): the count,
the turnout against the electorate, the quorum and the majority rule with the outcome, the ballot chain's
verification (failing once a ballot row is altered); public within the area — a resident of the matter's
area sees it, one of another community gets 404; linked from the matter page and the convention page."""

from django.db import connection

from grassroots.voting.models import Ballot


def test_a_matters_results_page(client_for, api_for, cast, people, adopted):
    """The adopted matter: 4 verified residents in the courtyard, 3 ballots for the first option, quorum
    50 % (2 ballots), simple majority."""
    matter, vote = adopted, adopted.vote
    url = f"/voting/{vote.pk}/results/"
    resident = client_for(people.sun)  # did not vote: the results are public within the area all the same
    assert url in resident.get(matter.get_absolute_url()).content.decode()
    page = resident.get(url)
    text = page.content.decode()
    assert page.status_code == 200
    assert "投票 3，应投 4（人或户）" in text and "参与率 75.0%" in text
    assert "最低参与比例 50%（至少 2 票）" in text and "已达到" in text
    first = vote.options.get(position=0).label
    assert f"通过：{first}" in text and "同意票须超过投票数的一半" in text
    assert "选票链校验通过：3 张选票逐张相连，未被改动。" in text and vote.chain_head in text

    answer = api_for(people.sun).get(f"/api/votes/{vote.pk}/results/").json()
    assert (answer["ballots"], answer["electorate"], answer["turnout_percent"]) == (3, 4, "75.0")
    assert answer["quorum_met"] and answer["quorum_ballots"] == 2 and answer["outcome"] == f"通过：{first}"
    assert answer["options"][0]["votes"] == 3 and answer["options"][0]["carried"]
    assert answer["chain"] == {"verified": True, "fault": None, "digest": vote.chain_head, "length": 3}

    # outside the area: 404, page and API alike
    assert client_for(people.outsider).get(url).status_code == 404
    assert api_for(people.outsider).get(f"/api/votes/{vote.pk}/results/").status_code == 404

    # a ballot row altered in the database: the page and the API say so, naming the ballot
    second = Ballot.objects.get(vote=vote, seq=2)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {Ballot._meta.db_table} SET receipt_digest = %s WHERE id = %s", ["f" * 64, second.pk]
        )
    assert "选票链校验未通过：第 2 张选票的内容被改动。" in resident.get(url).content.decode()
    chain = api_for(people.sun).get(f"/api/votes/{vote.pk}/results/").json()["chain"]
    assert not chain["verified"] and "第 2 张" in chain["fault"]


def test_before_closing_nothing_is_shown(client_for, api_for, cast, people, in_hearing, time_machine):
    from datetime import timedelta

    from django.utils import timezone

    from grassroots.gatherings.services import mark_held
    from grassroots.selfgov.services import matters

    matter = in_hearing
    time_machine.move_to(matter.hearing.starts_at + timedelta(minutes=5), tick=True)
    mark_held(actor=cast.worker, gathering=matter.hearing)
    now = timezone.now()
    matters.call_vote(actor=cast.worker, matter=matter, opens_at=now, closes_at=now + timedelta(days=1))
    matter.refresh_from_db()
    page = client_for(people.wang).get(f"/voting/{matter.vote_id}/results/")
    assert page.status_code == 200 and "表决尚未结束，结果在投票结束计票后公布。" in page.content.decode()
    answer = api_for(people.wang).get(f"/api/votes/{matter.vote_id}/results/")
    assert answer.status_code == 404 and "表决尚未结束" in answer.json()["detail"]
