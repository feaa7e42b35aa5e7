"""The opinions list by channel (issue 14): `?channel=` on the page 居民意见, its export and /api/opinions/
(one FilterSet, `selfgov.filters.OpinionFilter`); an unknown channel is a field error on the page and a 400
on the API; the scope is the list's, the filter only narrows it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from grassroots.selfgov.models import Channel, Opinion
from grassroots.selfgov.services import opinions

URL = "/selfgov/opinions/"


@pytest.fixture
def by_channel(cast, tree, people):
    """In 桥楼社区 one opinion of each channel; in 东城街道's community a quick report (out of scope)."""
    online = opinions.submit_opinion(author=people.wang, category="parking", text="线上提交的停车意见")
    rounds = opinions.record_opinion(
        actor=people.grid, resident=people.li, category="safety", text="走访听到的井盖"
    )
    quick = Opinion.objects.create(
        community=tree.community_a,
        area=tree.courtyard_a,
        author=people.zhao,
        category="environment",
        text="随手拍的垃圾堆",
        channel=Channel.QUICK_REPORT,
    )
    Opinion.objects.create(
        community=tree.community_b,
        area=tree.community_b,
        author=people.outsider,
        category="environment",
        text="东城的随手拍",
        channel=Channel.QUICK_REPORT,
    )
    return {"online": online, "rounds": rounds, "quick": quick}


def test_the_page_filters_by_channel_and_shows_it(client_for, cast, by_channel):
    client = client_for(cast.worker)
    page = client.get(URL, {"state": "", "channel": Channel.QUICK_REPORT})
    assert page.status_code == 200
    assert [o.pk for o in page.context["page_obj"]] == [by_channel["quick"].pk]  # not 东城's
    html = page.content.decode()
    assert "随手拍的垃圾堆" in html and "东城的随手拍" not in html
    assert 'name="channel"' in html and "全部来源" in html
    rounds = client.get(URL, {"state": "", "channel": Channel.ROUNDS})
    assert [o.pk for o in rounds.context["page_obj"]] == [by_channel["rounds"].pk]
    assert "网格员走访记录" in rounds.content.decode()  # the channel shown on its row
    everything = client.get(URL, {"state": ""})
    assert {o.pk for o in everything.context["page_obj"]} == {o.pk for o in by_channel.values()}


def test_an_unknown_channel_is_a_field_error_on_the_page(client_for, cast, by_channel):
    page = client_for(cast.worker).get(URL, {"state": "", "channel": "fax"})
    assert page.status_code == 200
    assert page.context["form"].errors["channel"]
    assert "fax" in page.content.decode() and "is-invalid" in page.content.decode()


def test_the_api_filters_by_channel(api_for, cast, people, by_channel):
    api = api_for(cast.street_a)
    answer = api.get("/api/opinions/", {"channel": Channel.ROUNDS})
    assert answer.status_code == 200
    assert [(o["id"], o["channel"]) for o in answer.json()["results"]] == [
        (by_channel["rounds"].pk, Channel.ROUNDS)
    ]
    quick = api.get("/api/opinions/", {"channel": Channel.QUICK_REPORT}).json()["results"]
    assert [o["id"] for o in quick] == [by_channel["quick"].pk]  # 东城's not in the street's scope
    # a resident of the community: the residents' view of the list, narrowed the same way
    mine = api_for(people.sun).get("/api/opinions/", {"channel": Channel.ONLINE}).json()["results"]
    assert [o["id"] for o in mine] == [by_channel["online"].pk]
    assert api_for(people.outsider).get("/api/opinions/", {"channel": Channel.ONLINE}).json()["results"] == []


def test_an_unknown_channel_is_a_400_on_the_api(api_for, cast, by_channel):
    answer = api_for(cast.worker).get("/api/opinions/", {"channel": "fax"})
    assert answer.status_code == 400 and "channel" in answer.json()["errors"]


def test_the_export_keeps_the_channel_filter_and_column(client_for, cast, by_channel):
    from tests.imports.helpers import read_xlsx

    export = reverse("imports:list_export", args=["selfgov-opinions"])
    response = client_for(cast.worker).post(f"{export}?state=&channel={Channel.ROUNDS}")
    assert response.status_code == 200
    rows = read_xlsx(b"".join(response.streaming_content))["居民意见"]
    assert rows[0][:4] == ["状态", "类别", "来源", "意见内容"]
    assert [(r[2], r[3]) for r in rows[1:]] == [("网格员走访记录", "走访听到的井盖")]
