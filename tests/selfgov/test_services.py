"""The services of opinions and matters: eligibility, one support per resident, the threshold, grouping and
rejecting, the hearing's notice period and guests, the decision vote and its result on the matter."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from grassroots.gatherings.services import mark_held
from grassroots.selfgov import selectors
from grassroots.selfgov.models import Channel, MatterState, OpinionState
from grassroots.selfgov.services import matters, opinions
from grassroots.voting.services import ballots, votes
from grassroots.workflow.models import Notification
from grassroots.workflow.services import TransitionRefused


def test_unverified_resident_is_refused_with_a_clear_message(people):
    with pytest.raises(PermissionDenied, match="尚未通过社区的实名核验"):
        opinions.submit_opinion(author=people.unverified, category="parking", text="x")


def test_supports_reach_the_threshold_once_and_land_in_the_worklist(
    cast, people, opinion, django_capture_on_commit_callbacks
):
    assert selectors.support_threshold(opinion.community) == 2  # 50 % of 4 verified residents
    opinions.support_opinion(user=people.li, opinion=opinion)
    with pytest.raises(ValidationError, match="已附议过"):
        opinions.support_opinion(user=people.li, opinion=opinion)
    assert opinion.threshold_reached_at is None
    assert list(type(opinion).pending_for(cast.worker)) == []
    with django_capture_on_commit_callbacks(execute=True):
        opinions.support_opinion(user=people.zhao, opinion=opinion)
    assert opinion.support_count == 2 and opinion.threshold_reached_at is not None
    assert list(type(opinion).pending_for(cast.worker)) == [opinion]
    assert Notification.objects.filter(recipient=cast.worker, target_id=opinion.pk).count() == 1


def test_support_refusals(people, opinion):
    with pytest.raises(ValidationError, match="自己"):
        opinions.support_opinion(user=people.wang, opinion=opinion)
    with pytest.raises(PermissionDenied, match="本社区"):
        opinions.support_opinion(user=people.outsider, opinion=opinion)
    with pytest.raises(PermissionDenied, match="实名核验"):
        opinions.support_opinion(user=people.unverified, opinion=opinion)


def test_reject_needs_a_reason_the_submitter_sees(cast, people, opinion, django_capture_on_commit_callbacks):
    with pytest.raises(TransitionRefused):
        opinions.reject_opinion(actor=cast.worker, opinion=opinion, reason="")
    with django_capture_on_commit_callbacks(execute=True):
        opinions.reject_opinion(actor=cast.worker, opinion=opinion, reason="属于物业合同范围")
    opinion.refresh_from_db()
    assert opinion.state == OpinionState.REJECTED and opinion.reject_reason == "属于物业合同范围"
    assert Notification.objects.filter(recipient=people.wang, verb__contains="属于物业合同范围").exists()


def test_grid_worker_records_on_behalf_of_a_resident(people, tree):
    opinion = opinions.record_opinion(
        actor=people.grid, resident=people.li, category="safety", text="路灯坏了"
    )
    assert opinion.author == people.li and opinion.recorded_by == people.grid
    assert opinion.channel == Channel.ROUNDS
    with pytest.raises(ValidationError, match="负责区域"):
        opinions.record_opinion(actor=people.grid, resident=people.outsider, category="safety", text="x")


def test_quick_report_needs_a_photo(people):
    with pytest.raises(ValidationError) as exc:
        opinions.submit_opinion(author=people.li, category="safety", text="井盖缺失", quick=True)
    assert "photo" in exc.value.message_dict  # the field of the page's form and of the API


def test_hearing_must_be_announced_ahead(cast, matter):
    start = timezone.now() + timedelta(days=3)
    with pytest.raises(ValidationError) as exc:
        matters.schedule_hearing(
            actor=cast.worker, matter=matter, starts_at=start, ends_at=start + timedelta(hours=1)
        )
    assert "提前 7 天" in exc.value.message_dict["starts_at"][0]
    matter.refresh_from_db()
    assert matter.state == MatterState.COLLECTION and matter.hearing is None


def test_the_path_to_a_published_decision(
    cast, people, matter, time_machine, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        start = timezone.now() + timedelta(days=8)
        matter = matters.schedule_hearing(
            actor=cast.worker,
            matter=matter,
            starts_at=start,
            ends_at=start + timedelta(hours=2),
            guests=[{"name": "物业公司", "role": "物业服务企业"}, {"name": "张三", "role": "居民代表"}],
        )
    assert matter.state == MatterState.HEARING
    assert [str(g) for g in matter.hearing.guests.all()] == ["物业公司（物业服务企业）", "张三（居民代表）"]
    assert Notification.objects.filter(recipient=people.li, verb__contains="听证会").exists()
    matters.comment_on_hearing(user=people.li, matter=matter, text="建议划定临时停车区")
    with pytest.raises(PermissionDenied, match="涉及范围"):
        matters.comment_on_hearing(user=people.outsider, matter=matter, text="x")
    now = timezone.now()
    with pytest.raises(ValidationError, match="听证会尚未召开"):
        matters.call_vote(actor=cast.worker, matter=matter, opens_at=now, closes_at=now + timedelta(days=3))
    time_machine.move_to(matter.hearing.starts_at + timedelta(minutes=5))
    mark_held(actor=cast.worker, gathering=matter.hearing)
    matter.refresh_from_db()
    now = timezone.now()
    matters.call_vote(
        actor=cast.worker, matter=matter, opens_at=now, closes_at=now + timedelta(days=3), quorum_percent=50
    )
    matter.refresh_from_db()
    assert matter.state == MatterState.DECISION and matter.vote.purpose == "selfgov"
    yes = matter.vote.options.get(position=0).pk
    for person in (people.wang, people.li, people.zhao):
        ballots.cast_ballot(voter=person, vote=matter.vote, option_ids=[yes])
    votes.close_vote(actor=cast.worker, vote=matter.vote)
    matter.refresh_from_db()
    assert matter.vote_carried()
    with pytest.raises(ValidationError, match="表决已通过"):
        matters.take_step(actor=cast.worker, matter=matter, name="not_adopted")
    matters.take_step(actor=cast.worker, matter=matter, name="adopt")
    assert matter.state == MatterState.EXECUTION
    # execution and evaluation (with the reopen after a poor one): tests/selfgov/test_execution.py
    with pytest.raises(ValidationError, match="请先确定责任人和执行计划"):
        matters.take_step(actor=cast.worker, matter=matter, name="start_evaluation")


def test_residents_see_their_own_community_only(cast, people, matter, opinion):
    assert selectors.visible_matters(people.li).filter(pk=matter.pk).exists()
    assert not selectors.visible_matters(people.outsider).filter(pk=matter.pk).exists()
    assert not selectors.visible_opinions(people.outsider).filter(pk=opinion.pk).exists()
    assert not selectors.visible_matters(cast.street_b).filter(pk=matter.pk).exists()
    assert selectors.visible_matters(cast.street_a).filter(pk=matter.pk).exists()
