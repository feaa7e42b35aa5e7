"""The three ways of voting (phone, paper code, witnessed in person) counting once per voter, the paper codes'
signature records and sheet, the code page, receipts that do not show a secret ballot's choice, the rate
limits, households and standing representatives — by real requests of workers, residents and outsiders."""

import re
from datetime import date

import pytest
from auditlog.models import LogEntry
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.test import Client

from grassroots.accounts.roles import Role
from grassroots.voting.models import (
    Ballot,
    Channel,
    Electorate,
    Household,
    HouseholdMember,
    PaperCode,
    Representative,
    Turnout,
)
from grassroots.voting.services import ballots, representatives
from grassroots.voting.services.chain import verify_ballot_chain
from tests.factories import Level, make_area, make_user
from tests.voting.conftest import option


def codes_on(response) -> list[str]:
    return re.findall(r"data-code>(\w+)<", response.content.decode())


def test_a_worker_prints_codes_and_a_voter_votes_with_one_without_signing_in(
    make_vote, voters, cast, client_for
):
    vote = make_vote()
    worker = client_for(cast.worker)
    sheet = worker.post(f"/voting/{vote.pk}/paper-codes/", {"voters": "zhao\nsun", "received_by": ""})
    assert sheet.status_code == 200
    codes = codes_on(sheet)
    assert len(codes) == 2 and "签字" in sheet.content.decode()
    # the signature record: who received it, when, from whom; the codes themselves are not kept
    records = worker.get(f"/voting/{vote.pk}/paper-codes/").content.decode()
    assert "zhao" in records and "未使用" in records and codes[0] not in records
    assert set(PaperCode.objects.values_list("received_by", "issued_by")) == {
        ("zhao", cast.worker.pk),
        ("sun", cast.worker.pk),
    }
    assert not PaperCode.objects.filter(digest__in=codes).exists()
    again = worker.post(f"/voting/{vote.pk}/paper-codes/", {"voters": "zhao"})
    assert again.status_code == 400 and "已领过投票码：zhao" in again.content.decode()

    anyone = Client()
    step1 = anyone.post("/voting/code/", {"code": codes[0].lower()})
    assert step1.status_code == 200 and "是否同意加装电梯" in step1.content.decode()
    voted = anyone.post("/voting/code/", {"code": codes[0], "cast": "1", "options": option(vote, "不同意")})
    assert voted.status_code == 200 and "data-receipt" in voted.content.decode()
    ballot = Ballot.objects.get(vote=vote)
    assert (ballot.channel, ballot.entered_by, ballot.voter) == (Channel.PAPER, None, None)  # secret
    reused = anyone.post("/voting/code/", {"code": codes[0], "cast": "1", "options": option(vote, "同意")})
    assert reused.status_code == 400 and "投票码无效或已使用" in reused.content.decode()
    # zhao has voted: the phone is refused now, and no code is printed for them again
    with pytest.raises(ValidationError, match="您已投过票"):
        ballots.cast_ballot(voter=voters.zhao, vote=vote, option_ids=[option(vote, "同意")])
    # a worker enters sun's paper ballot through the same page
    entered = worker.post("/voting/code/", {"code": codes[1], "cast": "1", "options": option(vote, "同意")})
    assert entered.status_code == 200
    assert Ballot.objects.get(vote=vote, seq=2).entered_by == cast.worker
    assert Turnout.objects.filter(vote=vote).count() == 2
    assert verify_ballot_chain(vote) is None
    # the moment a code was spent is not in the audit trail (it could point at a secret ballot)
    entries = list(LogEntry.objects.get_for_model(PaperCode))
    assert len(entries) == 2 and all("used" not in e.changes_dict for e in entries)


