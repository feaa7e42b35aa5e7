"""`GET /api/awaiting-me/` (issue 14): the lines of 等待我参与 on the 议事协商 page, from the same read — the
matter's open vote, the courtyard convention's adoption vote, a hearing taking comments — scoped like the
page: a resident of another courtyard of the community, or of another community, is not asked; a bounded
number of queries whatever the matters."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from grassroots.accounts.roles import Role
from grassroots.documents import services as documents
from grassroots.gatherings.services import mark_held
from grassroots.selfgov.services import conventions, matters
from grassroots.voting.services import households
from tests.factories import Level, make_area, make_user

BODY = [{"number": "1", "title": "环境卫生", "items": [{"number": "1.1", "text": "垃圾分类投放。"}]}]


def _convention_vote(cast, tree, people):
    """一号院落's convention put to its households' vote (wang's household), open now."""
    home = households.create_household(actor=cast.worker, area=tree.courtyard_a, name="1栋101")
    households.add_member(actor=cast.worker, household=home, user=people.wang)
    convention = conventions.start_convention(actor=cast.worker, courtyard=tree.courtyard_a)
    documents.save_draft(actor=cast.worker, version=convention.document.versions.get(), body=BODY)
    now = timezone.now()
    conventions.open_discussion(actor=cast.worker, convention=convention, ends_at=now + timedelta(days=1))
    conventions.call_vote(
        actor=cast.worker,
        convention=convention,
        opens_at=now - timedelta(minutes=1),
        closes_at=now + timedelta(days=2),
        electorate="households",
        per_household=True,
    )
    convention.refresh_from_db()
    return convention


def _matter_vote(cast, matter, time_machine):
    """`matter` (in hearing) past its hearing and put to the vote of its courtyard's residents."""
    time_machine.move_to(matter.hearing.starts_at + timedelta(minutes=5), tick=True)
    mark_held(actor=cast.worker, gathering=matter.hearing)
    matter.refresh_from_db()
    now = timezone.now()
    matters.call_vote(actor=cast.worker, matter=matter, opens_at=now, closes_at=now + timedelta(days=1))
    matter.refresh_from_db()
    return matter


def _page_links(client) -> list[str]:
    """The links of the page's 等待我参与 section, in order."""
    html = client.get("/selfgov/").content.decode()
    if "等待我参与" not in html:
        return []
    section = html.split("等待我参与", 1)[1].split("</section>", 1)[0]
    return re.findall(r'<li class="mb-1"><a href="([^"]+)"', section)


def test_the_api_lists_what_the_page_lists_and_no_one_elses(
    client_for, api_for, cast, tree, people, in_hearing, time_machine
):
    matter = _matter_vote(cast, in_hearing, time_machine)  # the clock past its hearing
    convention = _convention_vote(cast, tree, people)
    # a second matter, in its hearing (comments open): the hearing line
    heard = matters.create_matter(
        actor=cast.worker, area=tree.courtyard_a, title="一号院落路灯", category="parking"
    )
    start = timezone.now() + timedelta(days=8)
    matters.schedule_hearing(
        actor=cast.worker, matter=heard, starts_at=start, ends_at=start + timedelta(hours=2), place="会议室"
    )

    answer = api_for(people.wang).get("/api/awaiting-me/")
    assert answer.status_code == 200
    lines = answer.json()
    assert [(x["kind"], x["title"]) for x in lines] == [
        ("vote", matter.title),
        ("convention_vote", "一号院落居民公约"),
        ("hearing", "一号院落路灯"),
    ]
    vote_line, convention_line, hearing_line = lines
    assert vote_line["vote"] == matter.vote_id and vote_line["matter"] == matter.pk
    assert vote_line["closes_at"] is not None and vote_line["kind_label"] == "事项表决"
    assert convention_line["convention"] == convention.pk and convention_line["vote"] == convention.vote_id
    assert (
        hearing_line["url"] == f"/selfgov/matters/{heard.pk}/#comments" and hearing_line["closes_at"] is None
    )
    # the same links as the page, in the same order
    assert [x["url"] for x in lines] == _page_links(client_for(people.wang))

    # a resident of another courtyard of the same community: neither the matters nor the convention
    other_courtyard = make_area("二号院落", Level.COURTYARD, tree.grid_a)
    zhou = make_user(
        "zhou", Role.RESIDENT, other_courtyard, home_area=other_courtyard, verified_at=timezone.now()
    )
    assert api_for(zhou).get("/api/awaiting-me/").json() == []
    assert _page_links(client_for(zhou)) == []
    # a resident of another community, an unverified one of the courtyard, an official: nothing
    assert api_for(people.outsider).get("/api/awaiting-me/").json() == []
    assert [x["kind"] for x in api_for(people.unverified).get("/api/awaiting-me/").json()] == []
    assert api_for(cast.street_a).get("/api/awaiting-me/").json() == []


def test_a_line_goes_once_the_resident_has_voted(api_for, client_for, cast, tree, people):
    convention = _convention_vote(cast, tree, people)
    agree = convention.vote.options.get(position=0).pk
    assert [x["kind"] for x in api_for(people.wang).get("/api/awaiting-me/").json()] == ["convention_vote"]
    assert (
        client_for(people.wang).post(f"/voting/{convention.vote_id}/cast/", {"options": agree}).status_code
        == 200
    )
    assert api_for(people.wang).get("/api/awaiting-me/").json() == []


def test_the_api_needs_a_login(client):
    assert client.get("/api/awaiting-me/").status_code in (401, 403)


@pytest.mark.parametrize("extra", [0, 6])
def test_the_api_reads_a_bounded_number_of_queries(
    api_for, cast, tree, people, django_assert_max_num_queries, extra
):
    _convention_vote(cast, tree, people)
    for n in range(extra):
        matters.create_matter(actor=cast.worker, area=tree.courtyard_a, title=f"事项{n}", category="parking")
    api = api_for(people.wang)
    with django_assert_max_num_queries(10):
        assert api.get("/api/awaiting-me/").status_code == 200
