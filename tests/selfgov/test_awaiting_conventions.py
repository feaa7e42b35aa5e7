"""Issue 14, "what awaits my vote" covers conventions: the resident's 议事协商 page and home block list the
courtyard convention's open adoption vote until they — or, where the vote counts households, a member of
their household — have voted, and the convention in force until they have signed it (once per household
when the version is signed per household). A resident of another community sees none of it."""

from datetime import timedelta

from django.utils import timezone

from grassroots.documents import services as documents
from grassroots.selfgov.services import conventions
from grassroots.voting.services import households, votes
from tests.homes import open_home

BODY = [{"number": "1", "title": "环境卫生", "items": [{"number": "1.1", "text": "垃圾分类投放。"}]}]
TO_VOTE = "公约表决：一号院落居民公约"
TO_SIGN = "签署公约：一号院落居民公约"


def test_convention_vote_and_signature_await_the_residents(client_for, cast, tree, people):
    first = households.create_household(actor=cast.worker, area=tree.courtyard_a, name="1栋101")
    second = households.create_household(actor=cast.worker, area=tree.courtyard_a, name="1栋102")
    for person, home in ((people.wang, first), (people.li, first), (people.zhao, second)):
        households.add_member(actor=cast.worker, household=home, user=person)
    convention = conventions.start_convention(actor=cast.worker, courtyard=tree.courtyard_a)
    documents.save_draft(actor=cast.worker, version=convention.document.versions.get(), body=BODY)
    now = timezone.now()
    conventions.open_discussion(actor=cast.worker, convention=convention, ends_at=now + timedelta(days=1))
    conventions.call_vote(
        actor=cast.worker,
        convention=convention,
        opens_at=now - timedelta(minutes=1),
        closes_at=now + timedelta(days=1),
        electorate="households",
        per_household=True,
    )
    convention.refresh_from_db()
    wang, li, zhao = (client_for(p) for p in (people.wang, people.li, people.zhao))
    outsider, unverified = client_for(people.outsider), client_for(people.unverified)

    def shown(client, text, page="/selfgov/"):
        return text in (open_home(client) if page == "/" else client.get(page)).content.decode()

    assert shown(wang, TO_VOTE) and shown(li, TO_VOTE) and shown(zhao, TO_VOTE)
    assert shown(wang, TO_VOTE, page="/")  # the home block too
    assert not shown(outsider, TO_VOTE) and not shown(unverified, TO_VOTE)
    # wang votes by request: his household has voted, li is no longer asked; zhao's household still is
    agree = convention.vote.options.get(position=0).pk
    assert wang.post(f"/voting/{convention.vote_id}/cast/", {"options": agree}).status_code == 200
    assert not shown(wang, TO_VOTE) and not shown(li, TO_VOTE) and shown(zhao, TO_VOTE)
    assert zhao.post(f"/voting/{convention.vote_id}/cast/", {"options": agree}).status_code == 200
    assert not shown(zhao, TO_VOTE)

    votes.close_vote(actor=cast.worker, vote=convention.vote)
    conventions.settle_vote(actor=cast.worker, convention=convention)
    # in force, signed once per household: each household's members are asked until one of them signs
    assert shown(wang, TO_SIGN) and shown(li, TO_SIGN) and shown(zhao, TO_SIGN)
    assert not shown(people_client := client_for(people.sun), TO_SIGN)  # in no household: cannot sign
    assert people_client.get("/selfgov/").status_code == 200
    assert not shown(outsider, TO_SIGN) and not shown(outsider, TO_SIGN, page="/")
    assert li.post(f"{convention.get_absolute_url()}sign/").status_code == 302
    assert not shown(wang, TO_SIGN) and not shown(li, TO_SIGN) and shown(zhao, TO_SIGN)
    assert shown(zhao, TO_SIGN, page="/")


def test_signed_per_resident_each_member_is_asked(client_for, cast, tree, people):
    convention = conventions.start_convention(actor=cast.worker, courtyard=tree.courtyard_a)
    documents.save_draft(actor=cast.worker, version=convention.document.versions.get(), body=BODY)
    now = timezone.now()
    conventions.open_discussion(actor=cast.worker, convention=convention, ends_at=now + timedelta(days=1))
    conventions.call_vote(
        actor=cast.worker,
        convention=convention,
        opens_at=now - timedelta(minutes=1),
        closes_at=now + timedelta(days=1),
    )
    convention.refresh_from_db()
    agree = convention.vote.options.get(position=0).pk
    for person in (people.wang, people.li, people.zhao):
        assert (
            client_for(person).post(f"/voting/{convention.vote_id}/cast/", {"options": agree}).status_code
            == 200
        )
    votes.close_vote(actor=cast.worker, vote=convention.vote)
    conventions.settle_vote(actor=cast.worker, convention=convention)
    wang, sun = client_for(people.wang), client_for(people.sun)
    assert TO_SIGN in sun.get("/selfgov/").content.decode()  # no household needed
    wang.post(f"{convention.get_absolute_url()}sign/")
    assert TO_SIGN not in wang.get("/selfgov/").content.decode()
    assert TO_SIGN in sun.get("/selfgov/").content.decode()
