"""The funds ledger, continued: 批量下达 (one affair's funds of a year to many communities by one document,
all or nothing, a refused community named) through the service, the page and the API; the ledger's xlsx
export (the page's rows and filters, audited, formula-like text kept as text, scoped); the query counts of
the overview pages."""

import re
from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from grassroots.areas.models import Level
from grassroots.audit.models import AuditEvent
from grassroots.core.admission.models import AdmittedAffair, FundsState, FundsTransfer
from grassroots.core.admission.services import allot_funds_to_many, record_carried
from grassroots.imports.models import ExportJob
from grassroots.imports.runner import run_export_job
from tests.admission.conftest import allot
from tests.factories import make_area
from tests.homes import open_home
from tests.imports.conftest import uploads_in_tmp  # noqa: F401

TWICE = "该社区本年度该事项的经费已下达，请勿重复登记。"


def bulk(county, affair, communities, year, **changes):
    return allot_funds_to_many(
        actor=county,
        affair=affair,
        communities=communities,
        year=year,
        allotted_on=changes.pop("allotted_on", date(year, 1, 10)),
        allot_document=changes.pop("allot_document", f"雨财预〔{year}〕9号"),
        **changes,
    )


def test_bulk_allot_is_all_or_nothing(cast, tree, county, affairs, today):
    year = today.year
    qingyi = make_area("青衣社区", Level.COMMUNITY, tree.street_a)
    entries = bulk(county, affairs["city"], [tree.community_a, qingyi, tree.community_b], year)
    assert sorted(e.area.name for e in entries) == ["桥楼社区", "育才社区", "青衣社区"]
    assert {e.amount for e in entries} == {Decimal("10000.00")}
    assert {e.state for e in entries} == {FundsState.ALLOTTED}
    # One community already allotted, another outside the affair's areas: both named, nothing written.
    baseline = FundsTransfer.objects.count()
    with pytest.raises(ValidationError) as refused:
        bulk(county, affairs["street_a"], [qingyi, tree.community_b], year)  # 育才 is 东城's
    assert refused.value.message_dict["communities"] == ["育才社区：该社区不在“青江事项”的适用范围内。"]
    allot(county, affairs["county"], qingyi, year)
    with pytest.raises(ValidationError) as twice:
        bulk(county, affairs["county"], [tree.community_a, qingyi, tree.community_b], year)
    assert twice.value.message_dict["communities"] == [f"青衣社区：{TWICE}"]
    assert FundsTransfer.objects.count() == baseline + 1  # only the single allotment above
    # Terms wrong for every row: said once, at their field.
    with pytest.raises(ValidationError) as terms:
        bulk(county, affairs["county"], [tree.community_a, tree.community_b], year, allot_document=" ")
    assert terms.value.message_dict == {"allot_document": ["请填写下达文号。"]}
    with pytest.raises(ValidationError) as none:
        bulk(county, affairs["county"], [], year)
    assert list(none.value.message_dict) == ["communities"]
    # A street official may not allot (admission.manage: county and city): every row refused.
    with pytest.raises(ValidationError) as street:
        bulk(cast.street_a, affairs["county"], [tree.community_a], year)
    assert street.value.message_dict["communities"] == ["桥楼社区：您无权为该社区下达随事经费。"]
    assert FundsTransfer.objects.count() == baseline + 1


def test_bulk_allot_page(cast, tree, county, affairs, today, client_for):
    year = today.year
    client = client_for(county)
    page = client.get(reverse("admission:funds_bulk"))
    assert page.status_code == 200
    assert {c.name for c in page.context["form"].fields["communities"].queryset} >= {"桥楼社区", "育才社区"}
    allot(county, affairs["city"], tree.community_b, year)
    body = {
        "affair": affairs["city"].pk,
        "year": year,
        "communities": [tree.community_a.pk, tree.community_b.pk],
        "allotted_on": f"{year}-01-10",
        "allot_document": "雨财预〔2026〕9号",
    }
    refused = client.post(reverse("admission:funds_bulk"), body)
    assert refused.status_code == 200
    assert refused.context["form"].errors["communities"] == [f"育才社区：{TWICE}"]
    assert not FundsTransfer.objects.filter(area=tree.community_a).exists()
    done = client.post(reverse("admission:funds_bulk"), {**body, "communities": [tree.community_a.pk]})
    assert done.status_code == 302
    assert FundsTransfer.objects.get(area=tree.community_a).allot_document == "雨财预〔2026〕9号"
    assert client_for(cast.street_a).get(reverse("admission:funds_bulk")).status_code == 403
    assert client_for(cast.secretary).get(reverse("admission:funds_bulk")).status_code == 403


