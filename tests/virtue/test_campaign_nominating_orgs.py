"""A nomination by an organization names a real Party organization (提名单位), one the nominator acts for
(`virtue.manage` on its area, the one scoping function) and inside the campaign's area: a community's
organization of street A nominates in street A's campaign, street B's cannot — service, page and API; the
typed names of older nominations are kept, and linked where they name exactly one organization."""

import importlib
from datetime import timedelta

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.utils import timezone

from grassroots.accounts.roles import Role
from grassroots.virtue import services_campaigns as campaigns
from grassroots.virtue.models_campaigns import Nomination
from tests.factories import make_user
from tests.virtue.campaign_helpers import code_of, new_campaign, org_of


@pytest.fixture
def setup(cast, tree, today):
    """Street A's 廉洁示范社区 campaign; the committees of street A, of its community and of street B's."""
    worker_b = make_user("worker_b", Role.COMMUNITY_WORKER, tree.community_b)
    return {
        "campaign": new_campaign(
            cast, tree, actor=cast.street_a, area=tree.street_a, kind="integrity_community"
        ),
        "org_a": org_of(tree.community_a, "桥楼社区党委"),
        "street_org": org_of(tree.street_a, "青江街道党工委"),
        "org_b": org_of(tree.community_b, "育才社区党委"),
        "worker_b": worker_b,
    }


def _nominate(actor, campaign, org, community):
    return campaigns.nominate(
        actor=actor, campaign=campaign, nominee_area=community, reason="阵地齐全", nominating_org=org
    )


def test_a_community_org_of_the_street_nominates_and_another_streets_cannot(cast, tree, setup, today):
    campaign = setup["campaign"]
    nomination = _nominate(cast.worker, campaign, setup["org_a"], tree.community_a)
    assert nomination.nominating_org == setup["org_a"] and nomination.nominating_unit == "桥楼社区党委"
    assert nomination.nominated_by == cast.worker
    refused = [
        (setup["worker_b"], setup["org_b"]),  # street B's community organization
        (cast.worker, setup["org_b"]),  # an organization the worker does not act for
        (cast.worker, setup["street_org"]),  # inside the area, but above the worker's grant
        (cast.street_b, setup["org_b"]),
    ]
    for actor, org in refused:
        with pytest.raises(ValidationError) as info:
            _nominate(actor, campaign, org, tree.community_a)
        assert code_of(info) == "org_outside", (actor, org)
    # the campaign's staff nominate for an organization of their area; without one they are asked for it
    with pytest.raises(ValidationError) as info:
        campaigns.nominate(actor=cast.street_a, campaign=campaign, nominee_area=tree.community_a, reason="好")
    assert "nominating_org" in info.value.message_dict
    with pytest.raises(ValidationError) as info:
        _nominate(cast.street_a, campaign, setup["org_b"], tree.community_a)
    assert code_of(info) == "org_outside"
    withdrawn = Nomination.objects.filter(campaign=campaign).count()
    assert withdrawn == 1  # nothing written by the refusals


def test_the_nominate_page_offers_the_orgs_the_user_acts_for(cast, tree, setup, client_for, today):
    campaign = setup["campaign"]
    url = campaign.get_absolute_url()
    worker = client_for(cast.worker)
    assert "提名" in worker.get(url).content.decode()  # a community's staff see their street's campaign
    page = worker.get(url + "nominate/").content.decode()
    assert "桥楼社区党委" in page and "育才社区党委" not in page and "青江街道党工委" not in page
    found = worker.get(f"/virtue/campaigns/{campaign.pk}/nominating-orgs/?q=桥楼").content.decode()
    assert "桥楼社区党委" in found
    assert (
        "育才" not in worker.get(f"/virtue/campaigns/{campaign.pk}/nominating-orgs/?q=育才").content.decode()
    )
    body = {"nominee_area": tree.community_a.pk, "reason": "阵地齐全"}
    response = worker.post(url + "nominate/", body | {"nominating_org": setup["org_b"].pk})
    assert response.status_code == 200 and not Nomination.objects.exists()  # not a choice: nothing saved
    response = worker.post(url + "nominate/", body | {"nominating_org": setup["org_a"].pk})
    assert response.status_code == 302
    nomination = Nomination.objects.get()
    assert nomination.nominating_org == setup["org_a"]
    assert "桥楼社区党委" in worker.get(nomination.get_absolute_url()).content.decode()
    on_campaign = client_for(cast.street_a).get(url).content.decode()
    assert "提名单位：桥楼社区党委" in on_campaign  # on the campaign's page
    other = client_for(setup["worker_b"])  # street B's worker: the campaign does not exist for them
    assert other.get(url).status_code == 404
    assert other.get(url + "nominate/").status_code == 404
    assert other.get(f"/virtue/campaigns/{campaign.pk}/nominating-orgs/").status_code == 404
    assert other.post(url + "nominate/", body | {"nominating_org": setup["org_b"].pk}).status_code == 404
    assert Nomination.objects.count() == 1


def test_the_api_takes_the_org_by_id(cast, tree, setup, api_for, today):
    campaign = setup["campaign"]
    body = {"campaign": campaign.pk, "nominee_area": tree.community_a.pk, "reason": "阵地齐全"}
    worker = api_for(cast.worker)
    response = worker.post("/api/nominations/", body | {"nominating_org": setup["org_b"].pk}, format="json")
    assert response.status_code == 400 and "nominating_org" in response.json()["errors"]
    response = worker.post("/api/nominations/", body | {"nominating_org": setup["org_a"].pk}, format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert (data["nominating_org"], data["nominating_org_name"]) == (setup["org_a"].pk, "桥楼社区党委")
    listed = worker.get(f"/api/nominations/?campaign={campaign.pk}").json()["results"]
    assert [n["id"] for n in listed] == [data["id"]]
    other = api_for(setup["worker_b"])
    body_b = body | {"nominee_area": tree.community_b.pk, "nominating_org": setup["org_b"].pk}
    response = other.post("/api/nominations/", body_b, format="json")
    assert response.status_code == 400 and "campaign" in response.json()["errors"]
    assert other.get(f"/api/nominations/{data['id']}/").status_code == 404
    assert Nomination.objects.count() == 1


def test_the_migration_keeps_typed_names_and_links_exact_ones(cast, tree, setup, today):
    campaign = setup["campaign"]
    typed = [
        Nomination.objects.create(
            campaign=campaign, nominee=name, reason="旧", nominating_org_name=unit, nominated_by=cast.street_a
        )
        for name, unit in (("甲", "桥楼社区党委"), ("乙", "育才社区党委"), ("丙", "雅安职业技术学院"))
    ]
    migration = importlib.import_module("grassroots.virtue.migrations.0011_nomination_party_org")
    migration.link_typed_names(apps, None)
    linked, outside, unit = (Nomination.objects.get(pk=n.pk) for n in typed)
    assert linked.nominating_org == setup["org_a"] and linked.nominating_org_name == "桥楼社区党委"
    assert outside.nominating_org is None and outside.nominating_unit == "育才社区党委"  # street B's
    assert unit.nominating_org is None and unit.nominating_unit == "雅安职业技术学院"


def test_a_late_org_nomination_is_refused_like_any(cast, tree, setup, today):
    campaign = setup["campaign"]
    with pytest.raises(ValidationError) as info:
        campaigns.nominate(
            actor=cast.worker,
            campaign=campaign,
            nominee_area=tree.community_a,
            reason="好",
            nominating_org=setup["org_a"],
            now=timezone.now() + timedelta(days=8),
        )
    assert code_of(info) == "closed"
