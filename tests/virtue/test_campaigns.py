"""Selection campaigns (评选): nomination → qualification review → public vote (a grassroots.voting vote) →
publicity on the clock → objections answered → award; the refusals at each step; who sees what."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from grassroots.virtue import selectors_campaigns as selectors
from grassroots.virtue import services_campaigns as campaigns
from grassroots.virtue.models import CampaignStatus, NominationStatus
from grassroots.virtue.models_points import PointsEntry, PointsRule
from grassroots.virtue.services_points import balance as points_balance
from grassroots.voting.models import Ballot, Turnout, VoteStatus
from grassroots.voting.services.chain import verify_ballot_chain
from grassroots.voting.services.tally import tally
from tests.virtue.campaign_helpers import code_of, new_campaign, org_of, residents, to_vote


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def people(tree):
    return residents(tree)


def test_a_campaign_from_nomination_to_award(cast, tree, people, today):
    campaign = new_campaign(cast, tree)
    assert campaign.status == CampaignStatus.NOMINATING and campaign.publicity_days == 5
    pdf = SimpleUploadedFile("事迹.pdf", b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n")
    by_resident = campaigns.nominate(
        actor=people.wang, campaign=campaign, nominee="张大姐", reason="义务调解邻里纠纷十年", materials=[pdf]
    )
    assert by_resident.nominating_org is None and by_resident.materials.count() == 1
    assert by_resident.materials.get().file.name.startswith("virtue/")
    by_org = campaigns.nominate(
        actor=cast.worker,
        campaign=campaign,
        nominee_user=people.li,
        reason="带头清廉家风建设",
        nominating_org=org_of(tree.community_a, "桥楼社区党委"),
    )
    assert by_org.nominating_unit == "桥楼社区党委"
    assert by_org.nominee == "li"
    third = campaigns.nominate(actor=people.zhao, campaign=campaign, nominee="王老师", reason="义务辅导")
    weak = campaigns.nominate(actor=people.zhao, campaign=campaign, nominee="某某", reason="不详")
    campaigns.close_nominations(actor=cast.worker, campaign=campaign)
    for nomination in (by_resident, by_org, third):
        campaigns.review_nomination(actor=cast.worker, nomination=nomination, qualified=True)
    with pytest.raises(ValidationError) as info:
        campaigns.review_nomination(actor=cast.worker, nomination=weak, qualified=False)
    assert "reason" in info.value.message_dict
    campaigns.review_nomination(actor=cast.worker, nomination=weak, qualified=False, reason="事迹材料不实")
    now = timezone.now()
    campaign = campaigns.open_vote(
        actor=cast.worker, campaign=campaign, opens_at=now, closes_at=now + timedelta(days=3)
    )
    vote = campaign.vote
    assert (vote.purpose, vote.max_choices, vote.status) == ("virtue", 2, VoteStatus.PUBLISHED)
    assert sorted(vote.options.values_list("label", flat=True)) == ["1号 张大姐", "2号 li", "3号 王老师"]
    weak.refresh_from_db()
    assert weak.status == NominationStatus.REJECTED and weak.option is None
    for voter, picks in (
        (people.wang, [by_resident, by_org]),
        (people.li, [by_org]),
        (people.zhao, [third, by_org]),
    ):
        _ballot, code = campaigns.cast_vote(voter=voter, campaign=campaign, nominations=picks)
        assert len(code) == 10
    with pytest.raises(ValidationError) as info:
        campaigns.start_publicity(actor=cast.worker, campaign=campaign)
    assert code_of(info) == "voting"  # the window is still open
    later = now + timedelta(days=3, minutes=1)
    campaign = campaigns.start_publicity(
        actor=cast.worker, campaign=campaign, now=later, winners=[by_org, by_resident]
    )
    assert campaign.status == CampaignStatus.PUBLICITY
    assert campaign.publicity_ends_at == later + timedelta(days=5)
    by_org.refresh_from_db()
    third.refresh_from_db()
    by_resident.refresh_from_db()
    assert (by_org.votes, by_org.winner) == (3, True)
    # 张大姐 and 王老师 tie at one vote for the last place: the organizer settles it, only among the tied
    assert by_resident.votes == third.votes == 1
    campaign.vote.refresh_from_db()
    assert campaign.vote.result == tally(campaign.vote)  # the count is reproducible from the ballots
    assert verify_ballot_chain(campaign.vote) is None
    with pytest.raises(ValidationError):
        campaigns.award(actor=cast.worker, campaign=campaign, now=later + timedelta(days=1))
    campaign = campaigns.award(actor=cast.worker, campaign=campaign, now=later + timedelta(days=5))
    assert campaign.status == CampaignStatus.AWARDED and campaign.awarded_by == cast.worker
    # an award won earns points: the resident who won (li), once; 张大姐 has no account to credit
    earned = PointsEntry.objects.filter(rule=PointsRule.AWARD)
    assert [(e.person, e.source_id, e.reason) for e in earned] == [
        (people.li, by_org.pk, f"评选获奖：{campaign.title}")
    ]
    assert points_balance(people.li) == earned.get().points > 0
    # the history stays public within the area
    assert campaign in selectors.visible_campaigns(people.wang)
    assert campaign not in selectors.visible_campaigns(people.outsider)


def test_a_tie_at_the_last_place_is_settled_only_among_the_tied(cast, tree, people, today):
    campaign, (a, b, c) = to_vote(cast, tree, people, places=2, votes_per_voter=1)
    for voter, pick in ((people.wang, a), (people.li, b), (people.zhao, c)):
        campaigns.cast_vote(voter=voter, campaign=campaign, nominations=[pick])
    later = timezone.now() + timedelta(days=4)
    with pytest.raises(ValidationError) as info:
        campaigns.start_publicity(actor=cast.worker, campaign=campaign, now=later)
    assert code_of(info) == "tie"
    with pytest.raises(ValidationError) as info:
        campaigns.start_publicity(actor=cast.worker, campaign=campaign, now=later, winners=[a])
    assert code_of(info) == "winners"  # two places: two winners
    campaigns.start_publicity(actor=cast.worker, campaign=campaign, now=later, winners=[a, c])
    assert sorted(campaign.nominations.filter(winner=True).values_list("nominee", flat=True)) == [
        "张大姐",
        "王老师",
    ]


def test_vote_limits_double_votes_and_candidates(cast, tree, people, today):
    campaign, (a, b, c) = to_vote(cast, tree, people, votes_per_voter=2)
    with pytest.raises(ValidationError) as info:
        campaigns.cast_vote(voter=people.wang, campaign=campaign, nominations=[a, b, c])
    assert "nominations" in info.value.message_dict  # more than the votes per voter
    with pytest.raises(ValidationError) as info:
        campaigns.cast_vote(voter=people.wang, campaign=campaign, nominations=[a, a])
    assert code_of(info) == "duplicate"  # one vote per candidate
    _other, (x, *_rest) = to_vote(cast, tree, people, title="文明家庭评选", names=("甲家", "乙家"))
    with pytest.raises(ValidationError):
        campaigns.cast_vote(voter=people.wang, campaign=campaign, nominations=[x])  # another campaign's
    campaigns.cast_vote(voter=people.wang, campaign=campaign, nominations=[a, b])
    with pytest.raises(ValidationError) as info:
        campaigns.cast_vote(voter=people.wang, campaign=campaign, nominations=[c])
    assert code_of(info) == "voted"  # one ballot per voter per campaign
    with pytest.raises(PermissionDenied):
        campaigns.cast_vote(voter=people.unverified, campaign=campaign, nominations=[c])
    with pytest.raises(ValidationError) as info:
        campaigns.cast_vote(voter=people.outsider, campaign=campaign, nominations=[c])
    assert code_of(info) == "not_eligible"
    assert Ballot.objects.filter(vote=campaign.vote).count() == 1


def test_votes_outside_the_window_are_refused(cast, tree, people, today):
    campaign, (a, *_rest) = to_vote(cast, tree, people)
    vote = campaign.vote
    with pytest.raises(ValidationError) as info:
        campaigns.cast_vote(
            voter=people.wang, campaign=campaign, nominations=[a], now=vote.opens_at - timedelta(minutes=1)
        )
    assert code_of(info) == "not_open"
    with pytest.raises(ValidationError) as info:
        campaigns.cast_vote(voter=people.wang, campaign=campaign, nominations=[a], now=vote.closes_at)
    assert code_of(info) == "closed"
    assert not Turnout.objects.filter(vote=vote).exists()


def test_an_objection_blocks_the_award_until_answered(cast, tree, people, today):
    campaign, (a, _b, _c) = to_vote(cast, tree, people, places=1, votes_per_voter=1)
    campaigns.cast_vote(voter=people.wang, campaign=campaign, nominations=[a])
    start = timezone.now() + timedelta(days=4)
    with pytest.raises(ValidationError):
        campaigns.raise_objection(actor=people.li, campaign=campaign, text="有异议", now=start)  # not yet
    campaign = campaigns.start_publicity(actor=cast.worker, campaign=campaign, now=start)
    with pytest.raises(PermissionDenied):
        campaigns.raise_objection(actor=people.unverified, campaign=campaign, text="有异议", now=start)
    with pytest.raises(ValidationError) as info:
        campaigns.raise_objection(actor=people.li, campaign=campaign, text=" ", now=start)
    assert "text" in info.value.message_dict
    objection = campaigns.raise_objection(
        actor=people.li, campaign=campaign, nomination=a, text="其事迹有夸大", now=start + timedelta(days=1)
    )
    end = campaign.publicity_ends_at
    with pytest.raises(ValidationError):
        campaigns.raise_objection(actor=people.zhao, campaign=campaign, text="晚了", now=end)
    with pytest.raises(ValidationError) as info:
        campaigns.award(actor=cast.worker, campaign=campaign, now=end)
    assert code_of(info) == "objections"
    assert campaigns.run_campaigns(now=end + timedelta(hours=1)) == {"reviewing": 0, "awarded": 0}
    with pytest.raises(PermissionDenied):
        campaigns.answer_objection(actor=cast.street_b, objection=objection, answer="已核实")
    with pytest.raises(ValidationError) as info:
        campaigns.answer_objection(actor=cast.worker, objection=objection, answer="")
    assert "answer" in info.value.message_dict
    campaigns.answer_objection(actor=cast.worker, objection=objection, answer="经核实，事迹属实。")
    with pytest.raises(ValidationError):
        campaigns.answer_objection(actor=cast.worker, objection=objection, answer="再答")
    campaign = campaigns.award(actor=cast.worker, campaign=campaign, now=end)
    assert campaign.status == CampaignStatus.AWARDED


def test_the_clock_runs_the_publicity(cast, tree, people, time_machine, today):
    """On the pinned clock: nominations close at their deadline; the publicity of five days ends and the
    clock awards (no objection)."""
    campaign = new_campaign(cast, tree, nominations_close_at=timezone.now() + timedelta(days=2))
    a = campaigns.nominate(actor=people.wang, campaign=campaign, nominee="张大姐", reason="热心")
    b = campaigns.nominate(actor=people.li, campaign=campaign, nominee="李师傅", reason="热心")
    assert campaigns.run_campaigns() == {"reviewing": 0, "awarded": 0}
    time_machine.move_to(timezone.now() + timedelta(days=2, minutes=1), tick=False)
    with pytest.raises(ValidationError) as info:
        campaigns.nominate(actor=people.zhao, campaign=campaign, nominee="晚到", reason="热心")
    assert code_of(info) == "closed"
    assert campaigns.run_campaigns() == {"reviewing": 1, "awarded": 0}
    for nomination in (a, b):
        campaigns.review_nomination(actor=cast.worker, nomination=nomination, qualified=True)
    now = timezone.now()
    campaigns.open_vote(actor=cast.worker, campaign=campaign, opens_at=now, closes_at=now + timedelta(days=1))
    campaigns.cast_vote(voter=people.zhao, campaign=campaign, nominations=[a])
    time_machine.move_to(now + timedelta(days=1, minutes=5), tick=False)
    campaign = campaigns.start_publicity(actor=cast.worker, campaign=campaign)
    time_machine.move_to(campaign.publicity_ends_at - timedelta(minutes=1), tick=False)
    assert campaigns.run_campaigns()["awarded"] == 0
    time_machine.move_to(campaign.publicity_ends_at + timedelta(minutes=1), tick=False)
    assert campaigns.run_campaigns()["awarded"] == 1
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.AWARDED and campaign.awarded_by is None
    assert campaigns.run_campaigns()["awarded"] == 0  # idempotent


def test_refusals_when_creating_and_nominating(cast, tree, people, today):
    with pytest.raises(ValidationError) as info:
        new_campaign(cast, tree, area=tree.community_b, publicity_days=3, places=0, title=" ")
    assert {"area", "publicity_days", "places", "title"} <= set(info.value.message_dict)
    with pytest.raises(PermissionDenied):
        new_campaign(cast, tree, actor=people.wang)
    campaign = new_campaign(cast, tree, kind="integrity_community", area=tree.street_a, actor=cast.street_a)
    with pytest.raises(PermissionDenied):
        campaigns.nominate(
            actor=people.outsider, campaign=campaign, nominee_area=tree.community_a, reason="好"
        )
    with pytest.raises(PermissionDenied):
        campaigns.nominate(
            actor=people.unverified, campaign=campaign, nominee_area=tree.community_a, reason="好"
        )
    with pytest.raises(ValidationError) as info:
        campaigns.nominate(actor=people.wang, campaign=campaign, nominee_area=tree.community_b, reason="好")
    assert "nominee_area" in info.value.message_dict
    with pytest.raises(ValidationError) as info:
        campaigns.nominate(actor=cast.street_a, campaign=campaign, nominee_area=tree.community_a, reason="好")
    assert "nominating_org" in info.value.message_dict  # the staff nominate for an organization
    html = SimpleUploadedFile("事迹.pdf", b"<html><script>alert(1)</script></html>")
    with pytest.raises(ValidationError) as info:
        campaigns.nominate(
            actor=people.wang, campaign=campaign, nominee_area=tree.community_a, reason="好", materials=[html]
        )
    assert "materials" in info.value.message_dict
    nomination = campaigns.nominate(
        actor=people.wang, campaign=campaign, nominee_area=tree.community_a, reason="好"
    )
    assert nomination.nominee == tree.community_a.name
    with pytest.raises(ValidationError) as info:
        campaigns.nominate(actor=people.li, campaign=campaign, nominee_area=tree.community_a, reason="好")
    assert info.value.message_dict["nominee_area"] == ["该对象已被提名。"]
    with pytest.raises(ValidationError) as info:
        campaigns.open_vote(
            actor=cast.street_a,
            campaign=campaign,
            opens_at=timezone.now(),
            closes_at=timezone.now() + timedelta(days=1),
        )
    assert code_of(info) == "state"


def test_scope_owner_member_outsider(cast, tree, people, today):
    campaign, (a, _b, _c) = to_vote(cast, tree, people)
    for user in (cast.worker, cast.street_a, cast.city, people.wang):
        assert campaign in selectors.visible_campaigns(user), user
        assert a in selectors.visible_nominations(user), user
    for user in (cast.street_b, people.outsider):
        assert campaign not in selectors.visible_campaigns(user), user
        assert not selectors.visible_nominations(user).filter(campaign=campaign).exists()
    with pytest.raises(PermissionDenied):
        campaigns.close_nominations(actor=cast.street_b, campaign=campaign)
    with pytest.raises(PermissionDenied):
        campaigns.review_nomination(actor=people.wang, nomination=a, qualified=False, reason="x")


def test_the_campaign_export_holds_what_the_user_sees_and_none_of_another_street(
    cast, tree, people, today, client_for
):
    from django.urls import reverse

    from tests.imports.helpers import read_xlsx

    new_campaign(cast, tree)
    new_campaign(cast, tree, title="@最美家庭评选")
    url = reverse("imports:list_export", args=["virtue-campaigns"])
    street = client_for(cast.street_a)
    assert 'data-export="virtue-campaigns"' in street.get(reverse("virtue:campaign_list")).content.decode()
    rows = read_xlsx(b"".join(street.post(url).streaming_content))["评选活动"]
    assert rows[0] == ["评选名称", "类型", "区域", "状态", "提名数", "名额", "发起时间"]
    assert sorted((r[0], r[2], r[4], r[5]) for r in rows[1:]) == [
        ("@最美家庭评选", "桥楼社区", 0, 2),
        ("廉洁模范之星评选", "桥楼社区", 0, 2),
    ]
    mine = read_xlsx(b"".join(client_for(people.wang).post(url).streaming_content))["评选活动"]
    assert len(mine) == 3  # the residents of the community see them too, as on the page
    for outsider in (cast.street_b, people.outsider):
        theirs = read_xlsx(b"".join(client_for(outsider).post(url).streaming_content))["评选活动"]
        assert theirs[1:] == []
