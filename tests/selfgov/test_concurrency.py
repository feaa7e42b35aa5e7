"""Supports arriving at the same moment: one support per resident whatever the race, every resident's support
counted, the threshold crossed (and the staff notified) once. PostgreSQL only (real concurrent sessions)."""

import pytest

from grassroots.selfgov.models import Opinion, Support
from grassroots.selfgov.services import opinions
from grassroots.workflow.models import Notification
from tests.concurrency import race as race_all
from tests.concurrency import server_db_only

pytestmark = [server_db_only, pytest.mark.django_db(transaction=True)]


def race(opinion, people) -> list[str]:
    return race_all(
        lambda person: opinions.support_opinion(user=person, opinion=Opinion.objects.get(pk=opinion.pk)),
        people,
    )


def test_one_resident_racing_themselves_supports_once(people, opinion):
    outcomes = race(opinion, [people.li] * 8)
    assert outcomes.count("ok") == 1, outcomes
    assert set(outcomes) - {"ok"} == {"refused:duplicate"}, outcomes
    opinion.refresh_from_db()
    assert opinion.support_count == Support.objects.filter(opinion=opinion).count() == 1


def test_three_residents_at_once_are_all_counted_and_notify_once(cast, people, opinion):
    outcomes = race(opinion, [people.li, people.zhao, people.sun] * 2)
    assert outcomes.count("ok") == 3, outcomes
    opinion.refresh_from_db()
    assert opinion.support_count == 3 and opinion.threshold_reached_at is not None
    assert Notification.objects.filter(recipient=cast.worker, target_id=opinion.pk).count() == 1


def _evaluation(cast, people):
    """A matter of the courtyard straight into its evaluation (the steps before are tested elsewhere)."""
    from django.utils import timezone

    from grassroots.selfgov.models import Matter, MatterState
    from grassroots.selfgov.services import execution, matters

    matter = Matter.objects.get()
    Matter.objects.filter(pk=matter.pk).update(state=MatterState.EXECUTION)
    matter.refresh_from_db()
    execution.set_plan(
        actor=cast.worker,
        matter=matter,
        owner=cast.worker,
        milestones=[{"title": "施工", "weight": 100, "planned_on": timezone.localdate()}],
    )
    execution.complete_milestone(actor=cast.worker, matter=matter, milestone=matter.milestones.get())
    matters.take_step(actor=cast.worker, matter=matter, name="start_evaluation")
    matter.refresh_from_db()
    return matter.current_evaluation()


def test_one_rating_per_resident_and_round_whatever_the_race(cast, people, matter):
    from grassroots.selfgov.models import Evaluation, Rating
    from grassroots.selfgov.services import evaluation

    current = _evaluation(cast, people)
    outcomes = race_all(
        lambda person: evaluation.rate(
            user=person, evaluation=Evaluation.objects.get(pk=current.pk), level="satisfied"
        ),
        [people.li] * 6 + [people.zhao] * 2,
    )
    assert outcomes.count("ok") == 2, outcomes
    assert set(outcomes) - {"ok"} == {"refused:duplicate"}, outcomes
    assert Rating.objects.filter(evaluation=current, user=people.li).count() == 1
    assert Rating.objects.filter(evaluation=current).count() == 2
