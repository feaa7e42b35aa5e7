"""Two-way service items: needs listed and published, claims of shares (arithmetic, refusals), the community's
acceptance, delivery with evidence and its confirmation, ratings once per rater, the figures on a counted
fixture, and who sees what (another street's worker, another partner's representative: 404)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from grassroots.cogov import selectors_items, services_items
from grassroots.cogov.models import Claim, ClaimState, Rating, ServiceItem
from grassroots.workflow import services as workflow
from grassroots.workflow.engine import TransitionRefused
from tests.conftest import A_WORKDAY

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def evidence(name="签到表.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def claim(it, rep, partner, shares=1, planned_on=None):
    return services_items.claim_need(
        actor=rep,
        item=ServiceItem.objects.get(pk=it.need.pk),
        partner=partner,
        shares=shares,
        planned_on=planned_on or it.soon,
    )


def test_shares_arithmetic_and_refusals(it):
    claim(it, it.rep, it.tea, shares=2)
    it.need.refresh_from_db()
    assert (it.need.taken, it.need.open_shares) == (2, 1)
    with pytest.raises(ValidationError) as refused:
        claim(it, it.rep2, it.school, shares=2)
    assert "只剩 1 份" in str(refused.value.message_dict["shares"])
    with pytest.raises(ValidationError) as twice:
        claim(it, it.rep, it.tea, shares=1)
    assert "已认领" in str(twice.value.message_dict["partner"])
    second = claim(it, it.rep2, it.school, shares=1)
    it.need.refresh_from_db()
    assert it.need.taken == 3
    with pytest.raises(ValidationError) as full:
        claim(it, it.rep_b, it.other)  # not open to street B's hospital anyway
    assert "item" in full.value.message_dict
    assert Claim.objects.get(pk=second.pk).state == ClaimState.PENDING


def test_decline_with_reason_and_withdraw_release_shares(it, cast):
    first = claim(it, it.rep, it.tea, shares=2)
    with pytest.raises(TransitionRefused):
        workflow.transition(first, "decline", actor=cast.worker, comment="")
    first.refresh_from_db()
    workflow.transition(first, "decline", actor=cast.worker, comment="时间冲突")
    first.refresh_from_db()
    it.need.refresh_from_db()
    assert first.state == ClaimState.DECLINED and first.decline_reason == "时间冲突" and it.need.taken == 0
    again = claim(
        it, it.rep, it.tea, shares=3
    )  # a declined claim no longer holds: the partner may claim again
    workflow.transition(again, "withdraw", actor=it.rep)
    it.need.refresh_from_db()
    assert it.need.taken == 0


def test_only_the_community_accepts_and_only_the_partner_delivers(it, cast):
    c = claim(it, it.rep, it.tea)
    for outsider in (it.rep, it.rep2, cast.street_b):
        with pytest.raises(TransitionRefused):
            workflow.check(c, "accept", actor=outsider, comment="")
    workflow.transition(c, "accept", actor=cast.worker)
    c.refresh_from_db()
    with pytest.raises(TransitionRefused):
        services_items.deliver(
            actor=it.rep2, claim=c, delivered_on=c.claimed_at.date(), beneficiaries=10, evidence=evidence()
        )
    with pytest.raises(ValidationError) as missing:
        services_items.deliver(actor=it.rep, claim=c, delivered_on=None, beneficiaries=None, evidence=None)
    assert set(missing.value.message_dict) == {"delivered_on", "beneficiaries", "evidence"}
    c.refresh_from_db()
    assert c.state == ClaimState.ACCEPTED and not c.evidence
    services_items.deliver(
        actor=it.rep,
        claim=c,
        delivered_on=c.claimed_at.date(),
        beneficiaries=35,
        note="讲座一次",
        evidence=evidence(),
    )
    c.refresh_from_db()
    assert c.state == ClaimState.DELIVERED and c.beneficiaries == 35 and c.evidence and c.on_time
    with pytest.raises(TransitionRefused):
        workflow.transition(c, "confirm", actor=it.rep)
    workflow.transition(c, "confirm", actor=cast.secretary)
    c.refresh_from_db()
    assert c.state == ClaimState.CONFIRMED and c.confirmed_at is not None


def _confirmed(it, cast, rep=None, partner=None, shares=1, late=False):
    c = claim(it, rep or it.rep, partner or it.tea, shares=shares)
    workflow.transition(c, "accept", actor=cast.worker)
    c.refresh_from_db()
    if late:  # planned before the day it was delivered
        Claim.objects.filter(pk=c.pk).update(planned_on=c.claimed_at.date() - timedelta(days=1))
        c.refresh_from_db()
    services_items.deliver(
        actor=rep or it.rep, claim=c, delivered_on=c.claimed_at.date(), beneficiaries=10, evidence=evidence()
    )
    c.refresh_from_db()
    workflow.transition(c, "confirm", actor=cast.worker)
    c.refresh_from_db()
    return c


def test_rating_once_per_rater_by_community_and_residents_only(it, cast):
    c = claim(it, it.rep, it.tea)
    with pytest.raises(ValidationError):
        services_items.rate(actor=cast.worker, claim=c, score=5, verdict="satisfied")  # not confirmed yet
    c = _confirmed(it, cast, rep=it.rep2, partner=it.school)
    first = services_items.rate(actor=cast.worker, claim=c, score=4, verdict="satisfied")
    assert first.rater_kind == "community"
    with pytest.raises(ValidationError) as again:
        services_items.rate(actor=cast.worker, claim=c, score=5, verdict="satisfied")
    assert "已评价" in str(again.value.message_dict["score"])
    assert (
        services_items.rate(actor=cast.resident, claim=c, score=5, verdict="satisfied").rater_kind
        == "resident"
    )
    with pytest.raises(ValidationError):
        services_items.rate(actor=cast.secretary, claim=c, score=6, verdict="satisfied")
    with pytest.raises(ValidationError) as no_verdict:
        services_items.rate(actor=cast.secretary, claim=c, score=4, verdict="")
    assert "基本满意" in str(no_verdict.value.message_dict["verdict"])
    for outsider in (cast.street_b, it.rep, cast.city):
        with pytest.raises(PermissionDenied):
            services_items.rate(actor=outsider, claim=c, score=3, verdict="basic")
    assert Rating.objects.filter(claim=c).count() == 2


def test_figures_on_a_hand_counted_fixture(it, cast, tree, today):
    # tea: 2 shares claimed, confirmed on time, rated 4 and 5; school: 1 share, confirmed late, rated 2;
    # tea also commits a resource (pending). Street B: nothing.
    on_time = _confirmed(it, cast, shares=2)
    late = _confirmed(it, cast, rep=it.rep2, partner=it.school, late=True)
    services_items.rate(actor=cast.worker, claim=on_time, score=4, verdict="satisfied")
    services_items.rate(actor=cast.resident, claim=on_time, score=5, verdict="basic")
    services_items.rate(actor=cast.worker, claim=late, score=2, verdict="unsatisfied")
    services_items.commit_resource(
        actor=it.rep,
        partner=it.tea,
        community=tree.community_a,
        year=today.year,
        title="会议室开放",
        category="venue",
        shares=4,
        unit="次",
        planned_on=it.soon,
    )
    figures = selectors_items.area_figures([tree.street_a.path, tree.street_b.path], today.year)
    a = figures[tree.street_a.path]
    assert (a.committed, a.claimed, a.delivered, a.on_time, a.ratings) == (1, 2, 2, 1, 3)
    assert a.rating == Decimal("3.67") and a.beneficiaries == 20
    # verdicts: 满意 (worker, on time), 基本满意 (resident), 不满意 (worker, late): 满意率 2 / 3
    assert (a.satisfied, a.basic, a.unsatisfied, a.satisfaction) == (1, 1, 1, Decimal("66.67"))
    assert figures[tree.street_b.path].claimed == 0 and figures[tree.street_b.path].rating is None
    by_partner = selectors_items.partner_figures([it.tea.pk, it.school.pk], today.year)
    tea, school = by_partner[it.tea.pk], by_partner[it.school.pk]
    assert (tea.committed, tea.claimed, tea.delivered, tea.on_time, tea.rating) == (
        1,
        1,
        1,
        1,
        Decimal("4.50"),
    )
    assert (school.claimed, school.delivered, school.on_time, school.rating) == (1, 1, 0, Decimal("2.00"))
    assert (tea.satisfaction, school.satisfaction) == (Decimal("100.00"), Decimal("0.00"))
    assert selectors_items.area_figures([tree.street_a.path], today.year - 1)[tree.street_a.path].claimed == 0
    # participation: tea keeps its one agreement (25), delivered 1 of 1 accepted (its commitment is pending,
    # not accepted: 1/1 → 35), mean rating 4.5/5 (22.5), meetings 0 until that part registers → 82.5
    score = selectors_items.participation([it.tea.pk, it.school.pk], today.year)
    assert score[it.tea.pk].score == Decimal("82.5")
    # school: no agreement (0), 1/1 delivered (35), 2/5 (10) → 45
    assert score[it.school.pk].score == Decimal("45.0")


def test_representatives_see_their_partner_and_the_open_needs_only(it, cast):
    mine = claim(it, it.rep, it.tea)
    visible = set(selectors_items.visible_items(it.rep).values_list("pk", flat=True))
    assert it.need.pk in visible and it.draft.pk not in visible
    assert set(selectors_items.visible_items(it.rep_b).values_list("pk", flat=True)) == set()
    assert list(selectors_items.visible_claims(it.rep2)) == []
    assert list(selectors_items.visible_claims(it.rep)) == [mine]
    assert list(selectors_items.visible_claims(cast.street_b)) == []
    assert list(selectors_items.open_needs_for(it.rep)) == []  # already claimed by its partner
    assert list(selectors_items.open_needs_for(it.rep2)) == [it.need]


def test_a_partner_commits_a_resource_only_where_it_serves(it, tree, today):
    with pytest.raises(ValidationError) as far:
        services_items.commit_resource(
            actor=it.rep,
            partner=it.tea,
            community=tree.community_b,
            year=today.year,
            title="场地",
            category="venue",
            planned_on=it.soon,
        )
    assert "community" in far.value.message_dict
    with pytest.raises(ValidationError) as not_mine:
        services_items.commit_resource(
            actor=it.rep,
            partner=it.school,
            community=tree.community_a,
            year=today.year,
            title="场地",
            category="venue",
            planned_on=it.soon,
        )
    assert "partner" in not_mine.value.message_dict
    commitment = services_items.commit_resource(
        actor=it.rep,
        partner=it.tea,
        community=tree.community_a,
        year=today.year,
        title="职工志愿者",
        category="volunteers",
        shares=15,
        unit="人",
        planned_on=it.soon,
    )
    assert (
        commitment.item.kind == "resource" and commitment.item.taken == 15 and commitment.state == "pending"
    )


def test_needs_are_kept_by_the_community(it, cast, tree, today):
    with pytest.raises(ValidationError) as outsider:
        services_items.save_need(
            actor=cast.street_b, community=tree.community_a, year=today.year, title="x", category="goods"
        )
    assert "community" in outsider.value.message_dict
    claim(it, it.rep, it.tea, shares=2)
    with pytest.raises(ValidationError) as fewer:
        services_items.save_need(
            actor=cast.worker, item=it.need, title="讲座", category="professional", shares=1
        )
    assert "shares" in fewer.value.message_dict


def test_the_figures_registry_answers_for_areas(it, cast, tree, today):
    from grassroots.core.assessments.figures import figures_for

    claim(it, it.rep, it.tea, shares=2)
    _confirmed(it, cast, rep=it.rep2, partner=it.school)
    needs = figures_for("cogov.needs_claimed", [tree.street_a, tree.street_b], today.year)
    assert needs[tree.street_a.pk].rate == 1 and tree.street_b.pk not in needs  # 3 of 3 shares; B lists none
    on_time = figures_for("cogov.delivered_on_time", [tree.community_a], today.year)
    assert on_time[tree.community_a.pk].rate == 1
    assert figures_for("cogov.service_rating", [tree.community_a], today.year) == {}  # not rated yet
    assert figures_for("cogov.service_satisfaction", [tree.community_a], today.year) == {}
    participation = figures_for("cogov.partner_participation", [tree.community_a], today.year)
    # tea (25: its agreement kept; nothing delivered yet) and school (35: 1 of 1 delivered): mean 30 → 0.30
    assert participation[tree.community_a.pk].normalized_rate == Decimal("0.3000")
    confirmed = Claim.objects.get(state=ClaimState.CONFIRMED)
    services_items.rate(actor=cast.worker, claim=confirmed, score=3, verdict="basic")
    services_items.rate(actor=cast.resident, claim=confirmed, score=2, verdict="unsatisfied")
    satisfaction = figures_for("cogov.service_satisfaction", [tree.street_a, tree.street_b], today.year)
    assert satisfaction[tree.street_a.pk].rate == Decimal("0.5") and tree.street_b.pk not in satisfaction
    assert "基本满意 1" in satisfaction[tree.street_a.pk].detail


def test_claims_past_their_planned_date_are_reminded_once(
    it, cast, tree, today, time_machine, django_capture_on_commit_callbacks
):
    from grassroots.cogov.tasks import remind_late_claims
    from grassroots.workflow.models import Notification

    late = claim(it, it.rep, it.tea)  # planned in 20 days (it.soon)
    workflow.transition(late, "accept", actor=cast.worker)
    pending = claim(it, it.rep2, it.school)  # not accepted: not the partner's delay
    assert services_items.remind_late_claims(today=it.soon) == 0  # due that day, not yet late
    time_machine.move_to(A_WORKDAY + timedelta(days=21), tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        assert remind_late_claims.call() == 1
        assert remind_late_claims.call() == 0  # once, however often the clock runs
    told = set(
        Notification.objects.filter(verb__contains="已过计划完成日期").values_list(
            "recipient__username", flat=True
        )
    )
    assert told == {"rep", "worker", "secretary"}  # the claimant's representative and the community staff
    late.refresh_from_db()
    assert late.late and "已过计划完成日期" in late.pending_title()
    from grassroots.workflow.selectors import pending_for  # the representative's to-do lists it as late

    assert any("已过计划完成日期" in line.title for line in pending_for(it.rep))
    assert pending.pk not in [c.pk for c in Claim.objects.filter(late_reminded_for__isnull=False)]
    # delivered meanwhile: nothing more
    services_items.deliver(
        actor=it.rep,
        claim=late,
        delivered_on=today + timedelta(days=21),
        beneficiaries=5,
        evidence=evidence(),
    )
    assert services_items.remind_late_claims(today=today + timedelta(days=40)) == 0