def test_bulk_allot_api(cast, tree, county, affairs, today, api_for):
    year = today.year
    api = api_for(county)
    url = "/api/funds-transfers/bulk/"
    body = {
        "affair": affairs["county"].pk,
        "year": year,
        "communities": [tree.community_a.pk, tree.community_b.pk],
        "allotted_on": f"{year}-01-10",
        "allot_document": "雨财预 9号",
    }
    allot(county, affairs["county"], tree.community_b, year)
    refused = api.post(url, body, format="json")
    assert refused.status_code == 400
    assert refused.json()["errors"] == {"communities": [f"育才社区：{TWICE}"]}
    assert FundsTransfer.objects.count() == 1
    created = api.post(url, {**body, "communities": [tree.community_a.pk], "amount": "1200"}, format="json")
    assert created.status_code == 201, created.json()
    assert [(r["community_name"], r["amount"], r["state"]) for r in created.json()] == [
        ("桥楼社区", "1200.00", "allotted")
    ]
    # The street official cannot allot: the community is named, nothing written; a secretary neither.
    other = api_for(cast.street_a).post(url, {**body, "year": year - 1}, format="json")
    assert other.status_code == 400 and FundsTransfer.objects.count() == 2
    assert api.post(url, {**body, "communities": []}, format="json").status_code == 400


def sheet(response):
    return load_workbook(BytesIO(b"".join(response.streaming_content))).active


def export(client, query=""):
    """The ledger page's 导出 Excel (imports.lists): a POST of the page's query string."""
    return client.post(reverse("imports:list_export", args=["admission-funds"]) + query)


def test_ledger_export(cast, tree, county, hand_counted, client_for):
    year = hand_counted.year
    entry = FundsTransfer.objects.filter(area=tree.community_a, year=year).first()
    FundsTransfer.objects.filter(pk=entry.pk).update(allot_document='=HYPERLINK("http://x")')
    page = client_for(county).get(reverse("admission:funds_list") + f"?area={tree.street_a.pk}")
    assert 'data-export="admission-funds"' in page.content.decode()
    assert "year=" in page.content.decode()  # the default year pinned in the button's URL
    response = export(client_for(county), f"?area={tree.street_a.pk}")
    assert response.status_code == 200
    ws = sheet(response)
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][:5] == ("年度", "社区", "准入事项", "拨付部门", "金额（元）")
    assert {r[1] for r in rows[1:]} == {"桥楼社区", "青衣社区"}  # this year, 青江's communities
    assert len(rows) - 1 == 4
    document = next(c for c in ws["H"] if c.value == '=HYPERLINK("http://x")')
    assert document.data_type == "s"  # text, not a formula
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.EXPORT)
    assert (event.user, event.count) == (county, 4) and event.what.startswith("随事经费台账（列表导出）")
    assert f"area={tree.street_a.pk}" in event.what
    received = export(client_for(county), "?state=received")
    got = list(sheet(received).iter_rows(values_only=True))
    assert {r[5] for r in got[1:]} == {"已到账"}
    every_year = list(sheet(export(client_for(county), "?year=all")).iter_rows(values_only=True))
    assert len(every_year) - 1 == FundsTransfer.objects.count()
    # Scope: another street's official exports only their own; naming 青江 answers 404.
    theirs = export(client_for(cast.street_b))
    got = list(sheet(theirs).iter_rows(values_only=True))
    assert {r[1] for r in got[1:]} == {"育才社区"}
    assert export(client_for(cast.street_b), f"?area={tree.street_a.pk}").status_code == 404


