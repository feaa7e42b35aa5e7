"""Gatherings of kind 现场会 made before on-site meetings had a record get their SiteMeeting by the data
migration assessments 0005 (the community the place names, else the gathering's own community, else the
first community under its area, marked 待核实); and the meeting's page costs the same number of queries
however many lessons and visiting organizations it has."""

from __future__ import annotations

import importlib
from datetime import timedelta

import pytest
from django.apps import apps
from django.utils import timezone

from grassroots.core.assessments.models import SiteMeeting
from grassroots.core.assessments.services import meetings as services
from grassroots.gatherings.services import create_gathering
from tests.factories import make_party_org

adoption = importlib.import_module("grassroots.core.assessments.migrations.0005_legacy_site_meetings")


def old(actor, area, title, place="", description=""):
    starts = timezone.now() + timedelta(days=3)
    return create_gathering(
        actor=actor,
        area=area,
        kind="site_meeting",
        title=title,
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        place=place,
        description=description,
    )


def test_old_gatherings_get_their_meeting(tree, cast, client_for):
    named = old(
        cast.street_a, tree.street_a, "院落党建现场会", place="桥楼社区一号院落", description="观摩示范点"
    )
    unnamed = old(cast.street_a, tree.street_a, "经验交流现场会", place="街道会议室")
    own = old(cast.secretary, tree.community_a, "社区现场会")
    other_kind = create_gathering(
        actor=cast.street_a,
        area=tree.street_a,
        kind="meeting",
        title="不是现场会",
        starts_at=named.starts_at,
        ends_at=named.ends_at,
    )
    adoption.adopt(apps, None)
    adoption.adopt(apps, None)  # twice: nothing more
    meetings = {m.gathering_id: m for m in SiteMeeting.objects.all()}
    assert set(meetings) == {named.pk, unnamed.pk, own.pk} and other_kind.pk not in meetings
    first = meetings[named.pk]
    assert (first.shows, first.practice_area) == ("practice", tree.community_a)
    assert first.host_area == tree.street_a
    assert first.practice == "现场：桥楼社区一号院落\n观摩示范点"
    assert first.created_by == cast.street_a
    guessed = meetings[unnamed.pk]
    assert guessed.practice_area.path.startswith(tree.street_a.path)
    assert guessed.practice.endswith("（观摩社区待核实）")
    assert meetings[own.pk].practice_area == tree.community_a
    # On the meetings' list and page like any other; the organizer corrects what it shows.
    street = client_for(cast.street_a)
    listed = street.get("/assessments/site-meetings/").context["page_obj"]
    assert {m.gathering.title for m in listed} == {"院落党建现场会", "经验交流现场会", "社区现场会"}
    assert street.get(guessed.get_absolute_url()).status_code == 200
    services.update_site_meeting(
        actor=cast.street_a, meeting=guessed, practice_area=tree.community_a, practice="院落议事会"
    )
    assert client_for(cast.street_b).get(guessed.get_absolute_url()).status_code == 404


@pytest.fixture
def meeting(tree, cast):
    return services.create_site_meeting(
        actor=cast.street_a,
        area=tree.street_a,
        title="经验现场会",
        starts_at=timezone.now() + timedelta(days=3),
        ends_at=timezone.now() + timedelta(days=3, hours=2),
        host_area=tree.community_a,
        shows="practice",
        practice_area=tree.community_a,
        practice="院落议事会",
    )


def test_the_meeting_page_pins_its_queries(tree, cast, meeting, client_for, django_assert_max_num_queries):
    street = client_for(cast.street_a)
    url = meeting.get_absolute_url()
    street.get(url)
    with django_assert_max_num_queries(24) as few:
        assert street.get(url).status_code == 200
    orgs = [make_party_org(f"观摩支部{i}", tree.community_a, "branch") for i in range(6)]
    services.update_site_meeting(actor=cast.street_a, meeting=meeting, visiting_orgs=orgs)
    for i in range(6):
        services.add_lesson(actor=cast.street_a, meeting=meeting, text=f"经验启示{i}")
    with django_assert_max_num_queries(len(few)):
        page = street.get(url)
    assert len(page.context["lessons"]) == 6 and len(page.context["visiting"]) == 6
