"""积分台账 (/virtue/points/ledger/, docs/virtue.md "Points"): the officials' page of the ledger, and its 冲销
action — a required reason, through the API's service (`reverse_entry`), scoped like `/api/points/`: another
area's official gets 404 and nothing is written, one who only views gets 403, a line already reversed or an
exchange's line is not offered and refused again by the service. The list's queries do not grow with rows."""

import pytest

from grassroots.accounts.roles import Role
from grassroots.virtue import services_points as points
from grassroots.virtue.models import PointsEntry
from tests.factories import make_user
from tests.homes import open_home

LEDGER = "/virtue/points/ledger/"


def give(person, amount, source, area, reason="最美家庭"):
    return points.award_points(person, "award", source, area=area, reason=reason, points=amount)


@pytest.fixture
def lines(cast, tree):
    outsider = make_user("yucai", Role.RESIDENT, tree.community_b, home_area=tree.community_b)
    ours = give(cast.resident, 30, tree.city, tree.community_a)
    theirs = give(outsider, 40, tree.street_b, tree.community_b, reason="育才好人")
    return ours, theirs


def reverse_url(entry):
    return f"/virtue/points/{entry.pk}/reverse/"


def test_the_worker_reverses_a_line_with_its_reason(cast, tree, lines, client_for):
    ours, _theirs = lines
    client = client_for(cast.worker)
    page = client.get(LEDGER).content.decode()
    assert "最美家庭" in page and "育才好人" not in page
    assert f'data-reverse="{ours.pk}"' in page
    refused = client.post(reverse_url(ours), {"reason": "  "}, follow=True)
    assert "请填写冲销原因。" in refused.content.decode()
    assert not PointsEntry.objects.filter(reverses=ours).exists()
    done = client.post(reverse_url(ours), {"reason": "重复登记", "next": f"{LEDGER}?page=1"})
    assert done.status_code == 302 and done["Location"] == f"{LEDGER}?page=1"
    reversal = PointsEntry.objects.get(reverses=ours)
    assert (reversal.points, reversal.reason, reversal.created_by) == (-30, "重复登记", cast.worker)
    assert points.balance(cast.resident) == 0
    page = client.get(LEDGER).content.decode()
    assert f'data-reverse="{ours.pk}"' not in page and "已冲销" in page and "冲销记录" in page
    again = client.post(reverse_url(ours), {"reason": "再冲"}, follow=True)
    assert "这条积分已冲销。" in again.content.decode()
    assert PointsEntry.objects.filter(reverses=ours).count() == 1
    # the reversal itself is not offered, and not taken
    assert (
        "冲销记录不能再冲销"
        in client.post(reverse_url(reversal), {"reason": "x"}, follow=True).content.decode()
    )


def test_another_areas_official_cannot_reverse_and_a_viewer_may_not(cast, tree, lines, client_for):
    ours, theirs = lines
    other = client_for(cast.street_b)
    assert "最美家庭" not in other.get(LEDGER).content.decode()
    assert other.post(reverse_url(ours), {"reason": "越权"}).status_code == 404
    assert not PointsEntry.objects.filter(reverses=ours).exists()
    # their own street's line they may
    assert other.post(reverse_url(theirs), {"reason": "登记错误"}).status_code == 302
    assert PointsEntry.objects.filter(reverses=theirs).exists()
    auditor = client_for(cast.auditor)  # virtue.view, not virtue.manage
    page = auditor.get(LEDGER).content.decode()
    assert "最美家庭" in page and f'data-reverse="{ours.pk}"' not in page
    assert auditor.post(reverse_url(ours), {"reason": "审计"}).status_code == 403
    assert client_for(cast.resident).get(LEDGER).status_code == 403
    assert client_for(cast.resident).post(reverse_url(ours), {"reason": "自己"}).status_code == 403
    assert not PointsEntry.objects.filter(reverses=ours).exists()


def test_the_menu_leads_there_and_the_list_does_not_grow_in_queries(
    cast, tree, lines, client_for, django_assert_max_num_queries
):
    client = client_for(cast.street_a)
    assert f'href="{LEDGER}"' in open_home(client).content.decode()
    with django_assert_max_num_queries(14) as few:
        client.get(LEDGER)
    source = lines[0]
    for i in range(15):  # each line the deed of the next (one earning per deed)
        source = give(cast.resident, 5, source, tree.community_a, reason=f"志愿服务{i}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(LEDGER).content.decode()
    assert page.count("data-reverse=") == 16


def test_the_ledger_exports_the_lines_of_street_a(cast, tree, lines, client_for):
    from django.urls import reverse

    from tests.imports.helpers import read_xlsx

    give(cast.resident, 5, tree.street_a, tree.community_a, reason="=SUM(1)")
    client = client_for(cast.street_a)
    assert 'data-export="virtue-points-ledger"' in client.get(LEDGER).content.decode()
    response = client.post(reverse("imports:list_export", args=["virtue-points-ledger"]))
    rows = read_xlsx(b"".join(response.streaming_content))["积分台账"]
    assert rows[0] == ["时间", "人员", "区域", "类别", "事由", "积分", "冲销"]
    assert [(r[1], r[2], r[4], r[5]) for r in rows[1:]] == [
        ("resident", "桥楼社区", "=SUM(1)", 5),
        ("resident", "桥楼社区", "最美家庭", 30),
    ]  # newest first, the formula kept as text; none of street B's lines
