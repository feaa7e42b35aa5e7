"""Identify (识别): data completeness per record (what is missing, in Chinese, on the member's page) and per
branch (average, records below 60 %, what each lacks — one aggregate query), and tags and skills."""

from decimal import Decimal

import pytest

from grassroots.core.members.models import Member
from grassroots.core.members.selectors.records import completeness_by_branch
from tests.members.fixtures_records import *  # noqa: F403


@pytest.fixture
def complete(person, tree):
    def make(name, **fields):
        values = {
            "phone": "13812345678",
            "education": "college",
            "occupation": "退休",
            "work_unit": "无",
            "home_area": tree.courtyard_a,
        }
        values.update(fields)
        return person(name, **values)

    return make


def test_completeness_of_a_record_and_what_is_missing(complete, person, cast, client_for):
    full = complete("全全")
    assert full.completeness == 100 and full.missing_fields() == []
    bare = person("空空")
    assert bare.completeness < 60
    response = client_for(cast.secretary).get(f"/members/{bare.pk}/")
    assert response.context["missing"] == ["手机号", "学历", "职业", "工作单位", "居住地址"]
    card = response.content.decode().split('id="member-completeness"')[1].split('id="member-tags"')[0]
    assert "缺少" in card and "工作单位" in card and "居住地址" in card
    html = client_for(cast.secretary).get(f"/members/{full.pk}/").content.decode()
    assert "信息完整。" in html


def test_completeness_follows_edits(person, cast):
    from grassroots.core.members.services.records import update_member

    member = person("改改")
    before = member.completeness
    update_member(actor=cast.secretary, member=member, occupation="教师", education="bachelor")
    member.refresh_from_db()
    assert member.completeness > before


def test_completeness_per_branch_is_one_aggregate_query(
    complete, person, branch_x, branch_y, cast, django_assert_num_queries
):
    complete("甲")
    complete("乙", work_unit="")
    person("丙")
    complete("丁", branch=branch_y)
    cast.secretary.grants_cached()  # the user's grants, loaded once per request anyway
    with django_assert_num_queries(2):  # the organizations led (scoping), the aggregate
        rows = {row["branch__name"]: row for row in completeness_by_branch(cast.secretary)}
    x = rows["桥楼社区第一党支部"]
    assert x["total"] == 3 and x["below"] == 1
    assert x["missing_work_unit"] == 2 and x["missing_phone"] == 1 and x["missing_home_area"] == 1
    members = Member.objects.filter(branch=branch_x)
    assert Decimal(str(x["average"])).quantize(Decimal("0.1")) == Decimal(
        sum(m.completeness for m in members) / 3
    ).quantize(Decimal("0.1"))
    assert rows["桥楼社区第二党支部"]["total"] == 1


def test_branch_overview_page(complete, person, cast, client_for, branch_sec, branch_y):
    person("丙")
    complete("丁", branch=branch_y)
    html = client_for(cast.secretary).get("/members/branches/").content.decode()
    assert "桥楼社区第一党支部" in html and "桥楼社区第二党支部" in html
    html = client_for(branch_sec).get("/members/branches/").content.decode()
    assert "桥楼社区第一党支部" in html and "桥楼社区第二党支部" not in html
    assert client_for(cast.resident).get("/members/branches/").status_code == 403


@pytest.mark.parametrize("branches", [2, 12])
def test_branch_overview_query_count_does_not_grow(
    branches, person, tree, cast, client_for, django_assert_max_num_queries
):
    from tests.factories import make_party_org

    for i in range(branches):
        person(f"党员{i}", branch=make_party_org(f"支部{i}", tree.community_a))
    client = client_for(cast.secretary)
    client.get("/members/branches/")
    # session, user, grants, organizations led; the branches' count, the page's branches, the members of
    # those branches aggregated (branches_with_members, then completeness_by_branch); the unread badge
    with django_assert_max_num_queries(8):
        response = client.get("/members/branches/")
    assert len(response.context["rows"]) == branches
