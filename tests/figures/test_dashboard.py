"""The dashboard (/dashboard/): what needs action first, the figures of the subtree, the chosen figure per
child area (a link opens the same dashboard for the child) and its trend; scoped (a street official's
dashboard holds nothing of another street; an area outside the scope is a 404; a resident has none); its
query count does not grow with the number of child areas."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import Level, make_area
from tests.homes import open_home

URL = "/dashboard/"


def test_a_street_official_sees_their_street_only(client_for, cast, tree, data):
    client = client_for(cast.street_a)
    page = client.get(URL, {"figure": "members.by_status"}).content.decode()
    assert "青江街道" in page and "桥楼社区" in page
    assert "东城街道" not in page and "育才社区" not in page
    assert f'data-child="{tree.community_a.pk}"' in page
    assert 'data-figure="members.by_status"' in page
    assert client.get(URL, {"area": tree.street_b.pk}).status_code == 404
    assert client.get(URL, {"area": tree.community_b.pk}).status_code == 404
    assert client.get(URL, {"area": tree.county.pk}).status_code == 404
    assert client.get(URL, {"area": "x"}).status_code == 404


def test_a_click_on_a_child_opens_its_dashboard(client_for, cast, tree, data):
    client = client_for(cast.city)
    page = client.get(URL, {"area": tree.county.pk, "figure": "members.lost_contact"}).content.decode()
    link = f"?area={tree.street_a.pk}&amp;year="
    assert link in page
    child = client.get(URL, {"area": tree.street_a.pk, "figure": "members.lost_contact"})
    assert child.status_code == 200
    assert f'data-child="{tree.community_a.pk}"' in child.content.decode()
    # what needs action first: the lost contacts of the county
    assert "data-attention" in page and reverse("members:find") in page


def test_a_resident_has_no_dashboard(client_for, cast, data):
    """The dashboard is the officials' (figures.dashboard): a resident gets the refusal page and no menu
    entry, even though they may read the published figures through the API."""
    response = client_for(cast.resident).get(URL, {"figure": "selfgov.matters"})
    assert response.status_code == 403
    assert "members.by_status" not in response.content.decode()
    assert URL not in open_home(client_for(cast.resident)).content.decode()


def test_the_menu_holds_the_dashboard_for_officials(client_for, cast, data):
    for official in (cast.city, cast.street_a, cast.secretary):
        page = open_home(client_for(official)).content.decode()
        assert f'href="{URL}"' in page, official
    assert client_for(cast.secretary).get(URL).status_code == 200


def test_the_home_links_the_dashboard(client_for, cast, data):
    assert "data-dashboard-link" in open_home(client_for(cast.city)).content.decode()


@pytest.mark.parametrize("children", [2, 6])
def test_the_query_count_does_not_grow_with_the_children(
    client_for,
    cast,
    tree,
    data,
    children,
    django_assert_max_num_queries,
):
    for i in range(children - 2):
        make_area(f"新街道{i}", Level.STREET, tree.county)
    client = client_for(cast.city)
    with django_assert_max_num_queries(75):
        response = client.get(URL, {"area": tree.county.pk, "figure": "members.by_status"})
    assert response.content.decode().count("data-child=") == children


def test_the_city_dashboard_maps_its_counties(client_for, cast, tree, data):
    """At city scope the chosen figure per county is on the map of Ya'an (matched by the county's name); a
    click on a county opens its dashboard (the link in the map's data). Below, the ranked bar chart."""
    import json
    import re

    client = client_for(cast.city)
    response = client.get(URL, {"area": tree.city.pk, "figure": "members.lost_contact"})
    page = response.content.decode()
    found = re.search(r'<script id="gr-children-map" type="application/json">(.*?)</script>', page, re.S)
    data_map = json.loads(found.group(1))
    assert data_map["unit"] == "人"
    [county] = data_map["regions"]
    assert county["name"] == "雨城区" and county["value"] == 2.0  # 乙 and 己 lost contact
    assert county["link"].startswith(f"/dashboard/?area={tree.county.pk}&")
    assert 'data-area-map="gr-children-map"' in page and "vendor/echarts-china-cities/yaan.geojson" in page
    assert "grassroots/areamap.js" in page and 'data-chart-source="gr-children-chart"' not in page
    opened = client.get(county["link"])
    assert opened.status_code == 200 and "雨城区" in opened.content.decode()
    # below county level: the ranked bar chart, no map
    county_page = opened.content.decode()
    assert 'data-chart-source="gr-children-chart"' in county_page and "data-area-map" not in county_page


def test_the_map_data_is_built_from_the_package(tmp_path):
    """build_assets copies the package's GeoJSON of Ya'an: the eight counties the map names."""
    import json

    from grassroots.pages import AREA_MAP_REGIONS
    from tests.ops.test_static_production import load_build_assets

    load_build_assets().build(dest=tmp_path)
    geojson = json.loads((tmp_path / "echarts-china-cities" / "yaan.geojson").read_text())
    names = [feature["properties"]["name"] for feature in geojson["features"]]
    assert sorted(names) == sorted(AREA_MAP_REGIONS)


def test_the_dashboard_exports_its_figures_per_area(client_for, cast, tree, data):
    """导出 Excel through the one list export: every figure of the page for the area and each child area, read
    back from the xlsx; audited; formulas neutralised by the mechanism; the page's scope."""
    from grassroots.audit.models import AuditEvent
    from tests.imports.helpers import read_xlsx

    client = client_for(cast.city)
    page = client.get(URL, {"area": tree.county.pk}).content.decode()
    assert 'data-export="figures-dashboard"' in page
    url = reverse("imports:list_export", args=["figures-dashboard"])
    response = client.post(f"{url}?area={tree.county.pk}&year={data}")
    assert response.status_code == 200
    rows = read_xlsx(b"".join(response.streaming_content))["数据看板"]
    assert rows[0][:5] == ["指标", "区域", "层级", "范围", "数值"]
    lost = [row for row in rows[1:] if row[-1] == "members.lost_contact"]
    assert [(row[1], row[3], row[4]) for row in lost] == [
        ("雨城区", "合计", 2),
        ("雨城区", "本级（不含下级）", 1),
        ("青江街道", "下级区域", 1),
        ("东城街道", "下级区域", 0),
    ]
    assert {row[-1] for row in rows[1:]} >= {"members.by_status", "gatherings.attendance"}
    event = AuditEvent.objects.get(kind="export")
    assert (event.user, event.count, event.unmasked) == (cast.city, len(rows) - 1, False)
    assert "数据看板" in event.what and f"area={tree.county.pk}" in event.what
    # a street official's export of another street: nothing of it
    other = client_for(cast.street_a).post(f"{url}?area={tree.street_b.pk}")
    sheet = read_xlsx(b"".join(other.streaming_content))["数据看板"]
    assert sheet[1:] == []
    assert client_for(cast.resident).post(url).status_code == 403
