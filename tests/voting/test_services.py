from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from grassroots.accounts.roles import Role
from grassroots.voting import selectors
from grassroots.voting.models import (
    Ballot,
    Channel,
    Electorate,
    HouseholdMember,
    Majority,
    PaperCode,
    Turnout,
    VoteStatus,
)
from grassroots.voting.services import ballots, households, votes
from grassroots.voting.services.chain import verify_ballot_chain
from tests.factories import make_user
from tests.voting.conftest import option


def test_a_verified_resident_votes_once_and_checks_the_receipt(make_vote, voters):
    vote = make_vote()
    ballot, code = ballots.cast_ballot(voter=voters.wang, vote=vote, option_ids=[option(vote, "同意")])
    assert ballot.seq == 1 and ballot.voter is None  # secret: the ballot names nobody
    assert Turnout.objects.filter(vote=vote, voter=voters.wang).exists()
    found = ballots.find_receipt(vote=vote, code=code.lower())
    assert found == ballot
    assert [c.option.label for c in found.choices.all()] == ["同意"]
    assert ballots.find_receipt(vote=vote, code="WRONGCODE") is None
    with pytest.raises(ValidationError, match="您已投过票"):
        ballots.cast_ballot(voter=voters.wang, vote=vote, option_ids=[option(vote, "不同意")])
    assert vote.ballots.count() == 1


def test_an_open_ballot_names_its_voter(make_vote, voters):
    vote = make_vote(secret=False)
    ballot, _code = ballots.cast_ballot(voter=voters.wang, vote=vote, option_ids=[option(vote, "同意")])
    assert ballot.voter == voters.wang


@pytest.mark.parametrize("who", ["unverified", "outsider"])
def test_only_verified_residents_of_the_area_vote(make_vote, voters, who):
    vote = make_vote()
    with pytest.raises(ValidationError, match="不在本次投票的投票人范围内"):
        ballots.cast_ballot(voter=getattr(voters, who), vote=vote, option_ids=[option(vote, "同意")])
    assert not Turnout.objects.exists()


def test_no_ballot_outside_the_window(make_vote, voters, time_machine):
    now = timezone.now()
    vote = make_vote(opens_at=now + timedelta(hours=1), closes_at=now + timedelta(hours=2))
    with pytest.raises(ValidationError, match="尚未开始"):
        ballots.cast_ballot(voter=voters.wang, vote=vote, option_ids=[option(vote, "同意")])
    time_machine.move_to(now + timedelta(hours=2), tick=False)
    with pytest.raises(ValidationError, match="已截止"):
        ballots.cast_ballot(voter=voters.wang, vote=vote, option_ids=[option(vote, "同意")])
    draft = make_vote(publish=False, opens_at=now, closes_at=now + timedelta(days=1))
    with pytest.raises(ValidationError, match="尚未开始"):
        ballots.cast_ballot(voter=voters.wang, vote=draft, option_ids=[option(draft, "同意")])
    assert not Ballot.objects.exists()


def test_choices_per_voter_and_one_per_option(make_vote, voters):
    vote = make_vote(options=["甲", "乙", "丙", "丁"], majority=Majority.MOST, min_choices=1, max_choices=2)
    a, b, c = option(vote, "甲"), option(vote, "乙"), option(vote, "丙")
    with pytest.raises(ValidationError, match="同一选项只能选一次"):
        ballots.cast_ballot(voter=voters.wang, vote=vote, option_ids=[a, a])
    with pytest.raises(ValidationError, match="请选择 1 至 2 项"):
        ballots.cast_ballot(voter=voters.wang, vote=vote, option_ids=[a, b, c])
    other = make_vote(title="另一事项")
    with pytest.raises(ValidationError, match="选项无效"):
        ballots.cast_ballot(voter=voters.wang, vote=vote, option_ids=[option(other, "同意")])
    ballot, _code = ballots.cast_ballot(voter=voters.wang, vote=vote, option_ids=[a, b])
    with pytest.raises(IntegrityError), transaction.atomic():  # the database refuses a second mark too
        ballot.choices.create(option_id=a)


