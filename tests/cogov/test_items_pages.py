"""The service items through HTTP: the list, an item's page with the claim form, a claim's page with its
steps, delivery with an evidence file served through the claim's scoped view, the residents' rating page,
the API's every step; outsiders (another street's worker, another partner's representative) get 404 and
change nothing; the list pages' query counts."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from grassroots.cogov.models import Claim, ClaimState, Rating, ServiceItem
from grassroots.workflow import services as workflow
from tests.cogov.test_items import PDF, claim
from tests.homes import open_home


def test_list_and_item_pages_and_the_claim_form(it, client_for, cast, today, django_assert_max_num_queries):
    worker = client_for(cast.worker)
    page = worker.get("/cogov/items/")
    assert (
        page.status_code == 200
        and "老年人健康讲座" in page.content.decode()
        and "草稿需求" in page.content.decode()
    )
    rep = client_for(it.rep)
    listed = rep.get("/cogov/items/").content.decode()
    assert "老年人健康讲座" in listed and "草稿需求" not in listed
    assert rep.get(f"/cogov/items/{it.draft.pk}/").status_code == 404
    bad = rep.post(
        f"/cogov/items/{it.need.pk}/",
        {"action": "claim", "partner": it.tea.pk, "shares": 5, "planned_on": it.soon},
    )
    assert bad.status_code == 200 and "只剩 3 份" in bad.content.decode()
    done = rep.post(
        f"/cogov/items/{it.need.pk}/",
        {"action": "claim", "partner": it.tea.pk, "shares": 2, "planned_on": it.soon},
    )
    claim_ = Claim.objects.get(item=it.need)
    assert done.status_code == 302 and done["Location"] == f"/cogov/claims/{claim_.pk}/"
    for n in range(15):  # more rows must not mean more queries
        ServiceItem.objects.create(
            community=it.need.community,
            year=today.year,
            kind="need",
            title=f"需求{n}",
            category="goods",
            published=True,
        )
    with django_assert_max_num_queries(12):  # session, user, grants, partner ids, count, rows, nav…
        assert worker.get("/cogov/items/").status_code == 200
    with django_assert_max_num_queries(14):
        assert rep.get("/cogov/worklist/").status_code == 200


def test_outsiders_get_404_and_change_nothing(it, client_for, cast):
    c = claim(it, it.rep, it.tea)
    workflow.transition(c, "accept", actor=cast.worker)
    for outsider in (cast.street_b, it.rep_b, it.rep2):
        client = client_for(outsider)
        for url in (
            f"/cogov/claims/{c.pk}/",
            f"/cogov/claims/{c.pk}/deliver/",
            f"/cogov/claims/{c.pk}/evidence/",
        ):
            assert client.get(url).status_code == 404, (outsider, url)
    street_b = client_for(cast.street_b)
    assert street_b.get(f"/cogov/items/{it.need.pk}/").status_code == 404
    assert street_b.post(f"/cogov/items/{it.need.pk}/", {"action": "publish"}).status_code == 404
    assert street_b.get(f"/cogov/items/{it.need.pk}/edit/").status_code == 404
    rep_b = client_for(it.rep_b)
    assert rep_b.get(f"/cogov/items/{it.need.pk}/").status_code == 404
    # the API alike
    from tests.factories import api_token  # noqa: F401

    for outsider in (cast.street_b, it.rep_b):
        from rest_framework.test import APIClient

        api = APIClient()
        api.force_authenticate(outsider)
        assert api.get(f"/api/claims/{c.pk}/").status_code == 404
        assert api.post(f"/api/claims/{c.pk}/transitions/confirm/").status_code == 404
        assert (
            api.post(f"/api/service-items/{it.need.pk}/claim/", {"partner": it.other.pk}).status_code == 404
        )
    c.refresh_from_db()
    assert c.state == ClaimState.ACCEPTED


def test_deliver_confirm_and_rate_through_the_pages(it, client_for, cast):
    c = claim(it, it.rep, it.tea)
    worker = client_for(cast.worker)
    ct = __import__("django.contrib.contenttypes.models", fromlist=["ContentType"]).ContentType
    type_id = ct.objects.get_for_model(Claim).pk
    accepted = worker.post(f"/workflow/{type_id}/{c.pk}/accept/")
    assert accepted.status_code == 302
    rep = client_for(it.rep)
    missing = rep.post(f"/cogov/claims/{c.pk}/deliver/", {"delivered_on": "", "beneficiaries": ""})
    assert missing.status_code == 200
    assert set(missing.context["form"].errors) == {"delivered_on", "beneficiaries", "evidence"}
    assert Claim.objects.get(pk=c.pk).state == ClaimState.ACCEPTED
    delivered = rep.post(
        f"/cogov/claims/{c.pk}/deliver/",
        {
            "delivered_on": c.claimed_at.date().isoformat(),
            "beneficiaries": 40,
            "note": "讲座",
            "evidence": SimpleUploadedFile("照片.pdf", PDF, content_type="application/pdf"),
        },
    )
    assert delivered.status_code == 302
    evidence = worker.get(f"/cogov/claims/{c.pk}/evidence/")
    assert evidence.status_code == 200 and b"".join(evidence.streaming_content).startswith(b"%PDF")
    assert worker.post(f"/workflow/{type_id}/{c.pk}/confirm/").status_code == 302
    missing = worker.post(f"/cogov/claims/{c.pk}/", {"score": 5, "comment": "很好"})
    assert missing.status_code == 200 and "满意程度" in missing.content.decode()  # the verdict is asked
    rated = worker.post(f"/cogov/claims/{c.pk}/", {"score": 5, "verdict": "satisfied", "comment": "很好"})
    assert rated.status_code == 302
    resident = client_for(cast.resident)
    page = resident.get("/cogov/services/rate/")
    assert page.status_code == 200 and "老年人健康讲座" in page.content.decode()
    body = {"claim": c.pk, "score": 3, "verdict": "basic"}
    # without the verdict: refused at that field, the page again with what was entered
    missing = resident.post("/cogov/services/rate/", {**body, "verdict": "", "comment": "讲得很实用"})
    assert missing.status_code == 400
    assert missing.context["pairs"][0][1].errors == {"verdict": ["请选择满意、基本满意或不满意。"]}
    assert (
        "讲得很实用" in missing.content.decode() and not Rating.objects.filter(rater=cast.resident).exists()
    )
    assert resident.post("/cogov/services/rate/", body).status_code == 302
    again = resident.post("/cogov/services/rate/", {**body, "score": 1})  # from a stale tab: refused
    assert again.status_code == 400 and "您已评价过该服务。" in again.content.decode()
    assert sorted(Rating.objects.filter(claim=c).values_list("score", "verdict")) == [
        (3, "basic"),
        (5, "satisfied"),
    ]
    assert "基本满意，3 / 5" in resident.get("/cogov/services/rate/").content.decode()
    partner_page = worker.get(f"/cogov/partners/{it.tea.pk}/").content.decode()
    assert "老年人健康讲座" in partner_page


def test_the_api_offers_every_step(it, api_for, cast, today):
    worker, rep = api_for(cast.worker), api_for(it.rep)
    made = worker.post(
        "/api/service-items/",
        {
            "community": it.need.community_id,
            "year": today.year,
            "title": "垃圾分类宣传",
            "category": "volunteers",
            "shares": 2,
        },
        format="json",
    )
    assert made.status_code == 201, made.json()
    item = made.json()["id"]
    # the list's filters never hide the record an edit reads back (schemathesis sent ?open=true with a PATCH;
    # the draft is not open)
    edited = worker.patch(
        f"/api/service-items/{item}/?year=0&open=true", {"title": "垃圾分类宣传周"}, format="json"
    )
    assert edited.status_code == 200 and edited.json()["title"] == "垃圾分类宣传周"
    assert worker.post(f"/api/service-items/{item}/publish/").status_code == 200
    assert rep.get("/api/service-items/?open=1").json()["count"] == 2
    claimed = rep.post(
        f"/api/service-items/{item}/claim/",
        {"partner": it.tea.pk, "shares": 2, "planned_on": (today + timedelta(days=5)).isoformat()},
        format="json",
    )
    assert claimed.status_code == 201, claimed.json()
    pk = claimed.json()["id"]
    again = api_for(it.rep2).post(
        f"/api/service-items/{item}/claim/",
        {"partner": it.school.pk, "planned_on": (today + timedelta(days=5)).isoformat()},
        format="json",
    )
    assert again.status_code == 400 and "认领完" in str(again.json())
    assert worker.post(f"/api/claims/{pk}/transitions/accept/").status_code == 200
    delivered = rep.post(
        f"/api/claims/{pk}/transitions/deliver/",
        {
            "delivered_on": today.isoformat(),
            "beneficiaries": 12,
            "evidence": SimpleUploadedFile("sheet.pdf", PDF, content_type="application/pdf"),
        },
        format="multipart",
    )
    assert delivered.status_code == 200, delivered.json()
    assert delivered.json()["state"] == "delivered" and delivered.json()["evidence"]
    assert worker.get(f"/api/claims/{pk}/evidence/").status_code == 200
    assert worker.post(f"/api/claims/{pk}/transitions/confirm/").status_code == 200
    no_verdict = worker.post(f"/api/claims/{pk}/rate/", {"score": 4}, format="json")
    assert no_verdict.status_code == 400 and "verdict" in str(no_verdict.json())
    rating = {"score": 4, "verdict": "basic"}
    rated = worker.post(f"/api/claims/{pk}/rate/", rating, format="json")
    assert rated.status_code == 201 and rated.json()["ratings"][0]["verdict"] == "basic"
    assert worker.post(f"/api/claims/{pk}/rate/", rating, format="json").status_code == 400
    committed = rep.post(
        "/api/service-items/commit/",
        {
            "partner": it.tea.pk,
            "community": it.need.community_id,
            "year": today.year,
            "title": "会议室",
            "category": "venue",
            "planned_on": (today + timedelta(days=9)).isoformat(),
        },
        format="json",
    )
    assert committed.status_code == 201, committed.json()
    declined = worker.post(
        f"/api/claims/{committed.json()['id']}/transitions/decline/", {"comment": "已有场地"}, format="json"
    )
    assert declined.status_code == 200 and declined.json()["decline_reason"] == "已有场地"


@pytest.mark.parametrize("who", ["worker", "rep"])
def test_home_blocks(it, client_for, cast, who):
    claim(it, it.rep, it.tea)
    user = cast.worker if who == "worker" else it.rep2
    page = open_home(client_for(user)).content.decode()
    if who == "worker":
        assert 'data-block="cogov_items"' in page and "待接收" in page
    else:
        assert 'data-block="cogov_needs"' in page and "老年人健康讲座" in page


def test_the_board_lists_the_needs_claims_and_deliveries_in_a_fixed_number_of_queries(
    it, client_for, cast, tree, today, django_assert_max_num_queries
):
    from tests.cogov.test_items import _confirmed

    secretary = client_for(cast.secretary)
    secretary.get("/cogov/board/")  # warm the session and caches
    with django_assert_max_num_queries(26) as empty:
        assert secretary.get("/cogov/board/").status_code == 200
    late = claim(it, it.rep, it.tea)
    workflow.transition(late, "accept", actor=cast.worker)
    Claim.objects.filter(pk=late.pk).update(planned_on=today - timedelta(days=2))
    _confirmed(it, cast, rep=it.rep2, partner=it.school)
    for n in range(12):
        ServiceItem.objects.create(
            community=tree.community_a, year=today.year, kind="need", title=f"需求{n}", category="goods"
        )
    with django_assert_max_num_queries(len(empty)):  # rows do not add queries
        board = secretary.get("/cogov/board/").content.decode()
    assert "老年人健康讲座" in board and "需求0" in board  # the needs, drafts too for those who keep them
    assert "雅安茶业有限公司 · 老年人健康讲座" in board and "逾期未交付" in board  # in progress, late marked
    assert "桥楼小学 · 老年人健康讲座" in board  # confirmed: the latest deliveries
    # another street's official: their board never shows community A's items, and they cannot open A's
    other = client_for(cast.street_b)
    assert "老年人健康讲座" not in other.get("/cogov/board/").content.decode()
    assert other.get(f"/cogov/board/?area={tree.community_a.pk}").status_code in (403, 404)
    assert client_for(it.rep).get("/cogov/board/").status_code == 403  # representatives: not a board keeper


def test_an_items_claims_export_from_its_page_and_not_for_another_street(it, client_for, cast):
    from django.urls import reverse

    from tests.imports.helpers import read_xlsx

    claim(it, it.rep, it.tea, shares=2)
    claim(it, it.rep2, it.school)
    client = client_for(cast.worker)
    page = client.get(f"/cogov/items/{it.need.pk}/").content.decode()
    assert 'data-export="cogov-claims"' in page and f"?item={it.need.pk}" in page
    export = reverse("imports:list_export", args=["cogov-claims"]) + f"?item={it.need.pk}"
    response = client.post(export)
    assert response.status_code == 200
    rows = read_xlsx(b"".join(response.streaming_content))["认领情况"]
    assert rows[0][:4] == ["事项名称", "社区", "共建单位", "认领份数"]
    assert [(r[0], r[2], r[3]) for r in rows[1:]] == [
        ("老年人健康讲座", it.tea.name, 2),
        ("老年人健康讲座", it.school.name, 1),
    ]
    # another street's official may not see the item: nor its claims
    assert client_for(cast.street_b).post(export).status_code == 404
    assert client.post(reverse("imports:list_export", args=["cogov-claims"])).status_code == 404  # no item


def test_the_boards_claims_export_street_as_and_not_another_streets(it, client_for, cast, tree, today):
    from django.urls import reverse

    from tests.cogov.test_items import _confirmed
    from tests.imports.helpers import read_xlsx

    late = claim(it, it.rep, it.tea)
    workflow.transition(late, "accept", actor=cast.worker)
    Claim.objects.filter(pk=late.pk).update(planned_on=today - timedelta(days=2))
    _confirmed(it, cast, rep=it.rep2, partner=it.school)
    client = client_for(cast.street_a)
    assert 'data-export="cogov-board-claims"' in client.get("/cogov/board/").content.decode()
    export = reverse("imports:list_export", args=["cogov-board-claims"])
    rows = read_xlsx(b"".join(client.post(export + f"?year={today.year}").streaming_content))[
        "认领与服务落实"
    ]
    assert rows[0][:3] == ["事项名称", "社区", "共建单位"]
    lines = {(r[0], r[2]): (r[5], r[6]) for r in rows[1:]}
    assert lines[("老年人健康讲座", it.tea.name)] == ("已接收", "是")  # late, as the board marks it
    assert lines[("老年人健康讲座", it.school.name)] == ("已确认完成", "否")
    theirs = client_for(cast.street_b).post(export + f"?year={today.year}")
    assert read_xlsx(b"".join(theirs.streaming_content))["认领与服务落实"][1:] == []  # none of street A's
    assert client.post(export + f"?area={tree.street_b.pk}").status_code == 404
    assert client_for(it.rep).post(export).status_code == 403  # a representative keeps no board
