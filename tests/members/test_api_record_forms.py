"""The member page's account and dues forms, the tag catalogue and 我的 through the API, by the same services:
a write by the right role, a 403 naming what is missing for the wrong one, 404 for the outsider street_b (and
for a caller without a record of their own), a field error in Chinese."""

from grassroots.accounts.roles import Role
from grassroots.core.members.models import Member, MemberStatus, MemberTag
from tests.factories import make_user
from tests.members.fixtures_records import *  # noqa: F403

MISSING = "您没有在“张三”维护党员信息的权限。"  # the record, as every write on a member names it


def test_link_an_account(tree, cast, person, api_for):
    member = person("张三")
    account = make_user("zhangsan", Role.MEMBER, tree.courtyard_a, full_name="张三")
    url = f"/api/members/{member.pk}/account/"
    secretary = api_for(cast.secretary)
    response = secretary.post(url, {"username": "nobody"}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == {"username": ["未找到该用户，或该用户不在您的管辖范围内。"]}
    assert api_for(cast.street_b).post(url, {"username": "zhangsan"}, format="json").status_code == 404
    refused = api_for(cast.auditor).post(url, {"username": "zhangsan"}, format="json")
    assert refused.status_code == 403 and refused.json()["detail"] == MISSING
    assert secretary.post(url, {"username": "zhangsan"}, format="json").status_code == 200
    member.refresh_from_db()
    assert member.user == account
    assert secretary.post(url, {"username": ""}, format="json").status_code == 200
    member.refresh_from_db()
    assert member.user is None


def test_set_the_dues(cast, person, api_for):
    member = person("张三")
    url = f"/api/members/{member.pk}/dues/"
    secretary = api_for(cast.secretary)
    response = secretary.post(url, {}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == {"income": ["请填写月收入，或选择固定金额的类别。"]}
    assert api_for(cast.street_b).post(url, {"income": "2500"}, format="json").status_code == 404
    refused = api_for(cast.auditor).post(url, {"income": "2500"}, format="json")
    assert refused.status_code == 403 and refused.json()["detail"] == MISSING
    response = secretary.post(url, {"income": "2500"}, format="json")
    assert response.status_code == 200 and response.json()["dues_monthly"] == "12.50"


def test_add_to_the_tag_catalogue(cast, api_for):
    body = {"name": "退役军人", "kind": "tag"}
    refused = api_for(cast.auditor).post("/api/member-tags/", body, format="json")
    assert refused.status_code == 403 and refused.json()["detail"] == "您没有维护党员标签的权限。"
    blank = api_for(cast.secretary).post("/api/member-tags/", {"name": "", "kind": "tag"}, format="json")
    assert blank.status_code == 400 and list(blank.json()["errors"]) == ["name"]
    response = api_for(cast.secretary).post("/api/member-tags/", body, format="json")
    assert response.status_code == 201 and MemberTag.objects.filter(name="退役军人").exists()
    assert api_for(cast.resident).get("/api/member-tags/").json()["count"] == 0  # not a reader of records


def test_my_own_record(tree, cast, person, api_for):
    me = make_user("zhangsan", Role.MEMBER, tree.courtyard_a, full_name="张三")
    member = person("张三", user=me)
    mine = api_for(me)
    assert mine.get("/api/mine/record/").json()["id"] == member.pk
    assert api_for(cast.street_b).get("/api/mine/record/").status_code == 404  # no record of their own
    response = mine.patch("/api/mine/record/", {"phone": "123"}, format="json")
    assert response.status_code == 400 and list(response.json()["errors"]) == ["phone"]
    response = mine.patch("/api/mine/record/", {"occupation": "教师"}, format="json")
    assert response.status_code == 200 and response.json()["occupation"] == "教师"

    where = {"mobile_location": "成都市武侯区"}
    assert mine.post("/api/mine/whereabouts/", where, format="json").status_code == 404  # not mobile
    Member.objects.filter(pk=member.pk).update(status=MemberStatus.MOBILE)  # the state is the workflow's
    response = mine.post("/api/mine/whereabouts/", {}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == {"mobile_location": ["请填写现在的居住地或工作单位。"]}
    response = mine.post("/api/mine/whereabouts/", where, format="json")
    assert response.status_code == 200 and response.json()["mobile_location"] == "成都市武侯区"
