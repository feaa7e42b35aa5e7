"""The five-step path by real requests of residents and workers, refusals with their messages, scope (another
community's records answer 404) and the board's query count."""

from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from grassroots.gatherings.services import mark_held
from grassroots.selfgov.models import Matter, MatterState, Opinion, OpinionState
from grassroots.selfgov.services import matters, opinions
from grassroots.voting.services import votes

FMT = "%Y-%m-%dT%H:%M"


def step_url(record, name):
    content_type = ContentType.objects.get_for_model(record)
    return reverse("workflow:transition", args=[content_type.pk, record.pk, name])


def local(moment):
    return timezone.localtime(moment).strftime(FMT)


def test_the_path_by_requests(
    client_for, cast, tree, people, time_machine, django_capture_on_commit_callbacks
):
    wang, li, zhao, worker = (client_for(p) for p in (people.wang, people.li, people.zhao, cast.worker))
    # 1. a resident submits, two others support: the threshold (2) puts it before the worker
    answer = wang.post("/selfgov/opinions/new/", {"category": "parking", "text": "消防通道被占"})
    opinion = Opinion.objects.get()
    assert answer.status_code == 302 and answer.url == opinion.get_absolute_url()
    assert "附议 0 / 门槛 2" in li.get(answer.url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        li.post(f"/selfgov/opinions/{opinion.pk}/support/")
        zhao.post(f"/selfgov/opinions/{opinion.pk}/support/")
    page = worker.get(opinion.get_absolute_url()).content.decode()
    assert "已达到附议门槛" in page and "100%" in page
    # the worker opens a matter and groups the opinion into it
    answer = worker.post(
        "/selfgov/matters/new/",
        {"area": tree.courtyard_a.pk, "title": "停车整治", "category": "parking", "collection_days": 3},
    )
    matter = Matter.objects.get()
    assert answer.status_code == 302
    worker.post(f"/selfgov/opinions/{opinion.pk}/group/", {"matter": matter.pk})
    opinion.refresh_from_db()
    assert opinion.state == OpinionState.GROUPED and opinion.matter == matter
    # 2. the hearing: too early is refused at its field; then announced with guests; a resident comments
    soon = timezone.now() + timedelta(days=2)
    answer = worker.post(
        f"/selfgov/matters/{matter.pk}/hearing/",
        {"starts_at": local(soon), "ends_at": local(soon + timedelta(hours=1))},
    )
    assert answer.status_code == 400 and "须至少提前 7 天公告" in answer.content.decode()
    later = timezone.now() + timedelta(days=8)
    answer = worker.post(
        f"/selfgov/matters/{matter.pk}/hearing/",
        {
            "starts_at": local(later),
            "ends_at": local(later + timedelta(hours=2)),
            "place": "会议室",
            "guests": "物业服务中心，物业服务企业\n张三，居民代表",
        },
    )
    assert answer.status_code == 302
    matter.refresh_from_db()
    assert matter.state == MatterState.HEARING and matter.hearing.guests.count() == 2
    assert li.post(f"/selfgov/matters/{matter.pk}/comment/", {"text": "建议划临时车位"}).status_code == 302
    page = li.get(matter.get_absolute_url()).content.decode()
    assert "建议划临时车位" in page and "物业服务中心（物业服务企业）" in page
    # 3. the decision: the hearing held, the worker calls the vote; residents vote; the result on the matter
    time_machine.move_to(later + timedelta(minutes=10))
    mark_held(actor=cast.worker, gathering=matter.hearing)
    wang, li, zhao, worker = (client_for(p) for p in (people.wang, people.li, people.zhao, cast.worker))
    now = timezone.now()
    answer = worker.post(
        f"/selfgov/matters/{matter.pk}/decision/",
        {
            "electorate": "residents",
            "opens_at": local(now - timedelta(minutes=1)),
            "closes_at": local(now + timedelta(days=2)),
            "quorum_percent": 50,
            "majority": "two_thirds",
            "secret": "on",
        },
    )
    assert answer.status_code == 302, answer.content.decode()
    matter.refresh_from_db()
    assert matter.state == MatterState.DECISION
    assert "表决：停车整治" in li.get("/selfgov/").content.decode()  # what awaits me
    yes = matter.vote.options.get(position=0).pk
    for client in (wang, li, zhao):
        assert client.post(f"/voting/{matter.vote_id}/cast/", {"options": [yes]}).status_code == 200
    votes.close_vote(actor=cast.worker, vote=matter.vote)
    page = li.get(matter.get_absolute_url()).content.decode()
    assert "投票 3 人 / 应投 4 人" in page
    answer = worker.post(step_url(matter, "adopt"), {})
    matter.refresh_from_db()
    assert matter.state == MatterState.EXECUTION, answer


def test_an_unverified_resident_is_told_why(client_for, people):
    answer = client_for(people.unverified).post(
        "/selfgov/opinions/new/", {"category": "parking", "text": "x"}
    )
    assert answer.status_code == 200 and "尚未通过社区的实名核验" in answer.content.decode()
    assert not Opinion.objects.exists()


def test_a_worker_rejects_with_a_reason_the_submitter_sees(client_for, cast, people, opinion):
    worker = client_for(cast.worker)
    url = step_url(opinion, "reject")
    assert worker.post(url, {"comment": "属物业维修范围"}).status_code == 302
    assert "属物业维修范围" in client_for(people.wang).get(opinion.get_absolute_url()).content.decode()


def test_another_community_answers_404(client_for, cast, people, matter, opinion):
    for user in (people.outsider, cast.street_b):
        client = client_for(user)
        assert client.get(matter.get_absolute_url()).status_code == 404
        assert client.get(opinion.get_absolute_url()).status_code == 404
        assert client.post(f"/selfgov/opinions/{opinion.pk}/support/").status_code == 404


def test_the_api_follows_the_same_rules(api_for, cast, people, matter):
    api = api_for(people.li)
    fresh = opinions.submit_opinion(author=people.wang, category="safety", text="井盖松动")
    assert api.post(f"/api/opinions/{fresh.pk}/support/").status_code == 200
    again = api.post(f"/api/opinions/{fresh.pk}/support/")
    assert again.status_code == 400 and "已附议过" in again.content.decode()
    assert api_for(people.outsider).get(f"/api/matters/{matter.pk}/").status_code == 404
    assert [m["id"] for m in api.get("/api/matters/").json()["results"]] == [matter.pk]
    refused = api_for(people.unverified).post(
        "/api/opinions/", {"category": "parking", "text": "x"}, format="json"
    )
    assert refused.status_code == 403 and "实名核验" in refused.content.decode()


@pytest.mark.parametrize("extra", [0, 6])
def test_the_board_reads_a_bounded_number_of_queries(
    client_for, cast, tree, people, django_assert_max_num_queries, extra
):
    for n in range(extra):
        matters.create_matter(actor=cast.worker, area=tree.courtyard_a, title=f"事项{n}", category="parking")
    opinions.submit_opinion(author=people.wang, category="parking", text="x")
    client = client_for(cast.street_a)
    with django_assert_max_num_queries(12):
        assert client.get("/selfgov/board/").status_code == 200


def test_places_are_offered_with_their_path_below_the_community(client_for, cast, tree, people):
    """Every courtyard has its 1栋: the matter form offers each place by its path, not a column of 1栋."""
    from tests.factories import Level, make_area

    other = make_area("二号院落", Level.COURTYARD, tree.grid_a)
    make_area("1栋", Level.BUILDING, tree.courtyard_a)
    make_area("1栋", Level.BUILDING, other)
    page = client_for(cast.worker).get(reverse("selfgov:matter_create"))
    labels = [label for _pk, label in page.context["form"].fields["area"].choices][1:]
    assert labels[0] == "桥楼社区"
    assert "第一网格 › 一号院落 › 1栋" in labels and "第一网格 › 二号院落 › 1栋" in labels
    assert "1栋" not in labels


def test_the_matters_export_holds_the_boards_matters_and_none_of_another_street(
    client_for, cast, tree, people
):
    from tests.imports.helpers import read_xlsx

    matters.create_matter(actor=cast.worker, area=tree.courtyard_a, title="停车整治", category="parking")
    matters.create_matter(actor=cast.street_b, area=tree.community_b, title="东城路灯", category="parking")
    client = client_for(cast.street_a)
    page = client.get(reverse("selfgov:board")).content.decode()
    assert 'data-export="selfgov-matters"' in page
    response = client.post(reverse("imports:list_export", args=["selfgov-matters"]))
    assert response.status_code == 200
    rows = read_xlsx(b"".join(response.streaming_content))["民生事项"]
    assert rows[0][:5] == ["事项名称", "类别", "社区", "涉及范围", "步骤"]
    assert [(r[0], r[2], r[3]) for r in rows[1:]] == [("停车整治", "桥楼社区", "一号院落")]  # no 东城
    export = reverse("imports:list_export", args=["selfgov-matters"]) + f"?area={tree.street_b.pk}"
    assert client.post(export).status_code == 404
    # a resident sees the matters on 自治's home, not the board: no file either
    assert (
        client_for(people.wang).post(reverse("imports:list_export", args=["selfgov-matters"])).status_code
        == 403
    )