def test_code_reuse_is_refused_through_the_api_too(make_vote, voters, cast, api_for):
    vote = make_vote()
    official = api_for(cast.worker)
    issued = official.post(
        f"/api/votes/{vote.pk}/paper-codes/",
        {"voters": [voters.li.pk], "received_by": "李的女儿"},
        format="json",
    )
    assert issued.status_code == 201, issued.content
    code = issued.json()[0]["code"]
    records = official.get(f"/api/votes/{vote.pk}/paper-codes/").json()
    assert records[0]["received_by"] == "李的女儿" and "code" not in records[0]
    anyone = Client()
    looked = anyone.post("/api/votes/code/", {"code": code}, content_type="application/json")
    assert looked.status_code == 200 and looked.json()["vote"] == vote.pk
    body = {"code": code, "options": [option(vote, "同意")]}
    first = anyone.post("/api/votes/code-ballot/", body, content_type="application/json")
    assert first.status_code == 201, first.content
    second = anyone.post("/api/votes/code-ballot/", body, content_type="application/json")
    assert second.status_code == 400 and "该投票码已使用" in second.content.decode()
    assert anyone.post("/api/votes/code/", {"code": code}, content_type="application/json").status_code == 400


def test_a_witnessed_ballot_then_the_phone_and_a_code_are_refused(make_vote, voters, cast, client_for):
    vote = make_vote(secret=False)
    worker = client_for(cast.worker)
    same = worker.post(
        f"/voting/{vote.pk}/witnessed/",
        {"voter": "wang", "options": option(vote, "同意"), "witness": "worker"},
    )
    assert same.status_code == 400 and "见证人须是录入人和投票人以外的另一人" in same.content.decode()
    done = worker.post(
        f"/voting/{vote.pk}/witnessed/",
        {"voter": "wang", "options": option(vote, "同意"), "witness_user": "secretary"},
    )
    assert done.status_code == 200 and "data-receipt" in done.content.decode()
    ballot = Ballot.objects.get(vote=vote)
    assert (ballot.channel, ballot.witness_user, ballot.voter) == (
        Channel.WITNESSED,
        cast.secretary,
        voters.wang,
    )
    with pytest.raises(ValidationError, match="您已投过票"):
        ballots.cast_ballot(voter=voters.wang, vote=vote, option_ids=[option(vote, "同意")])
    refused = worker.post(f"/voting/{vote.pk}/paper-codes/", {"voters": "wang"})
    assert refused.status_code == 400 and "已投过票：wang" in refused.content.decode()
    # the witness's account is part of the ballot's hash: changing it breaks the chain
    assert verify_ballot_chain(vote) is None
    Ballot.objects.filter(pk=ballot.pk).update(witness_user=cast.worker)
    assert "内容被改动" in verify_ballot_chain(vote)


def test_the_ineligible_are_refused_with_a_clear_message(make_vote, voters, cast, tree, client_for, api_for):
    other_courtyard = make_area("二号院落", Level.COURTYARD, tree.grid_a)
    neighbour = make_user(
        "neighbour",
        Role.RESIDENT,
        other_courtyard,
        home_area=other_courtyard,
        verified_at=voters.wang.verified_at,
    )
    vote = make_vote(area=tree.courtyard_a)
    # a resident of another courtyard of the community sees the vote, told why they cannot vote in it
    page = client_for(neighbour).get(f"/voting/{vote.pk}/")
    assert page.status_code == 200 and "不在本次投票的投票人范围内" in page.content.decode()
    # an unverified resident of the courtyard sees it and is told why they cannot vote
    answer = api_for(voters.unverified).post(
        f"/api/votes/{vote.pk}/ballots/", {"options": [option(vote, "同意")]}, format="json"
    )
    assert answer.status_code == 403 and "须为已实名核验的居民" in answer.json()["detail"]
    worker = client_for(cast.worker)
    paper = worker.post(f"/voting/{vote.pk}/paper-codes/", {"voters": "neighbour"})
    assert paper.status_code == 400 and "不在本次投票的投票人范围内：neighbour" in paper.content.decode()
    witnessed = worker.post(
        f"/voting/{vote.pk}/witnessed/",
        {"voter": "neighbour", "options": option(vote, "同意"), "witness": "张三"},
    )
    assert witnessed.status_code == 400 and "不在本次投票的投票人范围内" in witnessed.content.decode()
    assert not Ballot.objects.exists() and not PaperCode.objects.exists()


