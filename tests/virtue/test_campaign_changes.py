"""Changes to a campaign on its way: editing (the rules only while nominations are open), cancelling (the
vote closed through voting, everyone nominated told), withdrawing a nomination before the vote, adding
materials until the review ends; the notifications of each step; the pages, the API, and another area's
official refused (404). The creation page of its own: the list stays small at city scope."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from grassroots.areas.models import Area, Level, PartyOrg
from grassroots.virtue import services_campaign_changes as changes
from grassroots.virtue import services_campaigns as campaigns
from grassroots.virtue.models import CampaignStatus, NominationStatus
from grassroots.voting.models import VoteStatus
from grassroots.workflow.models import Notification
from tests.factories import make_area, make_party_org
from tests.virtue.campaign_helpers import code_of, new_campaign, residents, to_vote


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def pdf(name="事迹.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4\n%%EOF\n")


def told(user) -> list[str]:
    return list(Notification.objects.filter(recipient=user).order_by("pk").values_list("verb", flat=True))


# --- editing ----------------------------------------------------------------------------------------------
def test_the_rules_change_only_while_nominations_are_open(cast, tree, today):
    people = residents(tree)
    campaign = new_campaign(cast, tree)
    changes.update_campaign(actor=cast.worker, campaign=campaign, places=3, kind="other", title=" 新名称 ")
    campaign.refresh_from_db()
    assert (campaign.places, campaign.kind, campaign.title) == (3, "other", "新名称")
    campaigns.nominate(actor=people.wang, campaign=campaign, nominee="张大姐", reason="热心")
    with pytest.raises(ValidationError) as info:
        changes.update_campaign(actor=cast.worker, campaign=campaign, kind="integrity_star")
    assert "kind" in info.value.error_dict  # nominated: the kind and the area stay
    changes.update_campaign(actor=cast.worker, campaign=campaign, votes_per_voter=2)
    campaigns.close_nominations(actor=cast.worker, campaign=campaign)
    with pytest.raises(ValidationError) as info:
        changes.update_campaign(actor=cast.worker, campaign=campaign, places=1, publicity_days=7)
    assert set(info.value.error_dict) == {"places", "publicity_days"}
    changes.update_campaign(actor=cast.worker, campaign=campaign, description="说明")  # the wording may
    campaign.refresh_from_db()
    assert (campaign.places, campaign.votes_per_voter, campaign.description) == (3, 2, "说明")
    with pytest.raises(ValidationError) as info:
        changes.update_campaign(actor=cast.worker, campaign=campaign, title="")
    assert "title" in info.value.error_dict
    with pytest.raises(PermissionDenied):
        changes.update_campaign(actor=cast.street_b, campaign=campaign, title="别处")


def test_a_past_deadline_is_refused(cast, tree, today):
    campaign = new_campaign(cast, tree)
    with pytest.raises(ValidationError) as info:
        changes.update_campaign(
            actor=cast.worker, campaign=campaign, nominations_close_at=timezone.now() - timedelta(hours=1)
        )
    assert "nominations_close_at" in info.value.error_dict


# --- cancelling -------------------------------------------------------------------------------------------
def test_cancelling_closes_the_vote_and_tells_the_nominated(
    cast, tree, today, django_capture_on_commit_callbacks
):
    people = residents(tree)
    with django_capture_on_commit_callbacks(execute=True):
        campaign, nominations = to_vote(cast, tree, people)
    with pytest.raises(ValidationError) as info:
        changes.cancel_campaign(actor=cast.worker, campaign=campaign, reason=" ")
    assert "reason" in info.value.error_dict
    with django_capture_on_commit_callbacks(execute=True):
        changes.cancel_campaign(actor=cast.worker, campaign=campaign, reason="上级通知暂停")
    campaign.refresh_from_db()
    campaign.vote.refresh_from_db()
    assert campaign.status == CampaignStatus.CANCELLED and campaign.cancel_reason == "上级通知暂停"
    assert campaign.vote.status == VoteStatus.CLOSED  # through voting: no ballot from now on
    with pytest.raises(ValidationError) as info:
        campaigns.cast_vote(voter=people.wang, campaign=campaign, nominations=[nominations[0]])
    with pytest.raises(ValidationError) as info:
        changes.cancel_campaign(actor=cast.worker, campaign=campaign, reason="再次")
    assert code_of(info) == "state"


def test_the_nominators_are_told_when_cancelled(cast, tree, today, django_capture_on_commit_callbacks):
    people = residents(tree)
    campaign = new_campaign(cast, tree)
    with django_capture_on_commit_callbacks(execute=True):
        campaigns.nominate(actor=people.wang, campaign=campaign, nominee="张大姐", reason="热心")
        changes.cancel_campaign(actor=cast.worker, campaign=campaign, reason="合并到下次评选")
    assert told(people.wang) == ["评选活动“廉洁模范之星评选”已取消：合并到下次评选"]
    assert told(cast.worker) == []  # not told of one's own step


# --- withdrawing and materials ----------------------------------------------------------------------------
def test_the_nominator_withdraws_before_the_vote(cast, tree, today):
    people = residents(tree)
    campaign = new_campaign(cast, tree)
    nomination = campaigns.nominate(
        actor=people.wang, campaign=campaign, nominee="张大姐", reason="热心", nominee_user=people.li
    )
    with pytest.raises(PermissionDenied):
        changes.withdraw_nomination(actor=people.zhao, nomination=nomination)
    changes.withdraw_nomination(actor=people.li, nomination=nomination)  # the resident nominated may
    nomination.refresh_from_db()
    assert nomination.status == NominationStatus.WITHDRAWN and nomination.withdrawn_at
    with pytest.raises(ValidationError) as info:
        changes.withdraw_nomination(actor=people.wang, nomination=nomination)
    assert code_of(info) == "withdrawn"
    again = campaigns.nominate(  # withdrawn: the same resident may be nominated again
        actor=people.wang, campaign=campaign, nominee="张大姐", reason="热心", nominee_user=people.li
    )
    assert again.pk != nomination.pk


def test_no_withdrawal_once_the_vote_is_open(cast, tree, today):
    people = residents(tree)
    _campaign, nominations = to_vote(cast, tree, people)
    with pytest.raises(ValidationError) as info:
        changes.withdraw_nomination(actor=cast.worker, nomination=nominations[0])
    assert code_of(info) == "state"
    with pytest.raises(ValidationError):
        changes.add_materials(actor=cast.worker, nomination=nominations[0], materials=[pdf()])


def test_materials_are_added_until_the_review_ends_and_checked(cast, tree, today):
    people = residents(tree)
    campaign = new_campaign(cast, tree)
    nomination = campaigns.nominate(actor=people.wang, campaign=campaign, nominee="张大姐", reason="热心")
    changes.add_materials(actor=people.wang, nomination=nomination, materials=[pdf()])
    campaigns.close_nominations(actor=cast.worker, campaign=campaign)
    changes.add_materials(actor=people.wang, nomination=nomination, materials=[pdf("证书.pdf")])
    assert nomination.materials.count() == 2
    fake = SimpleUploadedFile("病毒.pdf", b"MZ\x90\x00 not a pdf")
    with pytest.raises(ValidationError) as info:
        changes.add_materials(actor=people.wang, nomination=nomination, materials=[fake])
    assert "materials" in info.value.error_dict and nomination.materials.count() == 2
    with pytest.raises(ValidationError) as info:
        changes.add_materials(actor=people.wang, nomination=nomination, materials=[pdf()] * 4)
    assert "materials" in info.value.error_dict  # five in all at most
    with pytest.raises(PermissionDenied):
        changes.add_materials(actor=people.li, nomination=nomination, materials=[pdf()])


# --- notifications ----------------------------------------------------------------------------------------
def test_each_step_tells_the_people_it_concerns(
    cast, tree, today, time_machine, django_capture_on_commit_callbacks
):
    people = residents(tree)
    campaign = new_campaign(cast, tree, places=1, votes_per_voter=1)
    with django_capture_on_commit_callbacks(execute=True):
        first = campaigns.nominate(actor=people.wang, campaign=campaign, nominee="张大姐", reason="热心")
        second = campaigns.nominate(actor=people.li, campaign=campaign, nominee="李师傅", reason="热心")
        third = campaigns.nominate(actor=people.zhao, campaign=campaign, nominee="王老师", reason="热心")
        campaigns.close_nominations(actor=cast.worker, campaign=campaign)
        campaigns.review_nomination(actor=cast.worker, nomination=first, qualified=True)
        campaigns.review_nomination(actor=cast.worker, nomination=second, qualified=True)
        campaigns.review_nomination(actor=cast.worker, nomination=third, qualified=False, reason="材料不实")
    assert told(people.zhao) == ["您在“廉洁模范之星评选”中的提名“王老师”未通过资格审查：材料不实"]
    assert told(people.wang) == ["您在“廉洁模范之星评选”中的提名“张大姐”已通过资格审查。"]
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        campaigns.open_vote(
            actor=cast.worker, campaign=campaign, opens_at=now, closes_at=now + timedelta(days=1)
        )
    assert told(people.li)[-1].startswith("“廉洁模范之星评选”的群众投票已开始")
    assert len(told(people.zhao)) == 1  # refused: not a candidate
    first.refresh_from_db()
    campaigns.cast_vote(voter=people.wang, campaign=campaign, nominations=[first])
    time_machine.move_to(now + timedelta(days=1, minutes=1), tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        campaigns.start_publicity(actor=cast.worker, campaign=campaign)
        objection = campaigns.raise_objection(actor=people.zhao, campaign=campaign, text="有异议")
        campaigns.answer_objection(actor=cast.worker, objection=objection, answer="已核实")
    assert told(people.wang)[-1].startswith("“廉洁模范之星评选”的评选结果已进入公示")
    assert told(people.zhao)[-1] == "您对“廉洁模范之星评选”提出的异议已答复。"
    time_machine.move_to(now + timedelta(days=7), tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        campaigns.award(actor=cast.worker, campaign=campaign)
    assert told(people.wang)[-1] == "祝贺！“廉洁模范之星评选”已评定，您的提名获评。"
    assert told(people.li)[-1] == "“廉洁模范之星评选”已评定，评选结果已公布。"


# --- the pages --------------------------------------------------------------------------------------------
def test_edit_cancel_withdraw_and_materials_through_the_pages(cast, tree, client_for, today):
    people = residents(tree)
    campaign = new_campaign(cast, tree)
    url = campaign.get_absolute_url()
    staff = client_for(cast.worker)
    page = staff.get(url + "edit/")
    assert page.status_code == 200 and 'name="places"' in page.content.decode()
    close = (timezone.localtime() + timedelta(days=9)).strftime("%Y-%m-%dT%H:%M")
    response = staff.post(
        url + "edit/",
        {
            "title": "改名的评选",
            "kind": "integrity_star",
            "area": tree.community_a.pk,
            "places": 4,
            "votes_per_voter": 2,
            "nominations_close_at": close,
            "publicity_days": 5,
        },
    )
    assert response.status_code == 302
    campaign.refresh_from_db()
    assert (campaign.title, campaign.places) == ("改名的评选", 4)
    response = staff.post(url + "edit/", {"title": "", "places": 4})
    assert response.status_code == 200 and "评选名称" in response.content.decode()
    wang = client_for(people.wang)
    wang.post(url + "nominate/", {"nominee": "张大姐", "reason": "热心"})
    nomination = campaign.nominations.get()
    page = wang.get(nomination.get_absolute_url())
    assert 'value="withdraw"' in page.content.decode() and 'value="materials"' in page.content.decode()
    response = wang.post(nomination.get_absolute_url(), {"action": "materials", "materials": [pdf()]})
    assert response.status_code == 302 and nomination.materials.count() == 1
    li = client_for(people.li)
    assert li.post(nomination.get_absolute_url(), {"action": "withdraw"}).status_code == 404  # not seen
    assert wang.post(nomination.get_absolute_url(), {"action": "withdraw"}).status_code == 302
    nomination.refresh_from_db()
    assert nomination.status == NominationStatus.WITHDRAWN
    page = staff.get(url + "edit/")
    assert 'name="places"' in page.content.decode()  # still nominating
    response = staff.post(url, {"action": "cancel", "reason": ""})
    assert response.status_code == 200 and "reason" in response.context["forms"]["cancel"].errors
    response = staff.post(url, {"action": "cancel", "reason": "暂停"}, follow=True)
    assert "data-cancelled" in response.content.decode()
    assert staff.get(url + "edit/").status_code == 403  # nothing changes after the end


def test_another_areas_official_gets_404(cast, tree, client_for, api_for, today):
    people = residents(tree)
    campaign = new_campaign(cast, tree)
    nomination = campaigns.nominate(actor=people.wang, campaign=campaign, nominee="张大姐", reason="热心")
    other = client_for(cast.street_b)
    url = campaign.get_absolute_url()
    assert other.get(url + "edit/").status_code == 404
    assert other.post(url + "edit/", {"title": "别处"}).status_code == 404
    assert other.post(url, {"action": "cancel", "reason": "x"}).status_code == 404
    assert other.post(nomination.get_absolute_url(), {"action": "withdraw"}).status_code == 404
    api = api_for(cast.street_b)
    assert api.patch(f"/api/campaigns/{campaign.pk}/", {"title": "x"}, format="json").status_code == 404
    assert api.post(f"/api/campaigns/{campaign.pk}/cancel/", {"reason": "x"}).status_code == 404
    assert api.post(f"/api/nominations/{nomination.pk}/withdraw/").status_code == 404
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.NOMINATING and campaign.title == "廉洁模范之星评选"


# --- the API ----------------------------------------------------------------------------------------------
def test_the_api_steps(cast, tree, api_for, today):
    people = residents(tree)
    campaign = new_campaign(cast, tree)
    staff, wang = api_for(cast.worker), api_for(people.wang)
    response = staff.patch(f"/api/campaigns/{campaign.pk}/", {"places": 5}, format="json")
    assert response.status_code == 200 and response.json()["places"] == 5
    body = {"campaign": campaign.pk, "nominee": "张大姐", "reason": "热心"}
    response = wang.post("/api/nominations/", body)
    assert response.status_code == 201
    pk = response.json()["id"]
    response = wang.post(f"/api/nominations/{pk}/materials/", {"materials": [pdf()]}, format="multipart")
    assert response.status_code == 201 and len(response.json()) == 1
    response = wang.post(f"/api/nominations/{pk}/withdraw/")
    assert response.status_code == 200 and response.json()["status"] == "withdrawn"
    response = staff.post(f"/api/campaigns/{campaign.pk}/cancel/", {"reason": ""}, format="json")
    assert response.status_code == 400
    response = staff.post(f"/api/campaigns/{campaign.pk}/cancel/", {"reason": "暂停"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "cancelled"


# --- creation on its own page -----------------------------------------------------------------------------
def _city_of_many(tree, streets=4, communities=12, orgs=6):
    """A demo-like tree under the city: streets of communities, each with grids and Party organizations."""
    for s in range(streets):
        street = make_area(f"街道{s}", Level.STREET, tree.county)
        for c in range(communities):
            community = make_area(f"社区{s}-{c}", Level.COMMUNITY, street)
            make_area(f"网格{s}-{c}", Level.GRID, community)
            PartyOrg.objects.bulk_create(
                PartyOrg(name=f"第{s}-{c}-{o}党支部", kind="branch", area=community) for o in range(orgs)
            )


def test_the_list_at_city_scope_stays_small(cast, tree, client_for, django_assert_max_num_queries, today):
    _city_of_many(tree)
    assert PartyOrg.objects.count() > 250 and Area.objects.count() > 100
    people = residents(tree)
    to_vote(cast, tree, people)
    client = client_for(cast.city)
    with django_assert_max_num_queries(12):
        response = client.get("/virtue/campaigns/")
    assert response.status_code == 200
    assert len(response.content) < 60 * 1024 and response.content.decode().count("<option") < 20
    page = client.get("/virtue/campaigns/new/").content.decode()
    assert "社区0-0" in page and "网格0-0" not in page  # community level and above
    assert "党支部" not in page  # the organizer is searched, not listed
    found = client.get("/virtue/campaigns/organizations/?q=第1-2-").content.decode()
    assert found.count("<option") == 1 + 6 and "第1-2-0党支部" in found


def test_the_organizer_search_keeps_to_the_grant(cast, tree, client_for, today):
    make_party_org("桥楼社区党委", tree.community_a)
    make_party_org("育才社区党委", tree.community_b)
    found = client_for(cast.street_a).get("/virtue/campaigns/organizations/?q=社区党委").content.decode()
    assert "桥楼社区党委" in found and "育才社区党委" not in found
    assert client_for(cast.resident).get("/virtue/campaigns/organizations/?q=党委").status_code == 403
    org = PartyOrg.objects.get(name="育才社区党委")
    close = (timezone.localtime() + timedelta(days=7)).strftime("%Y-%m-%dT%H:%M")
    response = client_for(cast.street_a).post(
        "/virtue/campaigns/new/",
        {
            "title": "评选",
            "kind": "other",
            "area": tree.street_a.pk,
            "organization": org.pk,
            "places": 1,
            "votes_per_voter": 1,
            "nominations_close_at": close,
            "publicity_days": 5,
        },
    )
    assert response.status_code == 200 and "organization" in response.context["form"].errors


def test_a_campaign_cancelled_in_its_publicity_names_no_one_elected(cast, tree, client_for, today):
    people = residents(tree)
    campaign, nominations = to_vote(cast, tree, people)
    campaigns.cast_vote(voter=people.wang, campaign=campaign, nominations=nominations[:2])
    campaigns.cast_vote(voter=people.li, campaign=campaign, nominations=nominations[:1])
    after = campaign.vote.closes_at + timedelta(minutes=1)
    campaign = campaigns.start_publicity(actor=cast.worker, campaign=campaign, now=after)
    url = campaign.get_absolute_url()
    assert "拟评定</span>" in client_for(cast.worker).get(url).content.decode()
    changes.cancel_campaign(actor=cast.worker, campaign=campaign, reason="上级通知暂停")
    page = client_for(cast.worker).get(url).content.decode()
    # the proposed winners of a cancelled campaign were never awarded: neither 当选 nor 拟评定
    assert "当选</span>" not in page and "拟评定</span>" not in page