def test_a_large_ledger_export_runs_in_the_background(cast, tree, county, hand_counted, client_for, settings):
    settings.EXPORTS_SYNC_MAX_ROWS = 1
    client = client_for(county)
    response = export(client, f"?area={tree.street_a.pk}")
    job = ExportJob.objects.get(kind="admission-funds")
    assert response.status_code == 302 and response.url == reverse("imports:export_detail", args=[job.pk])
    job = run_export_job(job_id=job.pk)
    assert job.status == "done" and job.total_rows == 4
    download = client.get(reverse("imports:export_download", args=[job.pk]))
    assert {r[1] for r in list(sheet(download).iter_rows(values_only=True))[1:]} == {"桥楼社区", "青衣社区"}
    assert client_for(cast.street_b).get(reverse("imports:export_detail", args=[job.pk])).status_code == 404


def test_overview_pages_pinned(cast, tree, county, hand_counted, client_for, django_assert_max_num_queries):
    year = hand_counted.year
    client = client_for(county)
    overview = reverse("admission:funds_overview") + f"?area={tree.street_a.pk}&year={year}"
    community = reverse("admission:community_detail", args=[tree.community_a.pk]) + f"?year={year}"
    communities = reverse("admission:communities") + f"?area={tree.street_a.pk}&year={year}"
    counts = {}
    for url in (overview, community, communities):
        with django_assert_max_num_queries(14) as captured:
            assert client.get(url).status_code == 200
        counts[url] = len(captured)
    city = AdmittedAffair.objects.get(name="城市事项")
    for n in range(12):  # more communities, more carried affairs: the same number of queries
        more = make_area(f"新社区{n}", Level.COMMUNITY, tree.street_a)
        record_carried(affair=city, area_ids=[more.pk, tree.community_a.pk], year=year)
        allot(county, city, more, year)
    for url in (overview, community, communities):
        with django_assert_max_num_queries(counts[url]):
            assert client.get(url).status_code == 200


def test_the_figure_on_the_officials_home(cast, tree, county, hand_counted, client_for):
    """随事经费到位率 among the figures of the home's dashboard of those who read the ledger (3 of 7
    received), and per child area on the dashboard, the ones behind first: 青江 2 of 5, 东城 1 of 2."""
    client = client_for(county)
    home = open_home(client)
    (figures,) = [b.data for b in home.blocks if b.name == "figures"]
    tiles = {definition.name: line for definition, line, _parts in figures["tiles"]}
    assert tiles["admission.funds_received"].value == Decimal("42.9")
    assert 'data-figure="admission.funds_received"' in home.content.decode()
    page = client.get("/dashboard/", {"figure": "admission.funds_received"})
    assert [(line.area.name, line.value) for line in page.context["result"].children] == [
        ("青江街道", Decimal("40.0")),
        ("东城街道", Decimal("50.0")),
    ]
    assert "随事经费到位率" in page.content.decode()
    # A resident reads no ledger: no such figure on their home.
    assert "随事经费到位率" not in open_home(client_for(cast.resident)).content.decode()


def bulk_boxes(html: str) -> dict[str, list[str]]:
    """The bulk form's communities as {street group label: [community labels]}."""
    return {
        label: re.findall(r'name="communities" value="\d+"[^>]*><label[^>]*>([^<]+)</label>', body)
        for label, body in re.findall(r"<legend[^>]*>([^<]+)</legend>(.*?)</fieldset>", html, re.S)
    }


