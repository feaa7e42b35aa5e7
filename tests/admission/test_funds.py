"""费随事转, the funds ledger: allotted (county) → transferred (county, date and document) → received (the
community), per affair, community and year; through the service, the pages and the API; scope (another
street's ledger answers 404); and the figure "affairs without funds received" on a hand-counted fixture,
per community, street and county."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from grassroots.areas.models import Level
from grassroots.core.admission.models import AdmittedAffair, FundsState, FundsTransfer
from grassroots.core.admission.selectors import community_totals, unfunded_by_child
from grassroots.core.admission.services import (
    confirm_funds_received,
    transfer_funds,
)
from grassroots.workflow.engine import TransitionRefused
from grassroots.workflow.models import Notification
from grassroots.workflow.selectors import pending_for, timeline
from tests.admission.conftest import allot, pay
from tests.factories import make_area


def test_allotted_transferred_received(
    cast, tree, county, affairs, today, django_capture_on_commit_callbacks
):
    year = today.year
    with django_capture_on_commit_callbacks(execute=True):
        entry = allot(county, affairs["city"], tree.community_a, year)
    assert (entry.state, entry.amount, entry.department) == (
        FundsState.ALLOTTED,
        Decimal("10000.00"),
        "城市事项主管部门",
    )
    assert (entry.allotted_by, entry.allot_document) == (county, f"雨财预〔{year}〕1号")
    assert set(Notification.objects.values_list("recipient__username", flat=True)) == {"secretary", "worker"}
    assert [p.title for p in pending_for(county)] == [f"随事经费：城市事项（桥楼社区，{year} 年度）"]
    # The community does not pay; nor does a street official.
    with pytest.raises(TransitionRefused) as refused:
        transfer_funds(entry, actor=cast.secretary, transferred_on=today, transfer_document="x")
    assert refused.value.code == "permission"
    with pytest.raises(ValidationError) as no_document:
        transfer_funds(entry, actor=county, transferred_on=today, transfer_document=" ")
    assert list(no_document.value.message_dict) == ["transfer_document"]
    with pytest.raises(ValidationError) as too_early:
        transfer_funds(entry, actor=county, transferred_on=date(year, 1, 1), transfer_document="x")
    assert list(too_early.value.message_dict) == ["transferred_on"]
    pay(county, entry)
    assert (entry.state, entry.transferred_by, entry.transfer_document) == (
        FundsState.TRANSFERRED,
        county,
        "国库支付 001",
    )
    # The county does not confirm receipt for the community.
    with pytest.raises(TransitionRefused):
        confirm_funds_received(entry, actor=county, received_on=today)
    with django_capture_on_commit_callbacks(execute=True):
        confirm_funds_received(entry, actor=cast.secretary, received_on=date(year, 2, 5))
    entry.refresh_from_db()
    assert (entry.state, entry.received_by, entry.received_on) == (
        FundsState.RECEIVED,
        cast.secretary,
        date(year, 2, 5),
    )
    assert Notification.objects.filter(recipient=county, verb__contains="已确认").exists()
    assert [e.label for e in timeline(entry)] == ["下达经费", "登记拨付", "确认到账"]
    assert [e.log.actor for e in timeline(entry)] == [county, county, cast.secretary]


def test_who_allots_what(cast, tree, county, affairs, today):
    year = today.year
    with pytest.raises(PermissionDenied):
        allot(cast.street_a, affairs["city"], tree.community_a, year)
    with pytest.raises(PermissionDenied):
        allot(cast.secretary, affairs["city"], tree.community_a, year)
    with pytest.raises(ValidationError) as outside:
        allot(county, affairs["street_a"], tree.community_b, year)  # 青江's affair, 东城's community
    assert list(outside.value.message_dict) == ["community"]
    with pytest.raises(ValidationError) as grid:  # a community, or a street that passes it on (街道统筹)
        allot(county, affairs["city"], tree.grid_a, year)
    assert list(grid.value.message_dict) == ["community"]
    with pytest.raises(ValidationError) as fields:
        allot(county, affairs["city"], tree.community_a, 2019, amount=Decimal("0"), allot_document="")
    assert set(fields.value.message_dict) == {"year", "amount", "allot_document"}
    allot(county, affairs["city"], tree.community_a, year, amount=Decimal("8000"), department="区财政局")
    with pytest.raises(ValidationError) as twice:
        allot(county, affairs["city"], tree.community_a, year)
    assert "请勿重复" in twice.value.message_dict["community"][0]
    assert FundsTransfer.objects.get().amount == Decimal("8000.00")


def test_the_figure_on_a_hand_counted_fixture(cast, tree, county, hand_counted, client_for):
    year = hand_counted.year
    county_lines = unfunded_by_child(cast.city, tree.county, year)
    assert [(c.name, f) for c, f in county_lines.lines()] == [
        ("青江街道", {"carried": 5, "unfunded": 3}),
        ("东城街道", {"carried": 2, "unfunded": 1}),
    ]
    assert county_lines.total == {"carried": 7, "unfunded": 4}
    street_lines = unfunded_by_child(cast.city, tree.street_a, year)
    assert [(c.name, f["unfunded"]) for c, f in street_lines.lines()] == [("桥楼社区", 2), ("青衣社区", 1)]
    # Scope: street_b's view of the county holds only its own street.
    assert unfunded_by_child(cast.street_b, tree.county, year).total == {"carried": 2, "unfunded": 1}
    assert community_totals(tree.community_a, year) == {
        "affairs": 3,
        "funds": Decimal("18000.00"),
        "received": Decimal("10000.00"),
        "unfunded": 2,
    }
    # The page for officials above: ranked, most without funds first.
    page = client_for(county).get(reverse("admission:funds_overview") + f"?area={tree.county.pk}&year={year}")
    assert [(c.name, f["unfunded"]) for c, f in page.context["lines"]] == [("青江街道", 3), ("东城街道", 1)]
    assert '<strong id="unfunded-total">4</strong>' in page.content.decode()
    ranked = client_for(county).get(
        reverse("admission:funds_overview") + f"?area={tree.street_a.pk}&year={year}"
    )
    assert [c.name for c, _f in ranked.context["lines"]] == ["桥楼社区", "青衣社区"]
    assert (
        client_for(cast.street_b)
        .get(reverse("admission:funds_overview") + f"?area={tree.street_a.pk}")
        .status_code
        == 404
    )
    # The community's page: each carried affair against funds received this year.
    detail = client_for(cast.secretary).get(
        reverse("admission:community_detail", args=[tree.community_a.pk]) + f"?year={year}"
    )
    rows = {r.affair.name: r.funds_received for r in detail.context["rows"]}
    assert rows == {"城市事项": Decimal("10000.00"), "区县事项": None, "青江事项": None}
    assert '<strong id="unfunded">2</strong>' in detail.content.decode()
    assert "未下达" in detail.content.decode() and "未到账" in detail.content.decode()


def test_the_figure_in_the_registry(tree, hand_counted):
    from grassroots.core.assessments.figures import figures_for, provider_choices

    assert "admission.funds_received" in dict(provider_choices())
    figures = figures_for("admission.funds_received", [tree.street_a, tree.street_b], hand_counted.year)
    assert figures[tree.street_a.pk].normalized_rate == Decimal("0.4000")
    assert figures[tree.street_b.pk].detail == "承接事项 2 项次，经费未到位 1 项次"
    assert figures_for("admission.funds_received", [tree.county], hand_counted.year - 1) == {}


def test_ledger_pages_filters_and_scope(
    cast, tree, county, hand_counted, client_for, django_assert_max_num_queries
):
    year = hand_counted.year
    client = client_for(county)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("admission:funds_list"))
    assert len(page.context["page_obj"]) == 6  # this year by default
    few = len(page.context["page_obj"])
    states = lambda q: [e.state for e in client.get(reverse("admission:funds_list") + q).context["page_obj"]]  # noqa: E731
    assert states("?state=received").count("received") == 3 and len(states("?state=received")) == 3
    assert len(states(f"?year={year - 1}")) == 1
    assert len(states(f"?area={tree.street_b.pk}")) == 2
    assert len(states("?q=青江")) == 1
    for _ in range(15):  # more rows, same number of queries
        community = make_area(f"新社区{_}", Level.COMMUNITY, tree.street_a)
        allot(county, AdmittedAffair.objects.get(name="城市事项"), community, year)
    with django_assert_max_num_queries(12):
        assert len(client.get(reverse("admission:funds_list")).context["page_obj"]) > few
    # street_b reads 东城's ledger only; 青江's records answer 404 (page, steps, API)
    mine = client_for(cast.street_b).get(reverse("admission:funds_list"))
    assert {e.area.name for e in mine.context["page_obj"]} == {"育才社区"}
    theirs = FundsTransfer.objects.filter(area=tree.community_a, year=year).first()
    for name in ("funds_detail", "funds_transfer", "funds_receive"):
        assert (
            client_for(cast.street_b).get(reverse(f"admission:{name}", args=[theirs.pk])).status_code == 404
        )
    detail = client.get(reverse("admission:funds_detail", args=[theirs.pk]))
    assert detail.status_code == 200 and "办理记录" in detail.content.decode()


def test_steps_through_the_pages(cast, tree, county, affairs, today, client_for):
    year = today.year
    client = client_for(county)
    form = client.post(
        reverse("admission:funds_create"),
        {
            "affair": affairs["street_a"].pk,
            "community": tree.community_b.pk,
            "year": year,
            "allotted_on": today,
        },
    )
    errors = form.context["form"].errors
    assert form.status_code == 200 and "allot_document" in errors
    form = client.post(
        reverse("admission:funds_create"),
        {
            "affair": affairs["street_a"].pk,
            "community": tree.community_b.pk,
            "year": year,
            "allotted_on": today,
            "allot_document": "雨财预1号",
        },
    )
    assert form.context["form"].errors["community"] == ["该社区不在“青江事项”的适用范围内。"]
    response = client.post(
        reverse("admission:funds_create"),
        {
            "affair": affairs["street_a"].pk,
            "community": tree.community_a.pk,
            "year": year,
            "allotted_on": today,
            "allot_document": "雨财预1号",
        },
    )
    entry = FundsTransfer.objects.get()
    assert response.status_code == 302 and response["Location"] == entry.get_absolute_url()
    assert client_for(cast.street_a).get(reverse("admission:funds_create")).status_code == 403
    assert (
        client_for(cast.secretary).get(reverse("admission:funds_transfer", args=[entry.pk])).status_code
        == 403
    )
    # The generic step button (a comment only) does not pay without the date and the document.
    from django.contrib.contenttypes.models import ContentType

    bare = reverse(
        "workflow:transition",
        kwargs={
            "content_type_id": ContentType.objects.get_for_model(entry).pk,
            "object_id": entry.pk,
            "name": "transfer",
        },
    )
    refused = client.post(bare, {"comment": "已付"})
    entry.refresh_from_db()
    assert refused.status_code == 403 and entry.state == FundsState.ALLOTTED
    assert "请填写拨付日期和拨付凭证号。" in refused.content.decode()
    detail = client.get(entry.get_absolute_url()).content.decode()
    assert reverse("admission:funds_transfer", args=[entry.pk]) in detail  # the button opens the form
    bad = client.post(reverse("admission:funds_transfer", args=[entry.pk]), {"transferred_on": today})
    assert "transfer_document" in bad.context["form"].errors
    done = client.post(
        reverse("admission:funds_transfer", args=[entry.pk]),
        {"transferred_on": today, "transfer_document": "支付凭证 9"},
    )
    entry.refresh_from_db()
    assert done.status_code == 302 and entry.state == FundsState.TRANSFERRED
    assert client.get(reverse("admission:funds_receive", args=[entry.pk])).status_code == 403
    early = client_for(cast.secretary).post(
        reverse("admission:funds_receive", args=[entry.pk]), {"received_on": today - timedelta(days=1)}
    )
    assert early.context["form"].errors["received_on"] == ["到账日期不能早于拨付日期。"]
    client_for(cast.secretary).post(
        reverse("admission:funds_receive", args=[entry.pk]), {"received_on": today}
    )
    entry.refresh_from_db()
    assert entry.state == FundsState.RECEIVED and entry.received_by == cast.secretary


def test_steps_through_the_api(cast, tree, county, affairs, today, api_for):
    url = "/api/funds-transfers/"
    body = {
        "affair": affairs["city"].pk,
        "community": tree.community_a.pk,
        "year": today.year,
        "allotted_on": str(today),
        "allot_document": "雨财预2号",
    }
    assert api_for(cast.street_a).post(url, body, format="json").status_code in (400, 403)
    response = api_for(county).post(url, {**body, "allot_document": ""}, format="json")
    assert response.status_code == 400 and "allot_document" in response.json()["errors"]
    response = api_for(county).post(url, body, format="json")
    assert response.status_code == 201, response.content
    row = response.json()
    assert (row["state"], row["amount"], row["actions"]) == ("allotted", "10000.00", ["transfer"])
    pk = row["id"]
    step = f"{url}{pk}/transitions/"
    paid = {"transferred_on": str(today), "transfer_document": "凭证 7"}
    assert api_for(cast.secretary).post(step + "transfer/", paid, format="json").status_code == 403
    missing = api_for(county).post(step + "transfer/", {"transferred_on": str(today)}, format="json")
    assert missing.status_code == 400 and "transfer_document" in missing.json()["errors"]
    done = api_for(county).post(
        step + "transfer/", {"transferred_on": str(today), "transfer_document": "凭证 7"}, format="json"
    )
    assert done.status_code == 200 and done.json()["state"] == "transferred"
    assert (
        api_for(county).post(step + "receive/", {"received_on": str(today)}, format="json").status_code == 403
    )
    got = api_for(cast.secretary).post(step + "receive/", {"received_on": str(today)}, format="json")
    assert got.status_code == 200 and got.json()["state"] == "received"
    # Scope: 东城's official reads neither the row nor its steps; filters as on the page.
    assert api_for(cast.street_b).get(f"{url}{pk}/").status_code == 404
    assert api_for(cast.street_b).get(url).json()["count"] == 0
    assert api_for(county).get(url, {"state": "received", "year": today.year}).json()["count"] == 1
    assert api_for(county).get(url, {"area": tree.street_b.pk}).json()["count"] == 0


def test_the_funds_overview_exports_the_pages_lines_of_street_a(cast, tree, hand_counted, client_for):
    from tests.imports.helpers import read_xlsx

    year = hand_counted.year
    client = client_for(cast.street_a)
    page = client.get(reverse("admission:funds_overview") + f"?year={year}").content.decode()
    assert 'data-export="admission-funds-overview"' in page
    export = reverse("imports:list_export", args=["admission-funds-overview"])
    rows = read_xlsx(b"".join(client.post(export + f"?year={year}").streaming_content))["经费到位情况"]
    assert rows[0] == ["区域", "承接事项（项次）", "经费未到位"]
    assert [(r[0], r[1], r[2]) for r in rows[1:]] == [("桥楼社区", 3, 2), ("青衣社区", 2, 1)]  # as ranked
    assert client.post(export + f"?area={tree.street_b.pk}&year={year}").status_code == 404
