"""Residents' conventions (居民公约): the whole path by real requests (start, write on the documents' editor,
discussion with comments, the courtyard's vote, adoption, signatures counted per household, an amendment
keeping the version in force), refusals with their messages, the API, another area's convention 404."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from grassroots.documents import services as documents
from grassroots.selfgov import selectors_conventions as conv
from grassroots.selfgov.models import Convention, ConventionState
from grassroots.selfgov.services import conventions
from grassroots.voting.services import ballots, households, votes
from grassroots.workflow.models import Notification

FMT = "%Y-%m-%dT%H:%M"
TEXT = "# 1 环境卫生\n1.1 垃圾分类投放，不乱扔杂物。\n1.2 不占用消防通道停车。"
BODY = [{"number": "1", "title": "环境卫生", "items": [{"number": "1.1", "text": "垃圾分类投放。"}]}]


def local(moment):
    return timezone.localtime(moment).strftime(FMT)


def _vote_and_close(cast, convention, voters, choice=0):
    convention.refresh_from_db()
    option = convention.vote.options.get(position=choice).pk
    for voter in voters:
        ballots.cast_ballot(voter=voter, vote=convention.vote, option_ids=[option])
    votes.close_vote(actor=cast.worker, vote=convention.vote)


def test_the_path_by_requests(client_for, cast, tree, people, django_capture_on_commit_callbacks):
    worker, wang, li = client_for(cast.worker), client_for(people.wang), client_for(people.li)
    # start from the workers' list (the courtyard is marked missing), write it on the documents' editor
    assert "缺失" in worker.get("/selfgov/conventions/").content.decode()
    answer = worker.post("/selfgov/conventions/new/", {"courtyard": tree.courtyard_a.pk})
    convention = Convention.objects.get()
    assert answer.url == f"/documents/{convention.document_id}/draft/"
    assert worker.post(answer.url, {"body": TEXT, "note": ""}).status_code == 302
    # the documents' pages cannot publish a convention: only its vote does
    worker.post(f"/documents/{convention.document_id}/draft/publish/")
    assert convention.document.versions.get().state == "draft"
    # a draft is its keepers' only
    assert wang.get(convention.get_absolute_url()).status_code == 404
    # the discussion: residents of the courtyard comment; notified
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        answer = worker.post(
            f"/selfgov/conventions/{convention.pk}/discussion/", {"ends_at": local(now + timedelta(days=7))}
        )
    assert answer.status_code == 302
    assert Notification.objects.filter(recipient=people.wang, verb__contains="开始征求意见").exists()
    page = wang.get(convention.get_absolute_url()).content.decode()
    assert "不占用消防通道停车" in page and "居民讨论" in page
    assert (
        wang.post(f"/selfgov/conventions/{convention.pk}/comment/", {"text": "建议加上养犬条款"}).status_code
        == 302
    )
    refused = client_for(people.unverified).post(
        f"/selfgov/conventions/{convention.pk}/comment/", {"text": "x"}
    )
    assert refused.status_code == 400 and "尚未通过社区的实名核验" in refused.content.decode()
    assert refused.context["comment_form"].non_field_errors()  # at the comment form, not a flash message
    assert "建议加上养犬条款" in li.get(convention.get_absolute_url()).content.decode()
    # the vote of the courtyard's residents; carried → published, adopted by that vote
    answer = worker.post(
        f"/selfgov/conventions/{convention.pk}/vote/",
        {
            "electorate": "residents",
            "opens_at": local(now - timedelta(minutes=1)),
            "closes_at": local(now + timedelta(days=2)),
            "quorum_percent": 50,
            "majority": "simple",
            "secret": "on",
        },
    )
    assert answer.status_code == 302, answer.content.decode()
    _vote_and_close(cast, convention, [people.wang, people.li, people.zhao])
    assert worker.post(f"/selfgov/conventions/{convention.pk}/settle/").status_code == 302
    convention.refresh_from_db()
    assert convention.state == ConventionState.PUBLISHED and convention.in_force_since is not None
    version = convention.document.versions.get()
    assert version.state == "published" and convention.adoptions.get().version == version
    # signatures: one each, counted per household
    home = households.create_household(actor=cast.worker, area=tree.courtyard_a, name="1栋101")
    for person in (people.wang, people.li):
        households.add_member(actor=cast.worker, household=home, user=person)
    for client in (wang, li):
        assert client.post(f"/selfgov/conventions/{convention.pk}/sign/").status_code == 302
    again = wang.post(f"/selfgov/conventions/{convention.pk}/sign/")
    assert again.status_code == 400 and "您已签署过该公约" in again.content.decode()
    assert "您已签署过该公约" in " ".join(again.context["sign_form"].non_field_errors())
    counts = conv.signature_counts(convention, version)
    assert counts == {
        "signed": 2,
        "households_signed": 1,
        "residents": 4,
        "households": 1,
        "per_household": False,
    }
    assert "已签署 2 人" in li.get(convention.get_absolute_url()).content.decode()
    outsider = client_for(people.outsider)
    assert outsider.get(convention.get_absolute_url()).status_code == 404
    assert outsider.post(f"/selfgov/conventions/{convention.pk}/sign/").status_code == 404
    assert client_for(cast.street_b).get(convention.get_absolute_url()).status_code == 404
    # an amendment: a new draft; version 1 stays in force until the next vote carries
    assert worker.post(f"/selfgov/conventions/{convention.pk}/amend/").status_code == 302
    convention.refresh_from_db()
    assert convention.state == ConventionState.DRAFTING
    assert dict(convention.document.versions.values_list("number", "state")) == {1: "published", 2: "draft"}
    assert "现行公约（第 1 版" in wang.get(convention.get_absolute_url()).content.decode()


def test_a_failed_vote_sends_the_draft_back(cast, tree, people):
    convention = conventions.start_convention(actor=cast.worker, courtyard=tree.courtyard_a)
    documents.save_draft(actor=cast.worker, version=convention.document.versions.get(), body=BODY)
    now = timezone.now()
    conventions.open_discussion(actor=cast.worker, convention=convention, ends_at=now + timedelta(days=1))
    with pytest.raises(ValidationError):  # not before its vote closed
        conventions.settle_vote(actor=cast.worker, convention=convention)
    conventions.call_vote(
        actor=cast.worker,
        convention=convention,
        opens_at=now - timedelta(minutes=1),
        closes_at=now + timedelta(days=1),
        majority="two_thirds",
    )
    _vote_and_close(cast, convention, [people.wang], choice=1)
    convention = conventions.settle_vote(actor=cast.worker, convention=convention)
    assert convention.state == ConventionState.DRAFTING and convention.vote is None
    assert convention.document.versions.get().state == "draft"
    with pytest.raises(ValidationError) as unsigned:
        conventions.sign(user=people.wang, convention=convention)
    assert "尚未生效" in str(unsigned.value)
    with pytest.raises(PermissionDenied):
        conventions.start_convention(actor=cast.street_b, courtyard=tree.courtyard_a)
    with pytest.raises(ValidationError) as level:
        conventions.start_convention(actor=cast.worker, courtyard=tree.grid_a)
    assert "请选择一个院落" in str(level.value)


def test_api(api_for, cast, tree, people):
    worker = api_for(cast.worker)
    answer = worker.post("/api/conventions/", {"courtyard": tree.courtyard_a.pk}, format="json")
    assert answer.status_code == 201, answer.content
    pk, document = answer.json()["id"], answer.json()["document"]
    assert worker.put(f"/api/documents/{document}/draft/", {"body": BODY}, format="json").status_code == 200
    assert worker.post(f"/api/documents/{document}/publish/").status_code == 400
    now = timezone.now()
    body = {"ends_at": (now + timedelta(days=3)).isoformat()}
    assert worker.post(f"/api/conventions/{pk}/discussion/", body, format="json").status_code == 200
    wang = api_for(people.wang)
    said = wang.post(f"/api/conventions/{pk}/comments/", {"text": "同意"}, format="json")
    assert said.status_code == 201
    assert [c["text"] for c in wang.get(f"/api/conventions/{pk}/comments/").json()] == ["同意"]
    vote = {
        "opens_at": (now - timedelta(minutes=1)).isoformat(),
        "closes_at": (now + timedelta(days=1)).isoformat(),
    }
    assert worker.post(f"/api/conventions/{pk}/vote/", vote, format="json").status_code == 200
    convention = Convention.objects.get()
    _vote_and_close(cast, convention, [people.wang, people.li, people.zhao])
    settled = worker.post(f"/api/conventions/{pk}/settle/")
    assert settled.json()["state"] == "published" and settled.json()["in_force"] == 1
    assert wang.post(f"/api/conventions/{pk}/sign/").status_code == 201
    assert wang.post(f"/api/conventions/{pk}/sign/").status_code == 400
    assert wang.get(f"/api/conventions/{pk}/").json()["signatures"]["signed"] == 1
    assert api_for(people.outsider).get(f"/api/conventions/{pk}/").status_code == 404
    refused = api_for(cast.street_b).post(
        "/api/conventions/", {"courtyard": tree.courtyard_a.pk}, format="json"
    )
    assert refused.status_code == 400


def test_refusals_at_the_form_not_as_messages(client_for, cast, tree, people):
    """Issue 14: each refusal of the conventions' pages re-renders the page (400) with the message at the
    field, or at the top of the button's own form; no flash message, nothing written."""
    worker = client_for(cast.worker)
    start = "/selfgov/conventions/new/"
    assert worker.post(start, {"courtyard": tree.courtyard_a.pk}).status_code == 302
    twice = worker.post(start, {"courtyard": tree.courtyard_a.pk})
    assert twice.status_code == 400
    courtyard, form = twice.context["start_refused"]
    assert courtyard == tree.courtyard_a.pk and form.non_field_errors()
    assert not [m for m in twice.context["messages"] if m.level_tag == "error"]  # no flash message
    convention = Convention.objects.get()
    url = f"/selfgov/conventions/{convention.pk}/"
    # The discussion of an empty draft, or with a past end: at the form's fields / top.
    past = worker.post(url + "discussion/", {"ends_at": "2000-01-01T10:00"})
    assert past.status_code == 400 and past.context["discussion_form"].errors
    # No vote to settle, nothing in force to amend, nothing in force to sign: at the buttons' forms.
    settle = worker.post(url + "settle/")
    assert settle.status_code == 400 and settle.context["settle_form"].non_field_errors()
    assert f'action="{url}settle/"' in settle.content.decode()
    amend = worker.post(url + "amend/")
    assert amend.status_code == 400 and amend.context["amend_form"].non_field_errors()
    sign = client_for(people.wang).post(url + "sign/")
    assert sign.status_code in (400, 404)
    convention.refresh_from_db()
    assert convention.state == ConventionState.DRAFTING and convention.document.versions.count() == 1


