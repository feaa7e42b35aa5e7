"""A second city set up on the web by the operator (a system admin on a root area): by importing its whole
division file or by a form, then its first official's account and grant on the users pages. Nobody else
makes a root, and the refusal says why."""

import pytest
from django.test import Client
from django.urls import reverse

from grassroots.access.scoping import is_operator
from grassroots.accounts.models import RoleGrant
from grassroots.accounts.roles import Role
from grassroots.areas.models import Area, Level, PartyOrg
from grassroots.imports.models import ImportJob
from tests.areas.conftest import AREA_HEADER, ORG_HEADER, build_xlsx, upload
from tests.factories import make_user

# A whole city's division file: its first row has no parent.
CITY_FILE = {
    "区域": [
        AREA_HEADER,
        ["C", "成都市", "市", "510100", None, None],
        ["J", "锦江区", "县（区）", "510104", "C", None],
        [None, "春熙路街道", "街道", "510104020", None, "510104"],
        [None, "盐市口街道", "街道", "510104021", "J", None],
    ],
    "党组织": [
        ORG_HEADER,
        ["P", "成都市锦江区委组织部党委", "党委", "CD-JJ", "J", None, None, None, None],
    ],
}


def post_import(client, sheets):
    response = client.post(reverse("areas:import"), {"file": upload(build_xlsx(sheets))})
    assert response.status_code == 302
    return ImportJob.objects.latest("pk")


def test_only_a_system_admin_on_a_root_is_the_operator(cast, tree):
    assert is_operator(cast.admin)
    assert not any(is_operator(u) for u in (cast.city, cast.street_a, cast.auditor, cast.resident))
    assert not is_operator(make_user("street_admin", Role.SYSTEM_ADMIN, tree.street_a))


def test_the_operator_imports_a_whole_new_city(cast, tree, client_for):
    client = client_for(cast.admin)
    job = post_import(client, CITY_FILE)
    assert job.status == ImportJob.Status.DONE, job.errors
    chengdu = Area.objects.get(code="510100")
    assert chengdu.is_root() and chengdu.level == Level.CITY
    streets = Area.objects.get_children(Area.objects.get(code="510104"))
    assert [a.name for a in streets] == ["春熙路街道", "盐市口街道"]
    assert PartyOrg.objects.get(code="CD-JJ").area.code == "510104"
    assert Area.objects.find_problems() == ([], [], [], [], [])
    # the new city enters its creator's scope: the system admin role on it, granted by themself
    grant = RoleGrant.objects.get(area=chengdu)
    assert (grant.user, grant.role, grant.granted_by) == (cast.admin, Role.SYSTEM_ADMIN, cast.admin)
    tree_page = client.get(reverse("areas:tree")).content.decode()
    assert "成都市" in tree_page and "雅安市" in tree_page
    assert client.get(reverse("areas:detail", args=[chengdu.pk])).status_code == 200
    # Ya'an's officials do not see it
    assert client_for(cast.city).get(reverse("areas:detail", args=[chengdu.pk])).status_code == 404


@pytest.mark.parametrize("who", ["city", "street_a"])
def test_a_new_root_by_anyone_else_is_refused_with_the_reason(cast, tree, client_for, who):
    job = post_import(client_for(getattr(cast, who)), CITY_FILE)
    assert job.status == ImportJob.Status.REJECTED
    assert not Area.objects.filter(code__in=["510100", "510104"]).exists()
    first = [e for e in job.errors if e["row"] == 2]
    assert len(first) == 1 and first[0]["column"] == "上级区划代码"
    assert "新的最上级区域" in first[0]["message"] and "只有系统管理员" in first[0]["message"]


def test_the_operator_creates_a_city_by_form_and_others_may_not(cast, tree, client_for):
    url = reverse("areas:create_root")
    for who in (cast.city, cast.street_a, cast.auditor):
        client = client_for(who)
        assert client.get(url).status_code == 403
        assert client.post(url, {"name": "绵阳市", "level": Level.CITY, "code": "510700"}).status_code == 403
        assert "新建市" not in client.get(reverse("areas:tree")).content.decode()
    assert not Area.objects.filter(name="绵阳市").exists()

    client = client_for(cast.admin)
    assert "新建市" in client.get(reverse("areas:tree")).content.decode()
    assert client.get(url).status_code == 200
    taken = client.post(url, {"name": "重码市", "level": Level.CITY, "code": "511800"})
    assert taken.status_code == 200 and "已被其他区域使用" in taken.content.decode()
    response = client.post(url, {"name": "绵阳市", "level": Level.CITY, "code": "510700"})
    mianyang = Area.objects.get(name="绵阳市")
    assert response.status_code == 302 and response["Location"] == reverse("areas:detail", args=[mianyang.pk])
    assert mianyang.is_root() and mianyang.code == "510700"
    assert RoleGrant.objects.filter(user=cast.admin, role=Role.SYSTEM_ADMIN, area=mianyang).exists()


def test_the_operator_grants_the_new_citys_first_official_on_the_web(cast, tree, client_for):
    admin = client_for(cast.admin)
    post_import(admin, CITY_FILE)
    chengdu = Area.objects.get(code="510100")
    response = admin.post(
        reverse("accounts:account_create"),
        {
            "username": "cd_city",
            "full_name": "成都干部",
            "phone": "13800001111",
            "email": "",
            "role": Role.CITY_OFFICIAL,
            "area": chengdu.pk,
            "password1": "a-Long-initial-pass-2026",
            "password2": "a-Long-initial-pass-2026",
        },
    )
    assert response.status_code == 302, response.content.decode()
    grant = RoleGrant.objects.get(user__username="cd_city")
    assert (grant.role, grant.area, grant.granted_by) == (Role.CITY_OFFICIAL, chengdu, cast.admin)
    assert response["Location"] == reverse("accounts:user_detail", args=[grant.user_id])
    # the new official signs in with the initial password and works in their own city only
    official = Client()
    signed_in = official.post(
        reverse("accounts:login"), {"username": "cd_city", "password": "a-Long-initial-pass-2026"}
    )
    assert signed_in.status_code == 302
    page = official.get(reverse("areas:tree")).content.decode()
    assert "锦江区" in page and "雅安市" not in page
    assert official.get(reverse("areas:detail", args=[tree.city.pk])).status_code == 404
    # and may import below it (not a new root: that stays the operator's)
    sub = {"区域": [AREA_HEADER, [None, "红星路社区", "社区", None, None, "510104020"]]}
    job = post_import(official, sub)
    assert job.status == ImportJob.Status.DONE, job.errors