def test_another_areas_worker_cannot_reach_the_paths(make_vote, voters, cast, tree, client_for, api_for):
    vote = make_vote()
    outsider = make_user("worker_b", Role.COMMUNITY_WORKER, tree.community_b)
    web = client_for(outsider)
    assert web.get(f"/voting/{vote.pk}/paper-codes/").status_code == 404
    assert web.post(f"/voting/{vote.pk}/witnessed/", {"voter": "wang", "witness": "张三"}).status_code == 404
    api = api_for(outsider)
    assert api.post(f"/api/votes/{vote.pk}/paper-codes/", {"voters": [voters.wang.pk]}).status_code == 404
    # a household of their own area cannot take a resident of street A
    home = api.post("/api/households/", {"area": tree.community_b.pk, "name": "1号"}, format="json")
    assert home.status_code == 201
    added = api.post(f"/api/households/{home.json()['id']}/members/", {"user": voters.sun.pk}, format="json")
    assert added.status_code == 400 and "user" in added.json()["errors"]
    assert api.get(f"/api/households/{voters.home.pk}/").status_code == 404
    assert not PaperCode.objects.exists() and not Ballot.objects.exists()


def test_a_secret_ballots_receipt_proves_inclusion_without_the_choice(make_vote, voters, client_for, api_for):
    secret = make_vote()
    _ballot, code = ballots.cast_ballot(voter=voters.wang, vote=secret, option_ids=[option(secret, "不同意")])
    checked = client_for(voters.li).post(f"/voting/{secret.pk}/receipt/", {"code": code})  # anyone holding it
    page = checked.content.decode()
    assert checked.status_code == 200 and "已计入选票链" in page and "不显示选择" in page
    assert "选择：" not in page
    api = api_for(voters.li).post(f"/api/votes/{secret.pk}/receipt/", {"code": code}, format="json").json()
    assert api["options"] is None and api["hash"] == Ballot.objects.get(vote=secret).hash
    open_vote = make_vote(secret=False, title="公开表决")
    _ballot, code = ballots.cast_ballot(
        voter=voters.wang, vote=open_vote, option_ids=[option(open_vote, "同意")]
    )
    assert api_for(voters.wang).post(
        f"/api/votes/{open_vote.pk}/receipt/", {"code": code}, format="json"
    ).json()["options"] == ["同意"]


@pytest.fixture
def real_rates(settings):
    cache.clear()
    settings.VOTING_RATE_LIMITS = {"ballot": "2/min", "code": "3/min", "receipt": "2/min"}
    yield
    cache.clear()


def test_code_entry_and_casting_are_rate_limited(real_rates, make_vote, voters, api_for):
    anyone = Client(REMOTE_ADDR="203.0.113.9")
    answers = [anyone.post("/voting/code/", {"code": f"WRONG{i}"}).status_code for i in range(4)]
    assert answers == [400, 400, 400, 429]
    api = Client(REMOTE_ADDR="203.0.113.9")
    limited = api.post("/api/votes/code/", {"code": "WRONG"}, content_type="application/json")
    assert limited.status_code == 429 and "操作过于频繁" in limited.content.decode()
    assert (
        Client(REMOTE_ADDR="203.0.113.10").post("/voting/code/", {"code": "X"}).status_code == 400
    )  # others
    vote = make_vote()
    resident = api_for(voters.wang)
    url, body = f"/api/votes/{vote.pk}/ballots/", {"options": [999]}
    statuses = [resident.post(url, body, format="json").status_code for _ in range(3)]
    assert statuses == [400, 400, 429]


