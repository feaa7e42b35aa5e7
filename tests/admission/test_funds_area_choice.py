"""The allot form's area (下达经费 → 社区或街道): it offers only the areas the allotting level may allot to —
a county its streets (街道统筹) and communities, grouped by street; a street (街道下达) its own communities —
with a search box (htmx) that narrows the select by a community's or a street's name or a code, so that a
county's 300 communities can be found on a phone. An area outside is refused at the field in Chinese, and the
API accepts exactly what the page offers (issue 12)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from grassroots.areas.models import Area, Level
from grassroots.core.admission.models import FundsTransfer
from grassroots.core.admission.services import confirm_funds_received
from tests.admission.conftest import allot, pay
from tests.factories import make_area

OUTSIDE = "只能下达给您辖区内的社区或街道（街道统筹）。"


@pytest.fixture
def mingshan(tree):
    """Another county of the city, with a street and a community the 雨城区 official must not be offered."""
    county = make_area("名山区", Level.COUNTY, tree.city, code="511803")
    street = make_area("蒙阳街道", Level.STREET, county, code="511803001")
    return make_area("蒙山社区", Level.COMMUNITY, street, code="511803001001")


def groups(page) -> dict[str, list[str]]:
    """The allot form's select as {group label: [option labels]}."""
    choices = page.context["form"].fields["community"].widget.choices
    return {str(label): [str(name) for _pk, name in options] for label, options in choices[1:]}


def option_groups(html: str) -> dict[str, list[str]]:
    return {
        label: re.findall(r'<option value="\d+"[^>]*>([^<]+)</option>', body)
        for label, body in re.findall(r'<optgroup label="([^"]+)">(.*?)</optgroup>', html, re.S)
    }


def test_a_county_is_offered_its_streets_and_communities_grouped_by_street(
    cast, tree, county, mingshan, client_for
):
    page = client_for(county).get(reverse("admission:funds_create"))
    expected = {
        "雨城区 › 青江街道": ["青江街道（街道统筹）", "桥楼社区"],
        "雨城区 › 东城街道": ["东城街道（街道统筹）", "育才社区"],
    }
    assert groups(page) == expected  # no grid, no county, nothing of 名山区
    html = page.content.decode()
    assert option_groups(html) == expected
    assert re.search(r"<label[^>]*>\s*社区或街道", html)  # labelled by what it takes
    assert f'hx-get="{reverse("admission:funds_area_options")}"' in html  # the search box above the select


def test_a_street_is_offered_its_own_communities(cast, tree, county, affairs, today, client_for):
    qingyi = make_area("青衣社区", Level.COMMUNITY, tree.street_a)
    source = pay(county, allot(county, affairs["county"], tree.street_a, today.year))
    confirm_funds_received(source, actor=cast.street_a, received_on=today)
    client = client_for(cast.street_a)
    page = client.get(reverse("admission:funds_street_allot", args=[source.pk]))
    assert [c.name for c in page.context["form"].fields["communities"].queryset] == ["桥楼社区", qingyi.name]
    # the county's form and its search are not the street's
    assert client.get(reverse("admission:funds_create")).status_code == 403
    assert client.get(reverse("admission:funds_area_options"), {"q": "社区"}).status_code == 403


def test_the_search_narrows_the_select(
    cast, tree, county, mingshan, client_for, django_assert_max_num_queries
):
    client = client_for(county)
    url = reverse("admission:funds_area_options")
    with django_assert_max_num_queries(12):  # session and grants, then the areas, their streets, the labels
        by_street = client.get(url, {"q": "青江"}).content.decode()
    # a street's name finds the street and every community of it
    assert option_groups(by_street) == {"雨城区 › 青江街道": ["青江街道（街道统筹）", "桥楼社区"]}
    assert option_groups(client.get(url, {"q": "育才"}).content.decode()) == {
        "雨城区 › 东城街道": ["育才社区"]
    }
    by_code = client.get(url, {"q": "511802002"}).content.decode()
    assert option_groups(by_code) == {"雨城区 › 东城街道": ["东城街道（街道统筹）", "育才社区"]}
    # another county's areas are never found; the answer says nothing matched
    other = client.get(url, {"q": "蒙"}).content.decode()
    assert option_groups(other) == {} and "没有匹配的社区或街道" in other
    assert option_groups(client.get(url).content.decode()) == {
        "雨城区 › 青江街道": ["青江街道（街道统筹）", "桥楼社区"],
        "雨城区 › 东城街道": ["东城街道（街道统筹）", "育才社区"],
    }


@pytest.mark.parametrize("where", ["grid_a", "county", "mingshan"])
def test_an_area_outside_is_refused_at_the_field(
    cast, tree, county, affairs, mingshan, client_for, today, where
):
    area = mingshan if where == "mingshan" else getattr(tree, where)
    body = {
        "affair": affairs["city"].pk,
        "community": area.pk,
        "year": today.year,
        "allotted_on": str(today),
        "allot_document": "雨财社〔2026〕1号",
    }
    refused = client_for(county).post(reverse("admission:funds_create"), body)
    assert refused.status_code == 200
    assert refused.context["form"].errors["community"] == [OUTSIDE]
    html = refused.content.decode()
    assert OUTSIDE in html and re.search(
        r'<select[^>]*name="community"[^>]*is-invalid|is-invalid[^>]*name="community"', html
    )
    assert not FundsTransfer.objects.exists()


def test_the_api_accepts_exactly_what_the_page_offers(
    cast, tree, county, affairs, mingshan, client_for, api_for, today
):
    page = client_for(county).get(reverse("admission:funds_create"))
    offered = {
        int(pk)
        for _label, options in page.context["form"].fields["community"].widget.choices[1:]
        for pk, _name in options
    }
    api = api_for(county)
    accepted = set()
    for area in Area.objects.all():
        body = {
            "affair": affairs["city"].pk,
            "community": area.pk,
            "year": today.year,
            "allotted_on": str(today),
            "allot_document": "雨财社〔2026〕1号",
        }
        response = api.post("/api/funds-transfers/", body, format="json")
        if response.status_code == 201:
            accepted.add(area.pk)
        else:  # refused at the field, in Chinese
            assert response.status_code == 400, (area.name, response.content)
            message = " ".join(response.json()["errors"]["community"])
            assert re.search(r"[\u4e00-\u9fff]", message), message
    assert (
        accepted == offered == {tree.street_a.pk, tree.street_b.pk, tree.community_a.pk, tree.community_b.pk}
    )
