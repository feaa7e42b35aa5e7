"""The demo's selection campaigns: one at each step a newcomer should see, including one at qualification
review with nominations still waiting; loading twice adds nothing. Every nomination carries real files (a
PDF and a photo); an objection was raised and answered in the awarded campaign's publicity; the award went
to the demo resident and its points are on their 我的积分; the street's campaign is nominated by the
communities' own Party organizations."""

import pytest
from django.test import Client

from grassroots.accounts.models import User
from grassroots.virtue.models_campaigns import Campaign, CampaignStatus, Nomination, NominationStatus
from grassroots.virtue.models_points import PointsEntry, PointsRule
from tests.demo.seeding import seed_only

STEPS = {"areas", "party_orgs", "users", "residents", "virtue_campaigns"}


def seed():
    seed_only(STEPS)


@pytest.mark.django_db
def test_a_campaign_at_every_step():
    seed()
    statuses = sorted(Campaign.objects.values_list("status", flat=True))
    assert statuses == sorted(
        [
            CampaignStatus.AWARDED,
            CampaignStatus.PUBLICITY,
            CampaignStatus.VOTING,
            CampaignStatus.REVIEWING,
            CampaignStatus.NOMINATING,
            CampaignStatus.CANCELLED,
        ]
    )
    review = Campaign.objects.get(status=CampaignStatus.REVIEWING)
    outcomes = sorted(review.nominations.values_list("status", flat=True))
    assert outcomes == sorted(
        [NominationStatus.QUALIFIED, NominationStatus.SUBMITTED, NominationStatus.SUBMITTED]
    )

    seed()  # idempotent
    assert Campaign.objects.count() == 6


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.mark.django_db
def test_materials_an_answered_objection_and_an_award_in_the_residents_points(media, settings):
    seed()
    nominations = Nomination.objects.select_related("campaign")
    assert nominations.exists()
    for nomination in nominations:  # every nomination has its form and a photo, real files through files
        files = {m.name: m for m in nomination.materials.all()}
        assert set(files) == {"推荐表.pdf", "事迹照片.jpg"}, nomination
        for material in files.values():
            assert material.file.name.startswith("virtue/") and material.size > 0
            with material.file.open("rb") as handle:
                head = handle.read(4)
            assert head == (b"%PDF" if material.name.endswith(".pdf") else b"\xff\xd8\xff\xe0"[:4])
    awarded = Campaign.objects.get(status=CampaignStatus.AWARDED)
    objection = awarded.objections.get()  # raised and answered in its publicity, before the award
    assert objection.answer and objection.answered_by is not None
    assert awarded.publicity_starts_at <= objection.raised_at < objection.answered_at
    assert objection.answered_at < awarded.publicity_ends_at
    assert objection.answered_at < awarded.awarded_at
    resident = User.objects.get(username="resident")
    winner = awarded.nominations.get(winner=True)
    assert winner.nominee_user == resident
    line = PointsEntry.objects.get(person=resident, rule=PointsRule.AWARD, source_id=winner.pk)
    assert line.source_type == "virtue.nomination" and line.points > 0
    settings.DEBUG = True  # demo accounts log in only while DEBUG is on
    client = Client()
    client.post("/accounts/login/", {"username": "resident", "password": settings.DEMO_PASSWORD})
    response = client.get("/virtue/points/")
    assert response.status_code == 200, response.get("Location")
    assert f"评选获奖：{awarded.title}" in response.content.decode()
    street = Campaign.objects.get(kind="integrity_community")  # each community by its own organization
    for nomination in street.nominations.select_related("nominating_org", "nominee_area"):
        assert nomination.nominating_org is not None
        assert nomination.nominating_org.area == nomination.nominee_area
    assert street.nominations.filter(nominated_by__username="secretary").count() == 1  # the demo community