def test_households_are_built_from_the_residents_addresses(
    cast, tree, voters, client_for, django_assert_max_num_queries
):
    worker = client_for(cast.worker)
    with django_assert_max_num_queries(12):
        page = worker.get("/voting/households/")
    text = page.content.decode()
    assert "1栋101" in text and "一号院落" in text and "sun" in text  # sun has no household yet
    form = worker.get(f"/voting/households/new/?area={tree.courtyard_a.pk}").content.decode()
    assert "sun" in form and "zhao" not in form.split("成员")[-1]  # only the unhoused are offered
    created = worker.post(
        "/voting/households/new/", {"area": tree.courtyard_a.pk, "name": "2栋201", "members": [voters.sun.pk]}
    )
    household = Household.objects.get(name="2栋201")
    assert created.status_code == 302 and HouseholdMember.objects.get(user=voters.sun).household == household
    moved = worker.post(f"/voting/households/{household.pk}/", {"add": "1", "user": voters.wang.pk})
    assert moved.status_code == 400  # wang is in 1栋101: not offered, refused
    worker.post(f"/voting/households/{voters.home.pk}/", {"remove": voters.wang.pk})
    assert (
        worker.post(f"/voting/households/{household.pk}/", {"add": "1", "user": voters.wang.pk}).status_code
        == 302
    )
    assert set(household.members.values_list("user__username", flat=True)) == {"sun", "wang"}
    assert client_for(voters.wang).get("/voting/households/").status_code == 403
    outsider = client_for(cast.street_b)
    assert outsider.get(f"/voting/households/{household.pk}/").status_code == 404


def test_standing_representatives_are_a_votes_electorate(make_vote, cast, tree, voters, client_for, api_for):
    worker = client_for(cast.worker)
    for name in ("zhao", "sun"):
        response = worker.post(
            "/voting/representatives/",
            {"community": tree.community_a.pk, "person": name, "since": "2026-01-05"},
        )
        assert response.status_code == 302
    twice = worker.post("/voting/representatives/", {"community": tree.community_a.pk, "person": "zhao"})
    assert twice.status_code == 400 and "已是在任的居民代表" in twice.content.decode()
    not_verified = worker.post(
        "/voting/representatives/", {"community": tree.community_a.pk, "person": "unverified"}
    )
    assert not_verified.status_code == 400 and "已实名核验" in not_verified.content.decode()
    sun = Representative.objects.get(user=voters.sun)
    worker.post(f"/voting/representatives/{sun.pk}/retire/")
    vote = make_vote(electorate=Electorate.REPRESENTATIVES)
    assert list(vote.electors.values_list("user__username", flat=True)) == ["zhao"]
    with pytest.raises(ValidationError, match="投票人范围内"):
        ballots.cast_ballot(voter=voters.sun, vote=vote, option_ids=[option(vote, "同意")])
    ballots.cast_ballot(voter=voters.zhao, vote=vote, option_ids=[option(vote, "同意")])
    listed = api_for(cast.worker).get("/api/representatives/").json()["results"]
    assert {(r["name"], r["until"] is None) for r in listed} == {("zhao", True), ("sun", False)}
    assert api_for(cast.street_b).get(f"/api/representatives/{sun.pk}/").status_code == 404
    representatives.retire_representative(
        actor=cast.worker,
        representative=Representative.objects.get(user=voters.zhao),
        until=date(2026, 12, 1),
    )
    with pytest.raises(ValidationError, match="没有在任的居民代表"):
        make_vote(electorate=Electorate.REPRESENTATIVES)


def test_the_lists_of_representatives_and_code_records_do_not_grow_in_queries(
    make_vote, cast, tree, voters, client_for, django_assert_max_num_queries
):
    worker = client_for(cast.worker)
    vote = make_vote()
    for person in (voters.wang, voters.li, voters.zhao):
        representatives.appoint_representative(actor=cast.worker, community=tree.community_a, user=person)
    ballots.issue_paper_codes(actor=cast.worker, vote=vote, voters=[voters.wang, voters.li, voters.zhao])
    # session, user, grants, menu and notices, the page's own: the rows and their count
    with django_assert_max_num_queries(12):
        assert "zhao" in worker.get("/voting/representatives/").content.decode()
    with django_assert_max_num_queries(12):
        assert "zhao" in worker.get(f"/voting/{vote.pk}/paper-codes/").content.decode()
