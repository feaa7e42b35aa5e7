"""Two partners claiming the last share of a need at the same moment: one gets it, the other a clear refusal;
the shares taken never pass the shares listed. PostgreSQL only (real concurrent sessions)."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError

from grassroots.accounts.roles import Role
from grassroots.cogov import services, services_items
from grassroots.cogov.models import Claim, ServiceItem
from tests.concurrency import race, server_db_only
from tests.factories import make_user

pytestmark = [server_db_only, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def racers(co, cast, tree, today):
    people = []
    for i in range(6):
        partner = services.save_partner(
            actor=cast.secretary, name=f"单位{i}", kind="enterprise", area=tree.community_a
        )
        rep = make_user(f"racer{i}", Role.PARTNER_REP, tree.community_a)
        partner.representatives.add(rep)
        people.append((rep, partner))
    need = services_items.save_need(
        actor=cast.worker,
        community=tree.community_a,
        year=today.year,
        title="助老服务",
        category="volunteers",
        shares=3,
    )
    services_items.publish_item(actor=cast.worker, item=need)
    return need, people, today + timedelta(days=10)


def _claim(need, planned_on, shares=1):
    def act(person):
        rep, partner = person
        try:
            services_items.claim_need(
                actor=rep,
                item=ServiceItem.objects.get(pk=need.pk),
                partner=partner,
                shares=shares,
                planned_on=planned_on,
            )
        except ValidationError as exc:  # the refusal at its field, with its code
            field, errors = next(iter(exc.error_dict.items()))
            raise ValidationError(errors[0].messages[0], code=f"{field}:{errors[0].code}") from exc

    return act


def test_two_partners_racing_for_the_last_share_get_one_success_and_one_refusal(racers):
    need, people, planned_on = racers
    ServiceItem.objects.filter(pk=need.pk).update(taken=2)  # two shares gone already
    outcomes = race(_claim(need, planned_on), people[:2])
    assert sorted(outcomes) == ["ok", "refused:shares:taken"], outcomes
    need.refresh_from_db()
    assert need.taken == 3 and Claim.objects.filter(item=need).count() == 1


def test_six_partners_racing_for_three_shares_take_exactly_three(racers):
    need, people, planned_on = racers
    outcomes = race(_claim(need, planned_on), people)
    assert outcomes.count("ok") == 3 and outcomes.count("refused:shares:taken") == 3, outcomes
    need.refresh_from_db()
    assert need.taken == 3 == sum(Claim.objects.filter(item=need).values_list("shares", flat=True))


def test_one_partner_racing_itself_claims_once(racers):
    need, people, planned_on = racers
    outcomes = race(_claim(need, planned_on), [people[0]] * 4)
    assert outcomes.count("ok") == 1, outcomes
    assert set(outcomes) - {"ok"} <= {"refused:partner:claimed"}, outcomes
    need.refresh_from_db()
    assert need.taken == 1
