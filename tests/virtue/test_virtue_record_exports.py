"""导出 Excel of a campaign's results (on its page, ?campaign=) and of the store keeper's page (积分商城管理:
its pick-up list and its goods) through the one list export: read back with openpyxl, the page's rows and
columns, formulas kept as text, audited, and none of another street's rows."""

import io
from datetime import timedelta

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from grassroots.accounts.roles import Role
from grassroots.audit.models import AuditEvent
from grassroots.virtue import services_campaigns as campaigns
from grassroots.virtue import services_points as points
from tests.factories import make_user
from tests.imports.helpers import read_xlsx
from tests.virtue.campaign_helpers import new_campaign, org_of, residents, to_vote


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def export(client, kind: str, query: str = ""):
    return client.post(reverse("imports:list_export", args=[kind]) + (f"?{query}" if query else ""))


def sheet(response, name: str) -> list[list]:
    assert response.status_code == 200, response
    content = b"".join(response.streaming_content)
    for row in load_workbook(io.BytesIO(content))[name].iter_rows(min_row=2):
        for cell in row:  # a value that would be a formula is text with the quote prefix
            if isinstance(cell.value, str) and cell.value.startswith("="):
                assert cell.data_type == "s" and cell.quotePrefix, cell.value
    return read_xlsx(content)[name]


RESULT_HEADER = ["评选名称", "候选编号", "被提名人或集体", "提名单位", "审查结果", "得票数", "名次", "结果"]


def test_a_campaigns_results(cast, tree, client_for, today):
    people = residents(tree)
    campaign, (a, b, _c) = to_vote(cast, tree, people, names=("=HYPERLINK(1)", "李师傅", "王老师"))
    for voter, picks in ((people.wang, [a, b]), (people.li, [a]), (people.zhao, [b])):
        campaigns.cast_vote(voter=voter, campaign=campaign, nominations=picks)
    later = campaign.vote.closes_at + timedelta(minutes=1)
    campaign = campaigns.start_publicity(actor=cast.worker, campaign=campaign, now=later)
    campaigns.award(actor=cast.worker, campaign=campaign, now=campaign.publicity_ends_at + timedelta(hours=1))
    other = new_campaign(cast, tree, actor=cast.street_b, area=tree.community_b, title="育才社区评选")
    theirs = campaigns.nominate(
        actor=cast.street_b,
        campaign=other,
        nominee="赵阿姨",
        reason="热心",
        nominating_org=org_of(tree.community_b),
    )

    street = client_for(cast.street_a)
    page = street.get(campaign.get_absolute_url()).content.decode()
    assert 'data-export="virtue-campaign-results"' in page
    rows = sheet(export(street, "virtue-campaign-results", f"campaign={campaign.pk}"), "评选结果")
    assert rows[0] == RESULT_HEADER
    assert [row[1:] for row in rows[1:]] == [
        [1, "=HYPERLINK(1)", "桥楼社区党委", "资格审查通过", 2, 1, "当选"],
        [2, "李师傅", "桥楼社区党委", "资格审查通过", 2, 1, "当选"],
        [3, "王老师", "桥楼社区党委", "资格审查通过", 0, 3, "未当选"],
    ]
    assert {row[0] for row in rows[1:]} == {campaign.title}
    assert not any("赵阿姨" in str(cell) for row in rows for cell in row)  # street B's rows are not there
    event = AuditEvent.objects.filter(kind="export").latest("pk")
    assert (event.user, event.count, event.unmasked) == (cast.street_a, 3, False)
    assert "评选结果" in event.what
    # a resident of the area exports the results as their page shows them
    mine = sheet(
        export(client_for(people.wang), "virtue-campaign-results", f"campaign={campaign.pk}"), "评选结果"
    )
    assert len(mine) == 4
    # another street's campaign, or none, is not there
    assert export(street, "virtue-campaign-results", f"campaign={other.pk}").status_code == 404
    assert export(street, "virtue-campaign-results").status_code == 404
    for outsider in (cast.street_b, people.outsider):
        assert (
            export(client_for(outsider), "virtue-campaign-results", f"campaign={campaign.pk}").status_code
            == 404
        )
    b_rows = sheet(
        export(client_for(cast.street_b), "virtue-campaign-results", f"campaign={other.pk}"), "评选结果"
    )
    assert [row[2] for row in b_rows[1:]] == [theirs.nominee]
    assert [row[6:] for row in b_rows[1:]] == [[None, "待审查"]]  # not counted: no votes, no rank


def test_the_store_keepers_exports(cast, tree, client_for, today):
    worker_b = make_user("worker_b", Role.COMMUNITY_WORKER, tree.community_b)
    resident_b = make_user("resident_b", Role.RESIDENT, tree.community_b, home_area=tree.community_b)
    ours = points.create_item(actor=cast.worker, area=tree.community_a, name="=SUM(A1)", price=5, stock=3)
    spare = points.create_item(actor=cast.worker, area=tree.community_a, name="大米", price=60, stock=0)
    theirs = points.create_item(actor=worker_b, area=tree.community_b, name="育才洗衣液", price=5, stock=3)
    for person, item, area in (
        (cast.resident, ours, tree.community_a),
        (resident_b, theirs, tree.community_b),
    ):
        points.award_points(person, "award", item, area=area, reason="评选获奖", points=20)
        points.exchange(person=person, item=item)

    worker = client_for(cast.worker)
    page = worker.get(reverse("virtue:store_admin")).content.decode()
    assert 'data-export="virtue-pickups"' in page and 'data-export="virtue-stock"' in page
    pickups = sheet(export(worker, "virtue-pickups"), "积分兑换待领取")
    assert pickups[0] == ["社区", "兑换人", "商品名称", "积分", "兑换时间", "状态"]
    assert [(r[0], r[1], r[2], r[3], r[5]) for r in pickups[1:]] == [
        ("桥楼社区", cast.resident.display_name, "=SUM(A1)", 5, "待领取")
    ]
    stock = sheet(export(worker, "virtue-stock"), "积分商城商品库存")
    assert stock[0] == ["社区", "商品名称", "兑换所需积分", "库存", "上架"]
    assert sorted(stock[1:]) == sorted(
        [["桥楼社区", "=SUM(A1)", 5, 2, "是"], ["桥楼社区", spare.name, 60, 0, "是"]]
    )
    for rows in (pickups, stock):  # street B's community is not there
        assert not any("育才" in str(cell) for row in rows for cell in row)
    events = AuditEvent.objects.filter(kind="export", user=cast.worker).order_by("pk")
    assert [e.count for e in events] == [1, 2] and "积分商城商品库存" in events.last().what
    # street B's keeper gets theirs only; a resident may not export; another street's area is 404
    b_rows = sheet(export(client_for(worker_b), "virtue-pickups"), "积分兑换待领取")
    assert [r[2] for r in b_rows[1:]] == ["育才洗衣液"]
    assert export(client_for(cast.resident), "virtue-stock").status_code == 403
    assert export(worker, "virtue-stock", f"area={tree.community_b.pk}").status_code == 404
