"""Standards cited by findings and assessment items, and the figure "communities meeting item N in year Y"
(grassroots/core/assessments/selectors/standards.py defines it): through the services, the pages and the
API; another street's standard answers 404, and cannot be cited (400 at the field)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError

from grassroots.accounts.roles import Role
from grassroots.areas.models import Level
from grassroots.core.assessments.models import Finding
from grassroots.core.assessments.services import inspections, schemes
from grassroots.documents import services
from grassroots.documents.models import Item, Kind
from grassroots.workflow.services import transition
from tests.factories import make_area, make_user


def item(document, number, version=None):
    qs = Item.objects.filter(section__version__document=document, number=number)
    return (
        qs.get(section__version__number=version) if version else qs.get(section__version__state="published")
    )


@pytest.fixture
def world(today, tree, cast, make_doc):
    """青江街道 with two communities (桥楼 and 新村), its standard (v1), an inspection of 桥楼 this year."""
    second = make_area("新村社区", Level.COMMUNITY, tree.street_a, code="511802001002")
    standard = make_doc()
    inspection = inspections.create_inspection(
        actor=cast.street_a, area=tree.community_a, title="专项督察", inspected_on=today - timedelta(days=5)
    )
    return second, standard, inspection


def add(inspection, cast, cited, owner=None, **extra):
    return inspections.add_finding(
        actor=cast.street_a,
        inspection=inspection,
        description="班子不健全",
        owner=owner or cast.secretary,
        deadline=inspection.inspected_on + timedelta(days=30),
        standard_item=cited,
        **extra,
    )


def test_a_finding_cites_an_item_that_applies_and_no_other(world, cast, tree, make_doc):
    _second, standard, inspection = world
    finding = add(inspection, cast, item(standard, "1.1"))
    assert finding.standard_item.label == "青江标准 第1.1条"
    other = make_doc(area=tree.street_b, actor=cast.street_b, title="东城标准")
    with pytest.raises(ValidationError) as exc:
        add(inspection, cast, item(other, "1.1"))
    assert list(exc.value.message_dict) == ["standard_item"]
    community_only = make_doc(title="只对街道", published=True)
    community_only.applies_to = [Level.STREET]
    community_only.save()
    with pytest.raises(ValidationError):
        add(inspection, cast, item(community_only, "1.1"))


def test_the_figure_counts_open_findings_of_the_year_across_versions(world, cast, tree, today, client_for):
    second, standard, inspection = world
    finding = add(inspection, cast, item(standard, "1.1"))
    draft = services.start_draft(actor=cast.street_a, document=standard)
    services.publish(actor=cast.street_a, version=draft)  # 1.1 of version 2 is the same item
    url = f"/documents/items/{item(standard, '1.1').pk}/"
    client = client_for(cast.street_a)
    # 桥楼: inspected, an open finding (does not meet); 新村: not inspected this year (not counted as meeting)
    page = client.get(url).content.decode()
    assert "0 / 2 个社区达标" in page and "1 个未达标" in page and "1 个当年未督察" in page
    assert "桥楼社区" in page
    assert "0 / 2 个社区达标" in client_for(cast.city).get(url).content.decode()
    last_year = client.get(url + f"?year={today.year - 1}").content.decode()
    assert "0 / 2 个社区达标" in last_year and "0 个未达标" in last_year and "2 个当年未督察" in last_year
    other = client.get(f"/documents/items/{item(standard, '1.2').pk}/").content.decode()
    assert "1 / 2 个社区达标" in other and "0 个未达标" in other and "1 个当年未督察" in other
    transition(finding, "report_rectified", actor=cast.secretary, comment="已整改")
    assert "0 / 2 个社区达标" in client.get(url).content.decode()  # rectified, not yet verified: still open
    transition(Finding.objects.get(pk=finding.pk), "verify", actor=cast.street_a)
    page = client.get(url).content.decode()
    assert "1 / 2 个社区达标" in page and "0 个未达标" in page and "1 个当年未督察" in page
    assert client_for(cast.street_b).get(url).status_code == 404
    assert second


def test_a_city_standard_seen_by_each_street_counts_its_own_communities(
    world, cast, tree, make_doc, client_for
):
    _second, _standard, inspection = world
    city = make_doc(area=tree.city, actor=cast.city, title="市标准")
    add(inspection, cast, item(city, "2.1"))
    url = f"/documents/items/{item(city, '2.1').pk}/"
    page = client_for(cast.street_a).get(url).content.decode()
    assert "0 / 2 个社区达标" in page and "1 个未达标" in page and "1 个当年未督察" in page
    page = client_for(cast.street_b).get(url).content.decode()  # its one community, not inspected
    assert "0 / 1 个社区达标" in page and "1 个当年未督察" in page and "桥楼社区" not in page


def test_the_finding_form_and_page_and_api(world, cast, client_for, api_for):
    _second, standard, inspection = world
    cited = item(standard, "1.2")
    client = client_for(cast.street_a)
    form = client.get(f"/assessments/inspections/{inspection.pk}/").context["form"]
    assert cited in form.fields["standard_item"].queryset
    response = client.post(
        f"/assessments/inspections/{inspection.pk}/",
        {
            "description": "未按期换届",
            "owner": cast.secretary.pk,
            "deadline": (inspection.inspected_on + timedelta(days=10)).isoformat(),
            "standard_item": cited.pk,
        },
    )
    assert response.status_code == 302
    finding = Finding.objects.get(standard_item=cited)
    assert "青江标准 第1.2条" in client.get(f"/assessments/findings/{finding.pk}/").content.decode()
    body = {
        "inspection": inspection.pk,
        "description": "经费无台账",
        "owner": cast.secretary.pk,
        "deadline": (inspection.inspected_on + timedelta(days=10)).isoformat(),
        "standard_item": item(standard, "2.1").pk,
    }
    response = api_for(cast.street_a).post("/api/findings/", body, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["standard_item_label"] == "青江标准 第2.1条"


def test_an_assessment_item_links_a_standard_item(world, cast, tree, today, client_for, api_for, make_doc):
    _second, standard, _inspection = world
    scheme = schemes.create_scheme(
        actor=cast.street_a, area=tree.street_a, year=today.year, level=Level.COMMUNITY
    )
    cited = item(standard, "2.1")
    added = schemes.add_item(
        actor=cast.street_a, scheme=scheme, name="组织生活", weight=10, method="manual", standard_item=cited
    )
    assert added.standard_item == cited
    page = client_for(cast.street_a).get(f"/assessments/schemes/{scheme.pk}/").content.decode()
    assert "青江标准 第2.1条" in page
    other = make_doc(area=tree.street_b, actor=cast.street_b, title="东城标准")
    body = {"name": "阵地", "weight": "5", "method": "manual", "standard_item": item(other, "1.1").pk}
    response = api_for(cast.street_a).post(f"/api/assessment-schemes/{scheme.pk}/items/", body, format="json")
    assert response.status_code == 400 and "standard_item" in response.json()["errors"]
    body["standard_item"] = item(standard, "1.1").pk
    response = api_for(cast.street_a).post(f"/api/assessment-schemes/{scheme.pk}/items/", body, format="json")
    assert response.status_code == 201
    assert {i["standard_item"] for i in response.json()["items"]} == {cited.pk, item(standard, "1.1").pk}


def test_the_item_page_costs_the_same_for_more_communities(
    world, cast, tree, client_for, django_assert_max_num_queries
):
    _second, standard, inspection = world
    for i in range(8):
        community = make_area(f"社区{i}", Level.COMMUNITY, tree.street_a, code=f"5118020011{i:02d}")
        other = inspections.create_inspection(
            actor=cast.street_a, area=community, title="督察", inspected_on=inspection.inspected_on
        )
        if i % 2:
            owner = make_user(f"worker{i}", Role.COMMUNITY_WORKER, community)
            add(other, cast, item(standard, "1.1"), owner=owner)
    client = client_for(cast.street_a)
    url = f"/documents/items/{item(standard, '1.1').pk}/"
    # session, user, grants, the item, its visibility (document and version), the panel's four (communities,
    # open findings, inspected areas, children) and the layout's own
    with django_assert_max_num_queries(22):
        page = client.get(url).content.decode()
    # 桥楼 and the four even ones meet, the four odd ones do not, 新村 was not inspected
    assert "5 / 10 个社区达标" in page and "4 个未达标" in page and "1 个当年未督察" in page


def numbers_of(page: str) -> dict:
    """The panel's figures as the page shows them: the three counts and the roll-up lines."""
    head = re.search(r"(\d+) / (\d+) 个社区达标.*?(\d+) 个未达标.*?(\d+) 个当年未督察", page, re.S)
    lines = re.findall(
        r'<tr><td>(?:<a href="\?area=\d+&year=\d+">)?([^<]+)(?:</a>)?</td>'
        + r'<td class="text-end">(\d+)</td>' * 4,
        page,
    )
    meeting, total, not_meeting, not_inspected = map(int, head.groups())
    return {
        "counts": (total, meeting, not_meeting, not_inspected),
        "lines": [(name, *map(int, n)) for name, *n in lines],
    }