def test_one_vote_per_household(make_vote, voters):
    vote = make_vote(electorate=Electorate.HOUSEHOLDS)
    assert selectors.electorate_size(vote) == 2  # 1栋101 and 1栋102; sun has no household
    ballots.cast_ballot(voter=voters.wang, vote=vote, option_ids=[option(vote, "同意")])
    with pytest.raises(ValidationError, match="每户一票"):
        ballots.cast_ballot(voter=voters.li, vote=vote, option_ids=[option(vote, "不同意")])
    with pytest.raises(ValidationError, match="不在本次投票的投票人范围内"):
        ballots.cast_ballot(voter=voters.sun, vote=vote, option_ids=[option(vote, "同意")])
    ballots.cast_ballot(voter=voters.zhao, vote=vote, option_ids=[option(vote, "同意")])
    assert vote.ballots.count() == 2


def test_a_resident_belongs_to_one_household(cast, voters):
    with pytest.raises(ValidationError, match="已属于一户"):
        households.add_member(actor=cast.worker, household=voters.home2, user=voters.wang)
    assert HouseholdMember.objects.get(user=voters.wang).household == voters.home


def test_households_are_kept_by_the_areas_workers(cast, tree, voters):
    with pytest.raises(PermissionDenied):
        households.create_household(actor=cast.street_b, area=tree.courtyard_a, name="2栋")
    with pytest.raises(ValidationError, match="不住在您管辖的区域"):
        households.add_member(actor=cast.worker, household=voters.home2, user=voters.outsider)


def test_a_list_electorate(make_vote, voters, cast, tree):
    vote = make_vote(electorate=Electorate.REPRESENTATIVES, electors=[voters.sun, voters.unverified])
    assert selectors.electorate_size(vote) == 1  # verified only
    with pytest.raises(ValidationError):
        ballots.cast_ballot(voter=voters.wang, vote=vote, option_ids=[option(vote, "同意")])
    ballots.cast_ballot(voter=voters.sun, vote=vote, option_ids=[option(vote, "同意")])
    with pytest.raises(ValidationError, match="投票人名单"):
        make_vote(electorate=Electorate.LIST, electors=[])


def test_witnessed_and_paper_ballots(make_vote, voters, cast):
    vote = make_vote()
    yes = option(vote, "同意")
    with pytest.raises(ValidationError, match="见证人"):
        ballots.cast_witnessed(actor=cast.worker, vote=vote, voter=voters.li, option_ids=[yes], witness=" ")
    with pytest.raises(PermissionDenied):
        ballots.cast_witnessed(
            actor=cast.street_b, vote=vote, voter=voters.li, option_ids=[yes], witness="张三"
        )
    ballot, _code = ballots.cast_witnessed(
        actor=cast.worker, vote=vote, voter=voters.li, option_ids=[yes], witness="张三"
    )
    assert (ballot.channel, ballot.witness, ballot.entered_by) == (Channel.WITNESSED, "张三", cast.worker)

    [(_voter, code)] = ballots.issue_paper_codes(actor=cast.worker, vote=vote, voters=[voters.zhao])
    assert not PaperCode.objects.filter(digest__icontains=code).exists()  # only the digest is stored
    with pytest.raises(ValidationError, match="已领过投票码：zhao"):
        ballots.issue_paper_codes(actor=cast.worker, vote=vote, voters=[voters.zhao])
    with pytest.raises(ValidationError, match="投票码无效"):
        ballots.cast_paper(actor=cast.worker, vote=vote, code="NOPE", option_ids=[yes])
    ballot, _code = ballots.cast_paper(actor=cast.worker, vote=vote, code=code, option_ids=[yes])
    assert ballot.channel == Channel.PAPER
    with pytest.raises(ValidationError, match="已使用"):
        ballots.cast_paper(actor=cast.worker, vote=vote, code=code, option_ids=[yes])
    # the paper voter cannot vote again online
    with pytest.raises(ValidationError, match="您已投过票"):
        ballots.cast_ballot(voter=voters.zhao, vote=vote, option_ids=[yes])