def test_the_list_query_count_does_not_grow(client_for, cast, tree, django_assert_max_num_queries):
    """The workers' list of courtyards with their conventions (and /api/conventions/): the same number of
    queries for 2 courtyards as for 8, with conventions at every state."""
    from grassroots.areas.models import Level
    from tests.factories import make_area

    def make(first, last):
        for i in range(first, last):
            courtyard = make_area(f"{i}号院", Level.COURTYARD, tree.grid_a)
            convention = conventions.start_convention(actor=cast.worker, courtyard=courtyard)
            documents.save_draft(actor=cast.worker, version=convention.document.versions.get(), body=BODY)
            if i % 2:
                conventions.open_discussion(
                    actor=cast.worker, convention=convention, ends_at=timezone.now() + timedelta(days=1)
                )

    make(0, 2)
    client = client_for(cast.worker)
    for rows in (2, 8):
        if rows == 8:
            make(2, 8)
        # the page: the session, the user, their role grants, the count of the scope's courtyards (the
        # paginator), the page's courtyards joined to their conventions and documents, the unread
        # notifications (the navbar), the Party organizations the user leads (the menu)
        with django_assert_max_num_queries(7):
            page = client.get("/selfgov/conventions/").content.decode()
        assert f"{rows - 1}号院居民公约" in page
        # the API: the session, the user, their role grants, the count (pagination), the page's conventions
        # joined to their courtyards and documents, the documents' versions (one prefetch)
        with django_assert_max_num_queries(6):
            assert client.get("/api/conventions/").json()["count"] == rows


