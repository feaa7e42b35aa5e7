"""The member list's one FilterSet (`MemberFilter`) on its page and in `/api/members/`: the page offers every
filter the API takes, laid out through templates/forms/field.html, and lists the same members for the same
parameters; a bad value stands at its field on the page and is a 400 in the API."""

from datetime import date

import pytest
from django.utils import timezone

from grassroots.core.members.models import Member, MemberTag
from tests.members.fixtures_records import *  # noqa: F403


@pytest.fixture
def crowd(person, branch_x, branch_y, branch_b, tree):
    today = timezone.localdate()
    old = person("王老", birth=date(today.year - 82, 1, 1), education="primary")
    young = person("李小", birth=date(today.year - 25, 1, 1), male=False)
    Member.objects.filter(pk=young.pk).update(joined_full_on=None)
    worker = person(
        "张工", branch=branch_y, in_service=True, education="bachelor", home_area=tree.courtyard_a
    )
    person("赵彬", branch=branch_b)
    lawyer = MemberTag.objects.create(name="法律", kind="skill")
    worker.tags.add(lawyer)
    old.tags.add(MemberTag.objects.create(name="退役军人"))
    return {"lawyer": lawyer}


QUERIES = [
    "",
    "q=zg",
    "q=王",
    "branch={branch_x}",
    "branch={general}",
    "area={community_a}",
    "area={community_b}",
    "status=normal",
    "tag={lawyer}",
    "gender=female",
    "education=primary&education=bachelor",
    "age_min=60",
    "age_max=30",
    "in_service=true",
    "probationary=true",
    "probationary=false",
    "completeness_below=101",
    "order=-name",
]


@pytest.mark.parametrize("query", QUERIES)
@pytest.mark.parametrize("who", ["secretary", "street_a", "city"])
def test_the_page_and_the_api_list_alike(
    crowd, cast, tree, general, branch_x, client_for, api_for, who, query
):
    query = query.format(
        branch_x=branch_x.pk,
        general=general.pk,
        community_a=tree.community_a.pk,
        community_b=tree.community_b.pk,
        lawyer=crowd["lawyer"].pk,
    )
    user = getattr(cast, who)
    api = api_for(user).get(f"/api/members/?{query}")
    page = client_for(user).get(f"/members/?{query}")
    assert api.status_code == page.status_code == 200, api.content
    listed = [member.name for member in page.context["page_obj"]]
    assert listed == [row["name"] for row in api.json()["results"]]
    assert not page.context["form"].errors


def test_the_page_offers_every_filter_of_the_api_at_its_field(crowd, cast, branch_x, client_for):
    html = client_for(cast.secretary).get("/members/").content.decode()
    for name in ("q", "status", "branch", "area", "tag", "gender", "education", "age_min", "age_max"):
        assert f'name="{name}"' in html, name
    for name in ("in_service", "probationary", "completeness_below", "order"):
        assert f'for="id_{name}"' in html, name
    assert f'<option value="{branch_x.pk}">桥楼社区第一党支部</option>' in html
    assert 'value="{}" id="id_tag_'.format(crowd["lawyer"].pk) in html  # a box to tick per tag


def test_a_bad_value_stands_at_its_field_and_is_a_400_in_the_api(crowd, cast, client_for, api_for):
    page = client_for(cast.secretary).get("/members/", {"age_min": "200"})
    html = page.content.decode()
    assert page.status_code == 200 and 'id="id_age_min_error"' in html and "is-invalid" in html
    assert api_for(cast.secretary).get("/api/members/", {"age_min": "200"}).status_code == 400