def numbers_of_api(body: dict) -> dict:
    return {
        "counts": (body["communities"], body["meeting"], body["not_meeting"], body["not_inspected"]),
        "lines": [
            (
                line["area_name"],
                line["communities"],
                line["meeting"],
                line["not_meeting"],
                line["not_inspected"],
            )
            for line in body["lines"]
        ],
    }


def test_the_api_gives_the_page_s_numbers_in_the_same_scope(
    world, cast, tree, today, client_for, api_for, make_doc
):
    _second, _standard, inspection = world
    city = make_doc(area=tree.city, actor=cast.city, title="市标准")
    add(inspection, cast, item(city, "1.1"))  # 桥楼: does not meet; 新村: not inspected
    for i, cited in enumerate(("1.1", "1.2")):  # 东城's community: inspected, an open finding on 1.1 only
        community = make_area(f"东城{i}社区", Level.COMMUNITY, tree.street_b, code=f"5118020021{i:02d}")
        other = inspections.create_inspection(
            actor=cast.street_b, area=community, title="督察", inspected_on=inspection.inspected_on
        )
        owner = make_user(f"east{i}", Role.COMMUNITY_WORKER, community)
        inspections.add_finding(
            actor=cast.street_b,
            inspection=other,
            description="台账缺失",
            owner=owner,
            deadline=other.inspected_on + timedelta(days=30),
            standard_item=item(city, cited),
        )
    cited = item(city, "1.1")
    api = f"/api/standard-items/{cited.pk}/compliance/"
    page = f"/documents/items/{cited.pk}/"
    seen = []
    for user, query in (
        (cast.city, ""),
        (cast.city, f"?area={tree.street_b.pk}"),
        (cast.city, f"?year={today.year - 1}"),
        (cast.street_a, ""),
        (cast.street_b, ""),
    ):
        response = api_for(user).get(api + query)
        assert response.status_code == 200, response.content
        from_api = numbers_of_api(response.json())
        assert from_api == numbers_of(client_for(user).get(page + query).content.decode())
        seen.append(from_api)
    whole, east, last_year, street_a, _street_b = seen
    # the city: 青江 (桥楼 not meeting, 新村 not inspected) and 东城 (one of each of its inspected, plus the
    # community the tree gives it, not inspected)
    assert whole["counts"][0] == sum(line[1] for line in whole["lines"])
    assert whole["counts"][1:] == (1, 2, whole["counts"][0] - 3)
    assert east["counts"][1:3] == (1, 1) and last_year["counts"][1:3] == (0, 0)
    assert street_a["counts"] == (2, 0, 1, 1)
    assert street_a["lines"] == [("桥楼社区", 1, 0, 1, 0), ("新村社区", 1, 0, 0, 1)]
    assert [line[0] for line in whole["lines"]] == ["雨城区"]
    statuses = {c["name"]: c["status"] for c in api_for(cast.street_a).get(api).json()["results"]}
    assert statuses == {"桥楼社区": "not_meeting", "新村社区": "not_inspected"}


def test_the_api_answers_404_outside_the_scope_and_400_for_a_year_out_of_range(
    world, cast, tree, api_for, make_doc
):
    _second, standard, _inspection = world
    url = f"/api/standard-items/{item(standard, '1.1').pk}/compliance/"
    assert api_for(cast.street_b).get(url).status_code == 404  # another street's standard
    client = api_for(cast.street_a)
    assert client.get(url + f"?area={tree.street_b.pk}").status_code == 404  # an area outside the scope
    response = client.get(url + "?area=x")
    assert response.status_code == 400 and "area" in response.json()["errors"]
    for year in ("1999", "2101", "abc"):
        response = client.get(url + f"?year={year}")
        assert response.status_code == 400 and "year" in response.json()["errors"], response.content
    assert client.get(url + "?year=2100").status_code == 200
    handbook = make_doc(kind=Kind.HANDBOOK, title="青江手册")
    assert client.get(f"/api/standard-items/{item(handbook, '1.1').pk}/compliance/").status_code == 404
    for not_an_id in ("abc", "null,null", "-1"):  # schemathesis: a 500 before
        assert client.get(f"/api/standard-items/{not_an_id}/compliance/").status_code == 404, not_an_id