def test_the_ballot_chain_finds_tampering(make_vote, voters, cast):
    vote = make_vote()
    yes, no = option(vote, "同意"), option(vote, "不同意")
    for person, choice in [(voters.wang, yes), (voters.li, no), (voters.zhao, yes)]:
        ballots.cast_ballot(voter=person, vote=vote, option_ids=[choice])
    assert verify_ballot_chain(vote) is None
    second = vote.ballots.get(seq=2)
    second.choices.update(option_id=yes)
    assert "第 2 张选票的内容被改动" in verify_ballot_chain(vote)
    second.choices.update(option_id=no)
    assert verify_ballot_chain(vote) is None
    vote = votes.close_vote(actor=cast.worker, vote=vote)
    assert verify_ballot_chain(vote) is None
    third = vote.ballots.get(seq=3)
    third.choices.all().delete()
    third.delete()
    assert "现已对不上" in verify_ballot_chain(vote)
    vote.ballots.get(seq=1).choices.all().delete()
    vote.ballots.get(seq=1).delete()
    assert "第 1 张选票缺失" in verify_ballot_chain(vote)


def test_closing_counts_and_the_clock_closes_due_votes(make_vote, voters, cast, time_machine):
    vote = make_vote(quorum_percent=50)  # electorate: wang, li, zhao, sun (verified) → 4
    yes, no = option(vote, "同意"), option(vote, "不同意")
    ballots.cast_ballot(voter=voters.wang, vote=vote, option_ids=[yes])
    ballots.cast_ballot(voter=voters.li, vote=vote, option_ids=[yes])
    ballots.cast_ballot(voter=voters.zhao, vote=vote, option_ids=[no])
    assert votes.close_due_votes() == {"closed": 0}
    time_machine.move_to(vote.closes_at, tick=False)
    assert votes.close_due_votes() == {"closed": 1}
    assert votes.close_due_votes() == {"closed": 0}  # idempotent
    vote.refresh_from_db()
    assert vote.status == VoteStatus.CLOSED and vote.chain_seq == 3
    result = vote.result
    assert (result["electorate"], result["ballots"], result["quorum_met"]) == (4, 3, True)
    assert [(o["label"], o["votes"], o["carried"]) for o in result["options"]] == [
        ("同意", 2, True),
        ("不同意", 1, False),
    ]
    with pytest.raises(ValidationError, match="已截止"):
        ballots.cast_ballot(voter=voters.sun, vote=vote, option_ids=[yes])


def test_quorum_and_majority_rules(make_vote, voters, cast):
    vote = make_vote(quorum_percent=80)
    ballots.cast_ballot(voter=voters.wang, vote=vote, option_ids=[option(vote, "同意")])
    result = votes.close_vote(actor=cast.worker, vote=vote).result
    assert not result["quorum_met"] and not any(o["carried"] for o in result["options"])

    vote = make_vote(title="两项", majority=Majority.TWO_THIRDS, quorum_percent=0)
    yes, no = option(vote, "同意"), option(vote, "不同意")
    for person, choice in [(voters.wang, yes), (voters.li, yes), (voters.zhao, no)]:
        ballots.cast_ballot(voter=person, vote=vote, option_ids=[choice])
    result = votes.close_vote(actor=cast.worker, vote=vote).result
    assert [o["carried"] for o in result["options"]] == [True, False]  # 2 of 3 is two thirds

    vote = make_vote(title="选举", options=["甲", "乙", "丙"], majority=Majority.MOST, quorum_percent=0)
    for person, label in [(voters.wang, "甲"), (voters.li, "乙"), (voters.zhao, "甲"), (voters.sun, "乙")]:
        ballots.cast_ballot(voter=person, vote=vote, option_ids=[option(vote, label)])
    result = votes.close_vote(actor=cast.worker, vote=vote).result
    assert result["tie"] and not any(o["carried"] for o in result["options"])