def test_bulk_page_groups_by_street_with_whole_street_and_search(
    cast, tree, county, affairs, today, client_for, django_assert_max_num_queries
):
    """Issue 12: the bulk form's communities grouped by street, 整个街道 ticks a whole street also without a
    script, and the search box filters (the page's ?q= without a script; the single form's search endpoint
    with ?for=bulk under htmx, the ticked communities kept). Query count pinned for more communities."""
    year = today.year
    qingyi = make_area("青衣社区", Level.COMMUNITY, tree.street_a)
    client = client_for(county)
    url = reverse("admission:funds_bulk")
    page = client.get(url)
    html = page.content.decode()
    assert bulk_boxes(html) == {
        "雨城区 › 青江街道": ["桥楼社区", "青衣社区"],
        "雨城区 › 东城街道": ["育才社区"],
    }
    assert f'name="streets" value="{tree.street_a.pk}"' in html and "整个青江街道" in html
    assert f'hx-get="{reverse("admission:funds_area_options")}"' in html
    # Without a script: ?q= narrows the list (a street's name brings its communities).
    assert bulk_boxes(client.get(url + "?q=育才").content.decode()) == {"雨城区 › 东城街道": ["育才社区"]}
    assert list(bulk_boxes(client.get(url + "?q=青江").content.decode())) == ["雨城区 › 青江街道"]
    # Under htmx: the same groups from the search endpoint, a ticked community of another street kept.
    options = reverse("admission:funds_area_options")
    found = client.get(options, {"for": "bulk", "q": "育才", "communities": [qingyi.pk]}).content.decode()
    assert bulk_boxes(found) == {"雨城区 › 青江街道": ["青衣社区"], "雨城区 › 东城街道": ["育才社区"]}
    assert f'value="{qingyi.pk}" id="bulk-community-{qingyi.pk}" checked' in found
    # The whole street (no community ticked by hand) plus one of another street: all three allotted.
    body = {
        "affair": affairs["city"].pk,
        "year": year,
        "streets": [tree.street_a.pk],
        "communities": [tree.community_b.pk],
        "allotted_on": f"{year}-01-10",
        "allot_document": "雨财预〔2026〕11号",
    }
    done = client.post(url, body)
    assert done.status_code == 302
    assert set(FundsTransfer.objects.values_list("area__name", flat=True)) == {
        "桥楼社区",
        "青衣社区",
        "育才社区",
    }
    # Another county's street is not a choice; a street's official cannot use the search.
    other = make_area("蒙阳街道", Level.STREET, make_area("名山区", Level.COUNTY, tree.city))
    refused = client.post(url, {**body, "year": year + 1, "streets": [other.pk], "communities": []})
    assert refused.status_code == 200 and "streets" in refused.context["form"].errors
    assert client_for(cast.street_a).get(options, {"for": "bulk"}).status_code == 403
    # Nothing ticked: said at the field.
    empty = client.post(url, {**body, "year": year + 1, "streets": [], "communities": []})
    assert list(empty.context["form"].errors) == ["communities"]
    # Query count: the same with 30 more communities in a new street.
    with django_assert_max_num_queries(40) as captured:
        assert client.get(url).status_code == 200
    street = make_area("新街道", Level.STREET, tree.county)
    for n in range(30):
        make_area(f"新社区{n}", Level.COMMUNITY, street)
    with django_assert_max_num_queries(len(captured)):
        assert len(bulk_boxes(client.get(url).content.decode())["雨城区 › 新街道"]) == 30
    with django_assert_max_num_queries(8):
        assert client.get(options, {"for": "bulk", "q": "新"}).status_code == 200


def test_bulk_api_takes_whole_streets(cast, tree, county, affairs, today, api_for):
    year = today.year
    body = {
        "affair": affairs["county"].pk,
        "year": year,
        "streets": [tree.street_b.pk],
        "allotted_on": f"{year}-01-10",
        "allot_document": "雨财预 12号",
    }
    created = api_for(county).post("/api/funds-transfers/bulk/", body, format="json")
    assert created.status_code == 201, created.json()
    assert [r["community_name"] for r in created.json()] == ["育才社区"]
    # A street official may not allot: the street is not theirs to tick (400, nothing written).
    refused = api_for(cast.street_a).post(
        "/api/funds-transfers/bulk/", {**body, "year": year - 1}, format="json"
    )
    assert refused.status_code == 400 and FundsTransfer.objects.count() == 1


def test_ledger_line_names_street_allotment(cast, county, client_for):
    html = client_for(county).get(reverse("admission:funds_list")).content.decode()
    assert "街道统筹" in html and "县（区）下达" in html
