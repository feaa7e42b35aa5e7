"""The one search box: zh-Hans words, Traditional characters, pinyin initials; scoped through the kinds'
own list selectors; kept up to date on write and delete; rebuilt by its command; no number in the index
or in a URL; query counts bounded. Runs on SQLite (FTS5) and PostgreSQL (GIN)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from grassroots.accounts.roles import Role
from grassroots.search.models import SearchEntry
from tests.factories import make_party_org, make_user
from tests.orglife.conftest import make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(cast, tree, django_capture_on_commit_callbacks):
    """Street A: a member 张三明 (ID and phone), a matter about parking, a dispute naming a phone number, a
    partner, an event. Street B: a member 张三丰 and a matter about parking too. Indexed on commit."""
    from grassroots.cogov import services as cogov
    from grassroots.gatherings import services as gatherings
    from grassroots.lawgov.services_disputes import file_dispute
    from grassroots.selfgov.services import matters

    with django_capture_on_commit_callbacks(execute=True):
        branch_a = make_party_org("桥楼社区第一支部", tree.community_a)
        branch_b = make_party_org("育才社区第一支部", tree.community_b)
        member = make_member("张三明", branch_a, phone="13912345678")
        other = make_member("张三丰", branch_b)
        matter = matters.create_matter(
            actor=cast.worker, area=tree.courtyard_a, title="一号院落停车整治", category="parking"
        )
        worker_b = make_user("worker_b", Role.COMMUNITY_WORKER, tree.community_b)
        matter_b = matters.create_matter(
            actor=worker_b, area=tree.community_b, title="育才社区停车位划线", category="parking"
        )
        dispute = file_dispute(
            actor=cast.worker,
            area=tree.courtyard_a,
            title="邻里漏水纠纷",
            category="neighbours",
            description="楼上漏水，联系电话13812345678",
            channel="station",
            parties=[{"role": "applicant", "name": "王五"}, {"role": "respondent", "name": "赵六"}],
        )
        partner = cogov.save_partner(
            actor=cast.secretary, name="桥楼小学", kind="school", area=tree.community_a
        )
        starts = timezone.now() + timedelta(days=3)
        event = gatherings.create_gathering(
            actor=cast.street_a,
            kind="meeting",
            title="院落议事会",
            area=tree.community_a,
            starts_at=starts,
            ends_at=starts + timedelta(hours=1),
        )
    return member, other, matter, matter_b, dispute, partner, event


def found(api, q, **params):
    response = api.get("/api/search/", {"q": q, **params})
    assert response.status_code == 200, response.content
    return {(row["kind"], row["id"]) for row in response.json()["results"]}


def test_a_segmented_word_finds_the_record(records, cast, api_for):
    _member, _other, matter, _matter_b, dispute, partner, event = records
    api = api_for(cast.street_a)
    assert ("matter", matter.pk) in found(api, "停车")
    assert ("dispute", dispute.pk) in found(api, "漏水")
    assert ("partner", partner.pk) in found(api, "小学")
    assert ("event", event.pk) in found(api, "议事会")
    assert found(api, "停车 整治") == {("matter", matter.pk)}


def test_traditional_characters_find_simplified_records(records, cast, api_for):
    matter, dispute = records[2], records[4]
    api = api_for(cast.street_a)
    assert ("matter", matter.pk) in found(api, "停車整治")
    assert ("dispute", dispute.pk) in found(api, "鄰里糾紛")


def test_pinyin_initials_and_part_of_a_name_find_a_member(records, cast, api_for):
    member = records[0]
    api = api_for(cast.street_a)
    assert found(api, "zsm") == {("member", member.pk)}
    assert ("member", member.pk) in found(api, "张三")
    assert ("member", member.pk) in found(api, "zhangsan")
    assert ("member", member.pk) in found(api, "張三明")
    row = api.get("/api/search/", {"q": "zsm"}).json()["results"][0]
    assert row["title_marked"] == "<mark>张三明</mark>" and row["url"] == f"/members/{member.pk}/"


def test_an_outsider_finds_nothing_of_another_street(records, cast, api_for):
    other, matter_b = records[1], records[3]
    api = api_for(cast.street_b)
    assert found(api, "张三") == {("member", other.pk)}
    assert found(api, "停车") == {("matter", matter_b.pk)}
    assert found(api, "漏水") == set()
    assert found(api, "桥楼小学") == set()


def test_a_resident_never_finds_members(records, cast, api_for):
    api = api_for(cast.resident)
    assert not {kind for kind, _pk in found(api, "zsm")} & {"member"}
    assert not {kind for kind, _pk in found(api, "张三明")} & {"member"}
    assert not {kind for kind, _pk in found(api, "漏水")} & {"dispute"}


def test_the_index_holds_no_number(records, cast, api_for):
    texts = " ".join(SearchEntry.objects.values_list("text", flat=True))
    summaries = " ".join(SearchEntry.objects.values_list("summary", flat=True))
    assert "13912345678" not in texts and "13812345678" not in texts + summaries
    assert records[0].id_number not in texts
    assert "123456" not in texts


def test_a_number_in_the_url_is_refused(records, cast, api_for, client_for):
    response = api_for(cast.street_a).get("/api/search/", {"q": "13912345678"})
    assert response.status_code == 400 and "q" in response.json()["errors"]
    page = client_for(cast.street_a).get("/search/", {"q": "13912345678"})
    html = page.content.decode()
    assert page.status_code == 200 and "号码不在搜索范围内" in html
    assert f"/members/{records[0].pk}/" not in html


def test_the_index_follows_writes_and_deletes(records, cast, api_for, django_capture_on_commit_callbacks):
    from grassroots.cogov import services as cogov

    member, partner = records[0], records[5]
    api = api_for(cast.street_a)
    with django_capture_on_commit_callbacks(execute=True):
        member.name = "李四海"
        member.save()
        cogov.save_partner(
            actor=cast.secretary, partner=partner, name="桥楼实验学校", kind="school", area=partner.area
        )
    assert found(api, "lsh") == {("member", member.pk)}
    assert found(api, "zsm") == set()
    assert ("partner", partner.pk) in found(api, "实验学校")
    with django_capture_on_commit_callbacks(execute=True):
        member.delete()
    assert found(api, "lsh") == set()
    assert not SearchEntry.objects.filter(kind="member", object_id=member.pk).exists()


def test_the_command_rebuilds_the_index(records, cast, api_for):
    SearchEntry.objects.all().delete()
    assert found(api_for(cast.street_a), "停车") == set()
    call_command("rebuild_search_index", verbosity=0)
    assert ("matter", records[2].pk) in found(api_for(cast.street_a), "停车")
    assert SearchEntry.objects.filter(kind="member").count() == 2


def test_the_page_groups_and_highlights(records, cast, client_for):
    client = client_for(cast.street_a)
    response = client.post("/search/", {"q": "停车"})
    assert response.status_code == 303 and "停车" not in response["Location"]
    page = client.get(response["Location"]).content.decode()
    assert "<mark>停车</mark>" in page and "议事事项" in page
    empty = client.get("/search/", {"q": "不存在的词语"}).content.decode()
    assert "没有找到" in empty


def test_query_counts_are_bounded(records, cast, api_for, django_assert_max_num_queries):
    api = api_for(cast.street_a)
    with django_assert_max_num_queries(12):
        response = api.get("/api/search/", {"q": "桥楼"})
    assert response.status_code == 200


def test_a_document_is_found_by_its_chapters_in_force_not_its_draft(
    tree, cast, api_for, django_capture_on_commit_callbacks
):
    from grassroots.documents.services import create_document, publish, save_draft, start_draft

    def body(title):
        return [{"number": "1", "title": title, "items": [{"number": "1.1", "text": "条文。", "link": ""}]}]

    keeper = make_user("keeper", Role.CITY_OFFICIAL, tree.city)
    with django_capture_on_commit_callbacks(execute=True):
        draft = create_document(actor=keeper, area=tree.city, kind="standard", title="社区党建工作标准")
        save_draft(actor=keeper, version=draft, body=body("阵地建设"))
        publish(actor=keeper, version=draft)
        second = start_draft(actor=keeper, document=draft.document, note="修订")
        save_draft(actor=keeper, version=second, body=body("考核督察"))
    api = api_for(cast.street_a)
    document = ("document", draft.document.pk)
    assert document in found(api, "阵地建设") and document in found(api, "党建标准")
    assert found(api, "考核督察") == set()  # the draft's chapter is not read by the readers
    with django_capture_on_commit_callbacks(execute=True):
        publish(actor=keeper, version=second)
    assert document in found(api, "考核督察")
