"""Issue 14, "one signature per household": a convention put to its vote with the rule 每户签署一次 is
signed once per household — a second member of the household is refused with a clear message (page and
API), a resident in no household of the courtyard is told why, the count shows households; the database
holds the rule (a partial unique constraint: SQLite and PostgreSQL), and racing members of one household
give one signature (PostgreSQL, tests/concurrency.py)."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from grassroots.documents import services as documents
from grassroots.selfgov import selectors_conventions as conv
from grassroots.selfgov.models import Convention, Signature
from grassroots.selfgov.services import conventions
from grassroots.voting.services import ballots, households, votes
from tests.concurrency import race, server_db_only

BODY = [{"number": "1", "title": "环境卫生", "items": [{"number": "1.1", "text": "垃圾分类投放。"}]}]


def adopted(cast, tree, people, per_household=True) -> Convention:
    """The courtyard's convention adopted by its residents' vote with the signing rule; wang and li share
    the household 1栋101, zhao is in 1栋102, sun in none."""
    convention = conventions.start_convention(actor=cast.worker, courtyard=tree.courtyard_a)
    documents.save_draft(actor=cast.worker, version=convention.document.versions.get(), body=BODY)
    now = timezone.now()
    conventions.open_discussion(actor=cast.worker, convention=convention, ends_at=now + timedelta(days=1))
    conventions.call_vote(
        actor=cast.worker,
        convention=convention,
        opens_at=now - timedelta(minutes=1),
        closes_at=now + timedelta(days=1),
        per_household=per_household,
    )
    convention.refresh_from_db()
    agree = convention.vote.options.get(position=0).pk
    for voter in (people.wang, people.li, people.zhao):
        ballots.cast_ballot(voter=voter, vote=convention.vote, option_ids=[agree])
    votes.close_vote(actor=cast.worker, vote=convention.vote)
    convention = conventions.settle_vote(actor=cast.worker, convention=convention)
    first = households.create_household(actor=cast.worker, area=tree.courtyard_a, name="1栋101")
    second = households.create_household(actor=cast.worker, area=tree.courtyard_a, name="1栋102")
    for person, home in ((people.wang, first), (people.li, first), (people.zhao, second)):
        households.add_member(actor=cast.worker, household=home, user=person)
    return convention


def test_one_signature_per_household_by_requests(client_for, api_for, cast, tree, people):
    convention = adopted(cast, tree, people)
    assert convention.adoptions.get().per_household
    url = convention.get_absolute_url()
    wang, li = client_for(people.wang), client_for(people.li)
    assert wang.post(f"{url}sign/").status_code == 302
    # the second member of the household: refused at the sign form with the household named
    second = li.post(f"{url}sign/")
    message = "您家（1栋101）已有成员签署过该公约，本公约每户签署一次。"
    assert second.status_code == 400 and message in second.context["sign_form"].non_field_errors()
    refused = api_for(people.li).post(f"/api/conventions/{convention.pk}/sign/")
    assert refused.status_code == 400 and message in str(refused.json())
    # a resident of the courtyard in no household is told why
    homeless = client_for(people.sun).post(f"{url}sign/")
    assert homeless.status_code == 400 and "尚未登记在本院落的住户中" in homeless.content.decode()
    assert api_for(people.zhao).post(f"/api/conventions/{convention.pk}/sign/").status_code == 201
    # the count is of households
    assert Signature.objects.filter(convention=convention).count() == 2
    counts = conv.signature_counts(convention, convention.document.versions.get())
    assert (counts["households_signed"], counts["households"], counts["per_household"]) == (2, 2, True)
    page = li.get(url).content.decode()
    assert "已签署 2 户（共 2 户）" in page and "每户签署一次" in page
    # li, on the page: told before pressing anything, no button to press
    assert message in page and "我承诺遵守，签署公约" not in page
    assert "我承诺遵守，签署公约" not in wang.get(url).content.decode()  # wang: 您已签署本公约
    detail = api_for(people.li).get(f"/api/conventions/{convention.pk}/").json()
    assert detail["signatures"]["per_household"] and detail["signatures"]["households_signed"] == 2


def test_the_rule_is_chosen_on_the_vote_form(client_for, cast, tree, people):
    convention = conventions.start_convention(actor=cast.worker, courtyard=tree.courtyard_a)
    documents.save_draft(actor=cast.worker, version=convention.document.versions.get(), body=BODY)
    now = timezone.now()
    conventions.open_discussion(actor=cast.worker, convention=convention, ends_at=now + timedelta(days=1))
    fmt = "%Y-%m-%dT%H:%M"
    answer = client_for(cast.worker).post(
        f"/selfgov/conventions/{convention.pk}/vote/",
        {
            "electorate": "residents",
            "opens_at": timezone.localtime(now - timedelta(minutes=1)).strftime(fmt),
            "closes_at": timezone.localtime(now + timedelta(days=2)).strftime(fmt),
            "quorum_percent": 50,
            "majority": "simple",
            "per_household": "on",
        },
    )
    assert answer.status_code == 302
    convention.refresh_from_db()
    assert convention.per_household and convention.vote is not None


def test_without_the_rule_each_member_signs(cast, tree, people):
    convention = adopted(cast, tree, people, per_household=False)
    conventions.sign(user=people.wang, convention=convention)
    conventions.sign(user=people.li, convention=convention)
    counts = conv.signature_counts(convention, convention.document.versions.get())
    assert (counts["signed"], counts["households_signed"], counts["per_household"]) == (2, 1, False)


def test_the_database_holds_the_rule(cast, tree, people):
    """Past the service's check (as two requests at once would be): the database refuses a second
    signature of the household, on SQLite and PostgreSQL alike."""
    convention = adopted(cast, tree, people)
    first = conventions.sign(user=people.wang, convention=convention)
    with pytest.raises(IntegrityError), transaction.atomic():
        Signature.objects.create(
            convention=convention,
            version=first.version,
            user=people.li,
            household=first.household,
            per_household=True,
        )
    assert Signature.objects.count() == 1


@server_db_only
@pytest.mark.django_db(transaction=True)
def test_racing_members_of_one_household_sign_once(cast, tree, people):
    convention = adopted(cast, tree, people)
    outcomes = race(
        lambda person: conventions.sign(user=person, convention=Convention.objects.get(pk=convention.pk)),
        [people.wang, people.li] * 4,
    )
    assert outcomes.count("ok") == 1, outcomes
    assert set(outcomes) - {"ok"} <= {"refused:household_signed", "refused:signed"}, outcomes
    assert Signature.objects.filter(convention=convention).count() == 1


def test_the_adoption_links_its_results_page(client_for, cast, tree, people):
    convention = adopted(cast, tree, people)
    vote = convention.adoptions.get().vote
    page = client_for(people.wang).get(convention.get_absolute_url()).content.decode()
    assert f"/voting/{vote.pk}/results/" in page
    results = client_for(people.wang).get(f"/voting/{vote.pk}/results/").content.decode()
    assert "投票 3，应投 4（人或户）" in results and "通过：同意" in results
