"""The campaign pages through HTTP: start, nominate with a material, review, open the vote, vote (the receipt
once), publicise, object, answer, award; the outsider gets 404 everywhere; the list's queries are pinned."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from grassroots.virtue.models import Campaign, CampaignStatus, Nomination, Objection
from tests.virtue.campaign_helpers import org_of, residents, to_vote


def messages_of(response):
    return [str(m) for m in response.wsgi_request._messages]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_a_campaign_through_the_pages(cast, tree, client_for, time_machine, today):
    people = residents(tree)
    staff = client_for(cast.worker)
    close = (timezone.localtime() + timedelta(days=7)).strftime("%Y-%m-%dT%H:%M")
    response = staff.post(
        "/virtue/campaigns/new/",
        {
            "title": "最美志愿者评选",
            "kind": "other",
            "area": tree.community_a.pk,
            "places": 1,
            "votes_per_voter": 1,
            "nominations_close_at": close,
            "publicity_days": 5,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    campaign = Campaign.objects.get()
    url = f"/virtue/campaigns/{campaign.pk}/"
    wang = client_for(people.wang)
    pdf = SimpleUploadedFile("事迹.pdf", b"%PDF-1.4\n%%EOF\n")
    response = wang.post(url + "nominate/", {"nominee": "张大姐", "reason": "热心", "materials": [pdf]})
    assert response.status_code == 302
    first = Nomination.objects.get()
    material = first.materials.get()
    assert wang.get(material.get_absolute_url()).status_code == 200
    response = wang.post(url + "nominate/", {"nominee": "", "reason": ""})
    assert response.status_code == 200 and Nomination.objects.count() == 1  # the form's errors, nothing saved
    staff.post(
        url + "nominate/",
        {"nominee": "李师傅", "reason": "热心", "nominating_org": org_of(tree.community_a).pk},
    )
    assert staff.post(url, {"action": "close"}).status_code == 302
    for nomination in Nomination.objects.all():
        response = staff.post(nomination.get_absolute_url(), {"qualified": "1"})
        assert response.status_code == 302
    now = timezone.localtime()
    response = staff.post(
        url,
        {
            "action": "open_vote",
            "opens_at": now.strftime("%Y-%m-%dT%H:%M"),
            "closes_at": (now + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert response.status_code == 302
    first.refresh_from_db()
    response = wang.post(url, {"action": "vote", "nominations": [first.pk]}, follow=True)
    assert "回执码" in response.content.decode()
    assert 'name="action" value="vote"' not in response.content.decode()  # voted: no ballot again
    time_machine.move_to(now + timedelta(days=1, minutes=2), tick=False)
    staff = client_for(cast.worker)  # sessions end after a day idle
    response = staff.post(url, {"action": "publicity"})
    assert response.status_code == 302, response.content.decode()[-3000:]
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.PUBLICITY, messages_of(response)
    li = client_for(people.li)
    assert li.post(url, {"action": "object", "text": "有异议", "nomination": first.pk}).status_code == 302
    objection = Objection.objects.get()
    time_machine.move_to(now + timedelta(days=7), tick=False)
    staff, wang = client_for(cast.worker), client_for(people.wang)
    response = staff.post(url, {"action": "award"}, follow=True)
    assert "还有 1 条异议尚未答复" in response.content.decode()
    staff.post(url, {"action": "answer", "objection": objection.pk, "answer": "经核实属实"})
    staff.post(url, {"action": "award"})
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.AWARDED
    page = wang.get(url).content.decode()
    assert "当选" in page and "张大姐" in page


def test_outsiders_get_404_and_residents_cannot_manage(cast, tree, client_for, today):
    people = residents(tree)
    campaign, (a, *_rest) = to_vote(cast, tree, people)
    url = campaign.get_absolute_url()
    for user in (cast.street_b, people.outsider):
        client = client_for(user)
        assert client.get(url).status_code == 404
        assert client.post(url, {"action": "vote", "nominations": [a.pk]}).status_code == 404
        assert client.get(a.get_absolute_url()).status_code == 404
        assert client.get(url + "nominate/").status_code == 404
    wang = client_for(people.wang)
    assert wang.post(url, {"action": "award"}).status_code in (302, 403)
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.VOTING
    assert wang.post(a.get_absolute_url(), {"qualified": "0", "reason": "x"}).status_code == 403


def test_the_list_costs_the_same_whatever_its_length(
    cast, tree, client_for, django_assert_max_num_queries, today
):
    people = residents(tree)
    for i in range(3):
        to_vote(cast, tree, people, title=f"评选{i}")
    client = client_for(people.wang)
    with django_assert_max_num_queries(12):
        response = client.get("/virtue/campaigns/")
    assert response.status_code == 200 and response.content.decode().count("data-campaign=") == 3
