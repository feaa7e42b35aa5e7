"""The record of an election of a community's resident representatives (居民代表推选记录): recorded on the
page and through the API (the day, the term, the vote or the meeting, the document, those elected becoming
standing representatives), refused with the reason at the field, invisible to another community's worker
(404, nothing changed), and the clock's reminder of the term's end, once per term."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from grassroots.accounts.roles import Role
from grassroots.gatherings import services as gatherings
from grassroots.voting.models import Representative, RepresentativeElection
from grassroots.voting.services import elections
from grassroots.workflow.models import Notification
from tests.factories import make_user

API = "/api/representative-elections/"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def worker_b(tree):
    return make_user("worker_b", Role.COMMUNITY_WORKER, tree.community_b)


@pytest.fixture
def meeting(cast, tree, today):
    starts = timezone.make_aware(datetime.combine(today - timedelta(days=10), time(9)))
    return gatherings.create_gathering(
        actor=cast.worker,
        kind="meeting",
        title="居民会议：推选居民代表",
        area=tree.community_a,
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
    )


def test_page_records_an_election_and_its_representatives(cast, tree, voters, meeting, today, client_for):
    client = client_for(cast.worker)
    held_on = today - timedelta(days=10)
    response = client.post(
        "/voting/representatives/elections/",
        {
            "community": tree.community_a.pk,
            "held_on": held_on.isoformat(),
            "gathering": meeting.pk,
            "elected": "wang\nli",
            "note": "举手表决",
            "document": SimpleUploadedFile("推选结果公告.pdf", PDF, content_type="application/pdf"),
        },
    )
    election = RepresentativeElection.objects.get()
    assert response.status_code == 302 and response.url == f"/voting/representatives/elections/{election.pk}/"
    assert election.term_ends_on == held_on.replace(year=held_on.year + 5)
    assert (election.gathering, election.created_by, election.document_name) == (
        meeting,
        cast.worker,
        "推选结果公告.pdf",
    )
    standing = Representative.objects.filter(
        community=tree.community_a, until__isnull=True, election=election
    )
    assert sorted(r.user.username for r in standing) == ["li", "wang"]
    assert {r.since for r in standing} == {held_on}

    page = client.get(election.get_absolute_url()).content.decode()
    assert "居民会议：推选居民代表" in page and voters.wang.display_name in page
    document = client.get(f"/voting/representatives/elections/{election.pk}/document/")
    assert document.status_code == 200 and b"".join(document.streaming_content).startswith(b"%PDF")
    listing = client.get("/voting/representatives/elections/").content.decode()
    assert election.get_absolute_url() in listing


def test_refusals_name_the_field_and_write_nothing(cast, tree, voters, meeting, today, client_for):
    client = client_for(cast.worker)
    url = "/voting/representatives/elections/"
    base = {"community": tree.community_a.pk, "held_on": (today - timedelta(days=1)).isoformat()}
    response = client.post(url, base)  # neither a vote nor a meeting
    assert response.status_code == 400
    assert "请选择推选投票或推选会议（至少一项）。" in response.content.decode()
    response = client.post(
        url, {**base, "gathering": meeting.pk, "term_ends_on": (today - timedelta(days=2)).isoformat()}
    )
    assert "任期届满日期须晚于推选日期。" in response.content.decode()
    response = client.post(url, {**base, "gathering": meeting.pk, "elected": "unverified"})
    assert response.status_code == 400 and "居民代表须是已实名核验的居民。" in response.content.decode()
    assert not RepresentativeElection.objects.exists() and not Representative.objects.exists()


def test_another_communitys_worker_gets_404_and_changes_nothing(
    cast, tree, voters, meeting, today, worker_b, client_for, api_for
):
    election = elections.record_election(
        actor=cast.worker,
        community=tree.community_a,
        held_on=today - timedelta(days=10),
        gathering=meeting,
        elected=[voters.wang],
        document=SimpleUploadedFile("结果.pdf", PDF),
    )
    client = client_for(worker_b)
    for url in (election.get_absolute_url(), f"{election.get_absolute_url()}document/"):
        assert client.get(url).status_code == 404
    assert (
        election.get_absolute_url() not in client.get("/voting/representatives/elections/").content.decode()
    )
    api = api_for(worker_b)
    assert api.get(f"{API}{election.pk}/").status_code == 404
    assert api.get(API).json()["count"] == 0
    # worker_b naming community A, or A's meeting from B's community: refused, nothing written
    body = {"community": tree.community_a.pk, "held_on": str(today), "gathering": meeting.pk}
    assert api.post(API, body, format="json").status_code == 400
    body = {"community": tree.community_b.pk, "held_on": str(today), "gathering": meeting.pk}
    response = api.post(API, body, format="json")
    assert response.status_code == 400 and "gathering" in response.json()["errors"]
    assert RepresentativeElection.objects.count() == 1
    # a resident may not record one at all
    response = client_for(cast.resident).get("/voting/representatives/elections/")
    assert response.status_code == 403


def test_api_records_and_lists_elections(cast, tree, voters, make_vote, today, api_for):
    vote = make_vote(title="居民代表选举")
    api = api_for(cast.worker)
    body = {
        "community": tree.community_a.pk,
        "held_on": str(today),
        "term_ends_on": str(today.replace(year=today.year + 3)),
        "vote": vote.pk,
        "elected": [voters.zhao.pk, voters.sun.pk],
    }
    response = api.post(API, body, format="json")
    assert response.status_code == 201, response.content
    row = response.json()
    assert (row["vote"], row["gathering"], row["document_url"]) == (vote.pk, None, "")
    assert sorted(e["name"] for e in row["elected"]) == sorted(
        [voters.zhao.display_name, voters.sun.display_name]
    )
    # the same person again (already standing: linked to the new record, not appointed twice)
    response = api.post(API, {**body, "elected": [voters.zhao.pk]}, format="json")
    assert response.status_code == 201
    assert Representative.objects.filter(user=voters.zhao).count() == 1
    response = api.post(API, {**body, "vote": None}, format="json")
    assert response.status_code == 400 and response.json()["errors"]["vote"] == [
        "请选择推选投票或推选会议（至少一项）。"
    ]


def test_list_query_counts(
    cast, tree, voters, meeting, today, client_for, api_for, django_assert_max_num_queries
):
    for n in range(8):
        elections.record_election(
            actor=cast.worker,
            community=tree.community_a,
            held_on=today - timedelta(days=100 - n),
            gathering=meeting,
            elected=[voters.wang, voters.li],
        )
    client = client_for(cast.worker)
    with django_assert_max_num_queries(16):
        assert client.get("/voting/representatives/elections/").status_code == 200
    api = api_for(cast.worker)
    with django_assert_max_num_queries(12):
        assert api.get(API).json()["count"] == 8


def test_clock_reminds_of_the_term_end_once(
    cast, tree, voters, meeting, today, django_capture_on_commit_callbacks
):
    held_on = date(today.year - 5, today.month, min(today.day, 28)) + timedelta(days=60)
    election = elections.record_election(
        actor=cast.worker, community=tree.community_a, held_on=held_on, gathering=meeting
    )
    assert elections.remind_term_ends(today=election.term_ends_on - timedelta(days=91)) == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert elections.remind_term_ends(today=election.term_ends_on - timedelta(days=90)) == 1
    assert elections.remind_term_ends(today=election.term_ends_on - timedelta(days=10)) == 0  # once
    notes = Notification.objects.filter(verb__contains="居民代表任期")
    assert {n.recipient for n in notes} == {cast.worker, cast.secretary}
    # a newer election makes the old term irrelevant; its own term is far off
    elections.record_election(
        actor=cast.worker, community=tree.community_a, held_on=today - timedelta(days=1), gathering=meeting
    )
    assert elections.remind_term_ends(today=today) == 0


def test_the_exports_hold_the_communitys_elections_and_representatives_and_none_of_another_street(
    cast, tree, voters, meeting, worker_b, today, client_for
):
    from django.urls import reverse

    from tests.imports.helpers import read_xlsx

    elections.record_election(
        actor=cast.worker,
        community=tree.community_a,
        held_on=today - timedelta(days=10),
        gathering=meeting,
        elected=[voters.wang],
        document=SimpleUploadedFile("=结果.pdf", PDF),
    )
    starts = timezone.make_aware(datetime.combine(today - timedelta(days=5), time(9)))
    theirs = gatherings.create_gathering(
        actor=worker_b,
        kind="meeting",
        title="育才居民会议",
        area=tree.community_b,
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
    )
    elections.record_election(
        actor=worker_b,
        community=tree.community_b,
        held_on=today - timedelta(days=5),
        gathering=theirs,
        elected=[voters.outsider],
    )
    street = client_for(cast.street_a)
    for kind, page in (
        ("voting-elections", "/voting/representatives/elections/"),
        ("voting-representatives", "/voting/representatives/"),
    ):
        assert f'data-export="{kind}"' in street.get(page).content.decode()
    url = reverse("imports:list_export", args=["voting-elections"])
    rows = read_xlsx(b"".join(street.post(url).streaming_content))["居民代表推选记录"]
    assert rows[0] == ["社区", "推选日期", "任期届满日期", "投票", "会议", "文件"]
    assert [(r[0], r[4], r[5]) for r in rows[1:]] == [
        ("桥楼社区", "居民会议：推选居民代表", "=结果.pdf")  # as text: the file keeps no formula
    ]
    url = reverse("imports:list_export", args=["voting-representatives"])
    rows = read_xlsx(b"".join(street.post(url).streaming_content))["居民代表"]
    assert rows[0] == ["居民", "社区", "推选日期", "卸任日期"]
    assert [(r[0], r[1], r[3]) for r in rows[1:]] == [(voters.wang.display_name, "桥楼社区", "在任")]
    other = read_xlsx(b"".join(client_for(cast.street_b).post(url).streaming_content))["居民代表"]
    assert [r[0] for r in other[1:]] == [voters.outsider.display_name]
    assert client_for(voters.wang).post(url).status_code == 403