def test_the_export_holds_the_courtyards_conventions_and_none_of_another_street(client_for, cast, tree):
    from django.urls import reverse

    from tests.factories import Level, make_area
    from tests.imports.helpers import read_xlsx

    grid_b = make_area("育才第一网格", Level.GRID, tree.community_b)
    make_area("育才院落", Level.COURTYARD, grid_b)
    conventions.start_convention(actor=cast.worker, courtyard=tree.courtyard_a)
    url = reverse("imports:list_export", args=["selfgov-conventions"])
    city = client_for(cast.city)
    assert 'data-export="selfgov-conventions"' in city.get("/selfgov/conventions/").content.decode()
    rows = read_xlsx(b"".join(city.post(url).streaming_content))["院落居民公约"]
    assert rows[0] == ["院落", "公约", "状态", "生效时间"]
    assert [(r[0], r[2]) for r in rows[1:]] == [("一号院落", "起草中"), ("育才院落", "缺失")]
    street_b = client_for(cast.street_b)
    mine = read_xlsx(b"".join(street_b.post(url).streaming_content))["院落居民公约"]
    assert [r[0] for r in mine[1:]] == ["育才院落"]
    assert street_b.post(url + f"?area={tree.street_a.pk}").status_code == 404
    assert client_for(cast.resident).post(url).status_code == 403
