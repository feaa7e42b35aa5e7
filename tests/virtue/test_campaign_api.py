"""The campaign API: every step of the pages — start, nominate (multipart with a material), review, open the
vote, cast through /api/campaign-votes/ (receipt once; a second ballot refused), publicise, object, answer,
award; the outsider gets 404; lists have pinned query counts."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from grassroots.virtue.models import Campaign, CampaignStatus
from tests.virtue.campaign_helpers import org_of, residents, to_vote


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_a_campaign_through_the_api(cast, tree, api_for, time_machine, today):
    people = residents(tree)
    staff, wang, li = api_for(cast.worker), api_for(people.wang), api_for(people.li)
    response = staff.post(
        "/api/campaigns/",
        {
            "area": tree.community_a.pk,
            "kind": "integrity_star",
            "title": "廉洁模范之星",
            "places": 1,
            "votes_per_voter": 1,
            "nominations_close_at": (timezone.now() + timedelta(days=3)).isoformat(),
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    campaign = response.json()["id"]
    pdf = SimpleUploadedFile("事迹.pdf", b"%PDF-1.4\n%%EOF\n")
    response = wang.post(
        "/api/nominations/",
        {"campaign": campaign, "nominee": "张大姐", "reason": "热心", "materials": [pdf]},
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    first = response.json()["id"]
    assert len(wang.get(f"/api/nominations/{first}/materials/").json()) == 1
    response = staff.post(
        "/api/nominations/",
        {
            "campaign": campaign,
            "nominee": "李师傅",
            "reason": "热心",
            "nominating_org": org_of(tree.community_a).pk,
        },
        format="json",
    )
    second = response.json()["id"]
    assert staff.post(f"/api/campaigns/{campaign}/close/").status_code == 200
    response = staff.post(f"/api/nominations/{first}/review/", {"qualified": False}, format="json")
    assert response.status_code == 400 and "reason" in response.json()["errors"]
    for pk in (first, second):
        assert (
            staff.post(f"/api/nominations/{pk}/review/", {"qualified": True}, format="json").status_code
            == 200
        )
    now = timezone.now()
    response = staff.post(
        f"/api/campaigns/{campaign}/open-vote/",
        {"opens_at": now.isoformat(), "closes_at": (now + timedelta(days=1)).isoformat()},
        format="json",
    )
    assert response.json()["status"] == "voting"
    response = wang.post(
        "/api/campaign-votes/", {"campaign": campaign, "nominations": [first]}, format="json"
    )
    assert response.status_code == 201 and len(response.json()["receipt"]) == 10
    response = wang.post(
        "/api/campaign-votes/", {"campaign": campaign, "nominations": [second]}, format="json"
    )
    assert response.status_code == 400
    time_machine.move_to(now + timedelta(days=1, minutes=1), tick=False)
    staff, li = api_for(cast.worker), api_for(people.li)
    response = staff.post(f"/api/campaigns/{campaign}/publicity/", {}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "publicity", response.json()
    response = li.post("/api/objections/", {"campaign": campaign, "text": "有异议"}, format="json")
    assert response.status_code == 201
    objection = response.json()["id"]
    assert [o["id"] for o in li.get(f"/api/objections/?campaign={campaign}").json()["results"]] == [objection]
    assert wang.get("/api/objections/").json()["results"] == []  # another's objection
    time_machine.move_to(now + timedelta(days=7), tick=False)
    staff = api_for(cast.worker)
    response = staff.post(f"/api/campaigns/{campaign}/award/")
    assert response.status_code == 400
    response = staff.post(f"/api/objections/{objection}/answer/", {"answer": "经核实属实"}, format="json")
    assert response.status_code == 200
    assert staff.post(f"/api/campaigns/{campaign}/award/").json()["status"] == "awarded"
    assert Campaign.objects.get().status == CampaignStatus.AWARDED


def test_outsiders_get_404_and_lists_cost_the_same(cast, tree, api_for, django_assert_max_num_queries, today):
    people = residents(tree)
    for i in range(3):
        campaign, (a, *_rest) = to_vote(cast, tree, people, title=f"评选{i}")
    outsider = api_for(people.outsider)
    assert outsider.get(f"/api/campaigns/{campaign.pk}/").status_code == 404
    assert outsider.get(f"/api/nominations/{a.pk}/").status_code == 404
    response = outsider.post(
        "/api/campaign-votes/", {"campaign": campaign.pk, "nominations": [a.pk]}, format="json"
    )
    assert response.status_code == 400 and "campaign" in response.json()["errors"]
    assert api_for(cast.street_b).post(f"/api/campaigns/{campaign.pk}/award/").status_code == 404
    assert api_for(people.wang).post(f"/api/campaigns/{campaign.pk}/award/").status_code == 403
    client = api_for(people.wang)
    for url, count in (("/api/campaigns/", 3), ("/api/nominations/", 9)):
        with django_assert_max_num_queries(8):
            response = client.get(url)
        assert response.json()["count"] == count, url
