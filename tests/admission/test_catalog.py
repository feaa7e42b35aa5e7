"""The catalog a user reads (affairs at and above their scope and inside it), keeping it, and what each
community carries with the funds that came with it."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from grassroots.areas.models import Level
from grassroots.core.admission.models import AdmittedAffair
from grassroots.core.admission.selectors import carried_by, carried_totals, communities_overview
from grassroots.core.admission.services import add_affair, end_affair
from grassroots.core.duties.services import issue_task


def affair(area, name, funds="10000", **fields):
    return AdmittedAffair.objects.create(
        area=area,
        name=name,
        legal_basis="依据",
        department="部门",
        funds_per_community=Decimal(funds),
        valid_from=fields.pop("valid_from", date(2020, 1, 1)),
        **fields,
    )


@pytest.fixture
def catalog(tree):
    return {
        "city": affair(tree.city, "城市事项"),
        "county": affair(tree.county, "区县事项"),
        "street_a": affair(tree.street_a, "青江事项"),
        "street_b": affair(tree.street_b, "东城事项"),
        "expired": affair(tree.city, "过期事项", valid_to=date(2021, 12, 31)),
    }


def names(qs) -> set[str]:
    return {a.name for a in qs}


def test_who_reads_which_affairs(cast, catalog):
    everything = {"城市事项", "区县事项", "青江事项", "东城事项", "过期事项"}
    assert names(AdmittedAffair.visible_to(cast.city)) == everything
    assert names(AdmittedAffair.visible_to(cast.street_a)) == {"城市事项", "区县事项", "青江事项", "过期事项"}
    assert names(AdmittedAffair.visible_to(cast.secretary)) == {
        "城市事项",
        "区县事项",
        "青江事项",
        "过期事项",
    }
    assert names(AdmittedAffair.visible_to(cast.street_b)) == {"城市事项", "区县事项", "东城事项", "过期事项"}
    assert names(AdmittedAffair.visible_to(cast.resident)) == set()


def test_catalog_pages(cast, catalog, client_for):
    client = client_for(cast.street_b)
    page = client.get(reverse("admission:catalog"))
    assert names(page.context["page_obj"]) == {"城市事项", "区县事项", "东城事项"}  # in force today
    page = client.get(reverse("admission:catalog") + "?valid=expired")
    assert names(page.context["page_obj"]) == {"过期事项"}
    assert client.get(reverse("admission:affair_detail", args=[catalog["street_a"].pk])).status_code == 404
    assert client.get(reverse("admission:affair_detail", args=[catalog["street_b"].pk])).status_code == 200
    assert client_for(cast.resident).get(reverse("admission:catalog")).status_code == 403
    assert (
        client_for(cast.resident)
        .get(reverse("admission:affair_detail", args=[catalog["city"].pk]))
        .status_code
        == 404
    )


def test_catalog_query_count(cast, tree, catalog, client_for):
    client = client_for(cast.city)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("admission:catalog") + "?valid=all")
    for i in range(20):
        affair(tree.county, f"事项{i}")
    with CaptureQueriesContext(connection) as many:
        assert len(client.get(reverse("admission:catalog") + "?valid=all").context["page_obj"]) == 20
    assert len(many) == len(few)


def test_keeping_the_catalog(cast, tree, catalog, today):
    new = add_affair(
        actor=cast.city,
        area=tree.county,
        name="城乡低保入户调查",
        legal_basis="《社会救助暂行办法》",
        department="民政局",
        powers="入户调查",
        funds_per_community=Decimal("6000"),
        valid_from=today,
    )
    assert new.created_by == cast.city
    with pytest.raises(PermissionDenied):
        add_affair(
            actor=cast.street_a,
            area=tree.street_a,
            name="x",
            legal_basis="y",
            department="z",
            powers="",
            funds_per_community=Decimal("0"),
            valid_from=today,
        )
    with pytest.raises(ValidationError):
        add_affair(
            actor=cast.city,
            area=tree.community_a,
            name="x",
            legal_basis="y",
            department="z",
            powers="",
            funds_per_community=Decimal("0"),
            valid_from=today,
        )
    end_affair(actor=cast.city, affair=new, valid_to=today + timedelta(days=5))
    assert new.valid_to == today + timedelta(days=5)
    with pytest.raises(ValidationError):
        end_affair(actor=cast.city, affair=new, valid_to=today - timedelta(days=5))


def test_affair_pages_for_keepers(cast, tree, catalog, client_for):
    from tests.factories import make_user

    county = make_user("county", "county_official", tree.county)
    client = client_for(county)
    terms = {
        "area": tree.county.pk,
        "name": "退役军人信息采集",
        "department": "退役军人事务局",
        "legal_basis": "《退役军人保障法》",
        "powers": "",
        "funds_per_community": "2000",
        "valid_from": "2025-01-01",
    }
    # 权随责走 at the field, in Chinese; nothing written
    response = client.post(reverse("admission:affair_create"), terms)
    assert response.status_code == 200 and not AdmittedAffair.objects.filter(name="退役军人信息采集").exists()
    assert response.context["form"].errors["powers"][0].startswith("权随责走")
    response = client.post(reverse("admission:affair_create"), {**terms, "powers": "信息采集、走访慰问"})
    created = AdmittedAffair.objects.get(name="退役军人信息采集")
    assert response.status_code == 302 and created.area == tree.county
    response = client.post(reverse("admission:affair_end", args=[created.pk]), {"valid_to": "2025-12-31"})
    created.refresh_from_db()
    assert response.status_code == 302 and created.valid_to == date(2025, 12, 31)
    assert client_for(cast.street_a).get(reverse("admission:affair_create")).status_code == 403
    assert (
        client_for(cast.street_a)
        .post(reverse("admission:affair_end", args=[catalog["city"].pk]), {"valid_to": "2030-01-01"})
        .status_code
        == 403
    )


def test_what_communities_carry_and_their_funds(cast, tree, catalog, client_for):
    deadline = timezone.localdate() + timedelta(days=10)
    year = deadline.year
    for name in ("城市事项", "区县事项"):
        issue_task(
            actor=cast.city,
            area=tree.city,
            title=name + "任务",
            deadline=deadline,
            target_level=Level.COMMUNITY,
            affair=catalog["city" if name == "城市事项" else "county"],
        )
    issue_task(
        actor=cast.street_a,
        area=tree.street_a,
        title="青江任务一",
        deadline=deadline,
        target_level=Level.COMMUNITY,
        affair=catalog["street_a"],
    )
    issue_task(
        actor=cast.street_a,
        area=tree.street_a,
        title="青江任务二",
        deadline=deadline,
        target_level=Level.COMMUNITY,
        affair=catalog["street_a"],
    )
    rows = list(carried_by(tree.community_a, year))
    assert [(r.affair.name, r.task_count, r.funds) for r in rows] == [
        ("区县事项", 1, Decimal("10000.00")),
        ("城市事项", 1, Decimal("10000.00")),
        ("青江事项", 2, Decimal("10000.00")),
    ]
    assert [
        (c.name, c.affair_count, c.funds) for c in communities_overview(cast.city, tree.county, year)
    ] == [
        ("桥楼社区", 3, Decimal("30000.00")),
        ("育才社区", 2, Decimal("20000.00")),
    ]
    assert carried_totals(cast.street_b, tree.city, year) == {
        "communities": 1,
        "pairs": 2,
        "funds": Decimal("20000.00"),
    }
    # Pages: the overview of a subtree, a community's own page; others' communities 404.
    page = client_for(cast.street_a).get(reverse("admission:communities") + f"?year={year}")
    assert [(c.name, c.funds) for c in page.context["page_obj"]] == [("桥楼社区", Decimal("30000.00"))]
    mine = client_for(cast.secretary).get(reverse("admission:communities"))
    assert mine.status_code == 302 and mine["Location"] == reverse(
        "admission:community_detail", args=[tree.community_a.pk]
    )
    detail = client_for(cast.secretary).get(
        reverse("admission:community_detail", args=[tree.community_a.pk]) + f"?year={year}"
    )
    assert detail.context["totals"] == {
        "affairs": 3,
        "funds": Decimal("30000.00"),
        "received": Decimal("0"),
        "unfunded": 3,
    }
    assert "青江事项" in detail.content.decode()
    other = reverse("admission:community_detail", args=[tree.community_b.pk])
    assert client_for(cast.street_a).get(other).status_code == 404
    assert (
        client_for(cast.secretary)
        .get(reverse("admission:communities") + f"?area={tree.street_b.pk}")
        .status_code
        == 404
    )


def test_community_overview_query_count(cast, tree, catalog, client_for):
    from tests.duties.conftest import add_children

    client = client_for(cast.city)
    url = reverse("admission:communities") + f"?area={tree.county.pk}"
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    add_children(tree.street_a, 15, Level.COMMUNITY)
    issue_task(
        actor=cast.city,
        area=tree.city,
        title="t",
        deadline=timezone.localdate() + timedelta(days=3),
        target_level=Level.COMMUNITY,
        affair=catalog["city"],
    )
    with CaptureQueriesContext(connection) as many:
        assert len(client.get(url).context["page_obj"]) == 17
    assert len(many) == len(few)


@pytest.mark.parametrize("query", ["valid=current", "valid=expired", "valid=all", "valid=all&q=过期"])
def test_the_catalog_page_and_the_api_filter_alike(cast, catalog, today, client_for, api_for, query):
    """One FilterSet (admission/filters.py): the page lists what the API returns for the same query."""
    rows = api_for(cast.city).get(f"/api/admitted-affairs/?{query}&page_size=100").json()["results"]
    page = client_for(cast.city).get(reverse("admission:catalog") + f"?{query}")
    listed = {a.name for a in page.context["page_obj"].paginator.object_list}
    assert listed == {row["name"] for row in rows} and listed


def test_the_exports_hold_the_catalog_and_communities_in_scope_and_none_of_another_street(
    cast, tree, catalog, client_for
):
    from tests.imports.helpers import read_xlsx

    deadline = timezone.localdate() + timedelta(days=10)
    for actor, area, name in (
        (cast.street_a, tree.street_a, "street_a"),
        (cast.street_b, tree.street_b, "street_b"),
    ):
        issue_task(
            actor=actor,
            area=area,
            title="任务",
            deadline=deadline,
            target_level=Level.COMMUNITY,
            affair=catalog[name],
        )
    affair(tree.street_a, "=青江新事项")
    street = client_for(cast.street_a)
    assert 'data-export="admission-catalog"' in street.get(reverse("admission:catalog")).content.decode()
    url = reverse("imports:list_export", args=["admission-catalog"])
    rows = read_xlsx(b"".join(street.post(url).streaming_content))["社区事务准入目录"]
    assert rows[0] == [
        "事项名称",
        "责任部门",
        "适用区域",
        "经费（元/社区/年）",
        "生效日期",
        "失效日期",
        "符合权随责走",
    ]
    assert sorted(r[0] for r in rows[1:]) == [
        "=青江新事项",
        "区县事项",
        "城市事项",
        "青江事项",
    ]  # no 东城事项
    assert {r[5] for r in rows[1:]} == {"长期"}
    expired = read_xlsx(b"".join(street.post(url + "?valid=expired").streaming_content))["社区事务准入目录"]
    assert [r[0] for r in expired[1:]] == ["过期事项"]
    year = deadline.year
    page = street.get(reverse("admission:communities") + f"?year={year}").content.decode()
    assert 'data-export="admission-communities"' in page and f"year={year}" in page
    url = reverse("imports:list_export", args=["admission-communities"])
    rows = read_xlsx(b"".join(street.post(url + f"?year={year}").streaming_content))["社区承接事务"]
    assert rows[0] == ["社区", "承接事项数", "随事经费（元）"]
    assert rows[1:] == [["桥楼社区", 1, 10000]]  # not 育才社区 of the other street
    other = read_xlsx(b"".join(client_for(cast.street_b).post(url + f"?year={year}").streaming_content))
    assert other["社区承接事务"][1:] == [["育才社区", 1, 10000]]
    assert street.post(url + f"?area={tree.street_b.pk}").status_code == 404
    assert client_for(cast.resident).post(url).status_code == 403
