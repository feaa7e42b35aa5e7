"""The 导出 Excel of the members' own lists (members/exports.py): 党员关爱, 学习教育, 党费欠缴,
预备党员转正 and 组织关系转接 — each file holds the page's rows of the user's area, none of another street's,
the columns the page shows (no identity number, no phone), formulas kept as text; a user without
members.view gets 403."""

from datetime import date, timedelta
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from grassroots.core.members.selectors import manage as manage_selectors
from grassroots.core.members.services import educate, find, manage
from tests.imports.helpers import read_xlsx
from tests.members.fixtures_precisions import *  # noqa: F403


def export(client, kind, query=""):
    response = client.post(reverse("imports:list_export", args=[kind]) + query)
    assert response.status_code == 200, response.status_code
    return next(iter(read_xlsx(b"".join(response.streaming_content)).values()))


def test_each_members_list_exports_its_rows_of_the_users_area(cast, make_member, branch_b, client_for):
    make_member("=长者", birth_date=date(1930, 1, 1))
    make_member("育才长者", birth_date=date(1930, 1, 1), branch=branch_b)
    today = timezone.localdate()
    due = manage_selectors.joined_on_or_before_for_due(today + timedelta(days=10))
    make_member("预备甲", joined_probationary_on=due, joined_full_on=None)
    make_member("育才预备", joined_probationary_on=due, joined_full_on=None, branch=branch_b)
    mover = make_member("迁出者")
    manage.request_transfer(actor=cast.secretary, member=mover, to_branch=branch_b, reason="搬家")
    student = make_member("学员")
    educate.add_study_record(
        actor=cast.worker, member=student, title="学习党章", studied_on=today, hours=Decimal("2.5")
    )
    secretary, street_b = client_for(cast.secretary), client_for(cast.street_b)
    for kind, page in (
        ("members-care", "/members/care/"),
        ("members-study", "/members/study/"),
        ("members-dues", "/members/dues/"),
        ("members-conversions", "/members/conversions/"),
        ("members-transfers", "/members/transfers/"),
    ):
        assert f'data-export="{kind}"' in secretary.get(page).content.decode(), kind
        assert client_for(cast.resident).post(reverse("imports:list_export", args=[kind])).status_code == 403

    care = export(secretary, "members-care")
    assert care[0] == ["姓名", "党支部", "居住区域", "80周岁以上", "关爱标签", "今年已走访", "上次走访"]
    assert [(r[0], r[1], r[3], r[5]) for r in care[1:]] == [("=长者", "桥楼社区第一党支部", "是", "否")]
    assert [r[0] for r in export(street_b, "members-care")[1:]] == ["育才长者"]

    study = export(secretary, "members-study", f"?year={today.year}")
    assert study[0] == ["姓名", "党支部", "学时", "达标"]
    assert ("学员", 2.5, "否") in [(r[0], r[2], r[3]) for r in study[1:]]
    assert "育才长者" not in [r[0] for r in study[1:]]
    assert "学员" not in [r[0] for r in export(street_b, "members-study")[1:]]

    dues = export(secretary, "members-dues")
    assert dues[0] == ["姓名", "党支部", "月交党费（元）", "欠缴月数"]
    assert {r[0] for r in dues[1:]} >= {"=长者", "学员"} and "育才长者" not in {r[0] for r in dues[1:]}
    assert all(r[2] == "未核定" and r[3] >= 1 for r in dues[1:])

    conversions = export(secretary, "members-conversions")
    assert conversions[0] == ["姓名", "党支部", "入党日期", "转正日期"]
    assert [r[0] for r in conversions[1:]] == ["预备甲"]
    assert conversions[1][3].date() == manage_selectors.add_one_year(due)
    assert [r[0] for r in export(street_b, "members-conversions")[1:]] == ["育才预备"]

    transfers = export(secretary, "members-transfers")
    assert transfers[0] == ["党员", "转出党组织", "转入党组织", "状态", "申请日期"]
    assert [(r[0], r[1], r[2]) for r in transfers[1:]] == [("迁出者", "桥楼社区第一党支部", "育才社区党支部")]
    assert export(street_b, "members-transfers")[1:] == []  # the new side sees it from the release on
    assert export(secretary, "members-transfers", "?tab=history")[1:] == []


def test_the_mobile_members_export_holds_the_areas_and_none_of_another_street(
    cast, make_member, branch_b, client_for
):
    for name, branch in (("=流动甲", None), ("育才流动", branch_b)):
        find.mark_mobile(
            actor=cast.secretary if branch is None else cast.street_b,
            member=make_member(name, branch=branch),
            mobile_location="成都市武侯区",
            mobile_work="某物流公司",
        )
    secretary = client_for(cast.secretary)
    page = secretary.get("/members/find/").content.decode()
    assert 'data-export="members-find"' in page and "status=mobile" in page  # the status pinned
    rows = export(secretary, "members-find")
    assert rows[0] == [
        "姓名",
        "党支部",
        "状态",
        "状态变更时间",
        "流动去向（现居住地）",
        "流动去向（现工作单位）",
    ]
    assert [(r[0], r[1], r[4], r[5]) for r in rows[1:]] == [
        ("=流动甲", "桥楼社区第一党支部", "成都市武侯区", "某物流公司")
    ]
    assert [r[0] for r in export(client_for(cast.street_b), "members-find")[1:]] == ["育才流动"]
    assert export(secretary, "members-find", "?status=lost_contact")[1:] == []
    assert (
        client_for(cast.resident).post(reverse("imports:list_export", args=["members-find"])).status_code
        == 403
    )


def test_the_anniversaries_and_the_branches_export_the_pages_rows_of_street_a(
    cast, make_member, branch_b, client_for, today
):
    ours = make_member("=周年", joined_probationary_on=date(2001, today.month, 1), phone="13812345678")
    make_member("育才周年", joined_probationary_on=date(2001, today.month, 1), branch=branch_b)
    street_a = client_for(cast.street_a)
    for kind, page in (
        ("members-anniversaries", "/members/anniversaries/"),
        ("members-branches", "/members/branches/"),
    ):
        shown = street_a.get(page).content.decode()
        assert f'data-export="{kind}"' in shown and "育才" not in shown, kind

    anniversaries = export(street_a, "members-anniversaries", f"?month={today.month}")
    assert anniversaries[0] == ["姓名", "党支部", "入党日期", "入党周年"]
    assert [(r[0], r[1], r[3]) for r in anniversaries[1:]] == [
        ("=周年", "桥楼社区第一党支部", today.year - 2001)
    ]
    branches = export(street_a, "members-branches")
    assert branches[0][:5] == ["党支部", "所在区域", "党员数", "平均完整度（%）", "低于 60%"]
    assert "缺手机号" in branches[0]
    assert [(r[0], r[1], r[2]) for r in branches[1:]] == [("桥楼社区第一党支部", "桥楼社区", 1)]
    cells = {str(c) for rows in (anniversaries, branches) for row in rows for c in row}
    assert not any(ours.id_number in c or "13812345678" in c for c in cells)  # neither ID nor phone