def electorate_of(voters, tree, size):
    """The four verified residents of `voters`, and more of the same courtyard up to `size`."""
    people = [voters.wang, voters.li, voters.zhao, voters.sun]
    for n in range(len(people), size):
        people.append(
            make_user(
                f"extra{n}",
                Role.RESIDENT,
                tree.courtyard_a,
                home_area=tree.courtyard_a,
                verified_at=timezone.now(),
            )
        )
    return people


def close_with(make_vote, cast, people, yes_count, no_count, **fields):
    vote = make_vote(**fields)
    yes, no = option(vote, "同意"), option(vote, "不同意")
    for n, person in enumerate(people[: yes_count + no_count]):
        ballots.cast_ballot(voter=person, vote=vote, option_ids=[yes if n < yes_count else no])
    return votes.close_vote(actor=cast.worker, vote=vote).result


@pytest.mark.parametrize(
    ("electorate", "quorum", "cast_ballots", "met"),
    [
        (4, 75, 3, True),  # exactly 75 %
        (4, 75, 2, False),  # one short
        (9, 50, 5, True),  # 4.5 needed: 5 meets it
        (9, 50, 4, False),  # one short of 4.5, rounded up
    ],
)
def test_quorum_met_exactly_and_missed_by_one(
    make_vote, voters, cast, tree, electorate, quorum, cast_ballots, met
):
    people = electorate_of(voters, tree, electorate)
    result = close_with(make_vote, cast, people, cast_ballots, 0, quorum_percent=quorum)
    assert (result["electorate"], result["ballots"], result["quorum_met"]) == (electorate, cast_ballots, met)
    assert [o["carried"] for o in result["options"]] == [met, False]


@pytest.mark.parametrize(
    ("majority", "yes_count", "no_count", "carried"),
    [
        (Majority.SIMPLE, 2, 2, False),  # exactly half is not more than half
        (Majority.SIMPLE, 3, 3, False),
        (Majority.SIMPLE, 3, 2, True),  # just above half
        (Majority.TWO_THIRDS, 2, 1, True),  # exactly two thirds
        (Majority.TWO_THIRDS, 6, 3, True),
        (Majority.TWO_THIRDS, 5, 4, False),  # just below two thirds (5/9)
        (Majority.TWO_THIRDS, 3, 2, False),  # 3/5
        (Majority.TWO_THIRDS, 1, 1, False),
    ],
)
def test_majority_at_its_edges(make_vote, voters, cast, tree, majority, yes_count, no_count, carried):
    people = electorate_of(voters, tree, yes_count + no_count)
    result = close_with(make_vote, cast, people, yes_count, no_count, majority=majority, quorum_percent=0)
    assert result["quorum_met"]
    assert [(o["votes"], o["carried"]) for o in result["options"]] == [
        (yes_count, carried),
        (no_count, False),
    ]


def test_creating_checks_fields_and_permission(make_vote, cast, tree):
    with pytest.raises(ValidationError) as error:
        make_vote(options=["同意"], title=" ", max_choices=3)
    assert set(error.value.message_dict) == {"options", "title", "max_choices"}
    with pytest.raises(PermissionDenied):
        make_vote(actor=cast.street_b)
    vote = make_vote()
    with pytest.raises(ValidationError, match="已发布"):
        votes.publish_vote(actor=cast.worker, vote=vote)


def test_who_sees_a_vote(make_vote, voters, cast):
    vote = make_vote()
    draft = make_vote(publish=False, title="草稿")
    listed = make_vote(title="代表", electorate=Electorate.LIST, electors=[voters.sun])
    assert set(selectors.visible_votes(voters.wang)) == {vote}
    assert set(selectors.visible_votes(voters.sun)) == {vote, listed}
    assert set(selectors.visible_votes(voters.outsider)) == set()
    assert set(selectors.visible_votes(cast.worker)) == {vote, draft, listed}
    assert set(selectors.visible_votes(cast.street_b)) == set()
