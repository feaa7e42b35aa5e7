"""Demo step `admission`: the community-affairs admission catalog of 雅安市 (affairs set by laws and
regulations, entered city-wide; two of 雨城区; one expired), and departments' requests for 东城街道 in every
state, taken through the real service and workflow steps (city official files for a city department, the
street official reviews, the county official approves or refuses)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from grassroots.areas.models import Area, Level
from grassroots.areas.subtree import under_q
from grassroots.core.admission.models import AdmissionRequest, AdmittedAffair, CarriedAffair, FundsTransfer
from grassroots.core.admission.services import (
    allot_from_street,
    allot_funds,
    confirm_funds_received,
    file_request,
    transfer_funds,
)
from grassroots.demo.registry import SeedContext, local_today, seed_step
from grassroots.workflow.services import transition

# name, legal basis, department, powers given with it, funds per community per year (yuan)
CITY_CATALOG = [
    (
        "社区党组织建设与党员管理服务",
        "《中国共产党支部工作条例（试行）》《中国共产党党员教育管理工作条例》",
        "中共雅安市委组织部",
        "党员发展对象推荐、组织关系转接初审、党员教育活动组织",
        "30000",
    ),
    (
        "城乡最低生活保障入户调查",
        "《社会救助暂行办法》第十一条",
        "雅安市民政局",
        "入户调查、邻里访问、出具调查意见",
        "12000",
    ),
    ("高龄津贴资格认证", "《四川省老年人权益保障条例》", "雅安市民政局", "上门认证、出具认证意见", "5000"),
    (
        "残疾人两项补贴初审",
        "《国务院关于全面建立困难残疾人生活补贴和重度残疾人护理补贴制度的意见》",
        "雅安市残疾人联合会",
        "受理申请、入户核实、初审",
        "6000",
    ),
    (
        "退役军人信息采集与服务保障",
        "《中华人民共和国退役军人保障法》",
        "雅安市退役军人事务局",
        "信息采集、走访慰问",
        "5000",
    ),
    (
        "社区网格化服务管理",
        "《中共中央 国务院关于加强基层治理体系和治理能力现代化建设的意见》",
        "中共雅安市委政法委员会",
        "网格事项采集、上报、督办",
        "20000",
    ),
    (
        "人民调解",
        "《中华人民共和国人民调解法》",
        "雅安市司法局",
        "受理调解申请、主持调解、出具调解协议",
        "10000",
    ),
    (
        "社区矫正协助",
        "《中华人民共和国社区矫正法》第十二条",
        "雅安市司法局",
        "日常走访、协助教育帮扶",
        "6000",
    ),
    (
        "城乡居民基本医疗保险参保登记",
        "《中华人民共和国社会保险法》",
        "雅安市医疗保障局",
        "参保登记受理、信息核对",
        "8000",
    ),
    (
        "就业困难人员认定初审",
        "《中华人民共和国就业促进法》第五十二条",
        "雅安市人力资源和社会保障局",
        "受理、初审",
        "6000",
    ),
    ("流动人口居住登记", "《居住证暂行条例》", "雅安市公安局", "信息采集、登记受理", "8000"),
    (
        "地质灾害群测群防与防汛避险",
        "《地质灾害防治条例》《中华人民共和国防洪法》",
        "雅安市应急管理局",
        "隐患巡查、预警转移组织",
        "15000",
    ),
    (
        "居民议事协商与居民公约制定",
        "《中华人民共和国城市居民委员会组织法》",
        "雅安市民政局",
        "组织议事协商、公约草案公示表决",
        "6000",
    ),
]
COUNTY_CATALOG = [
    (
        "老旧小区改造意见征集",
        "雨城区老旧小区改造实施方案",
        "雨城区住房和城乡建设局",
        "组织意见征集、公示",
        "5000",
    ),
    (
        "生活垃圾分类宣传督导",
        "《四川省生活垃圾分类管理办法》",
        "雨城区综合行政执法局",
        "宣传、督导、劝导",
        "4000",
    ),
]
EXPIRED = ("第七次全国人口普查入户登记", "《全国人口普查条例》", "雅安市统计局", "入户登记", "3000")

# Requests for 东城街道: (department, name, legal basis, justification, powers, funds, what happens)
REQUESTS = [
    (
        "雨城区文化广电旅游体育局",
        "全民健身活动组织",
        "《全民健身条例》",
        "社区是组织居民健身活动的主阵地。",
        "组织活动、管理健身场地",
        "6000",
        "approved",
    ),
    (
        "雨城区市场监督管理局",
        "食品安全宣传进社区",
        "《中华人民共和国食品安全法》第十条",
        "需社区协助开展宣传。",
        "组织宣传活动",
        "3000",
        "approved",
    ),
    (
        "雨城区统计局",
        "经济普查入户清查",
        "《全国经济普查条例》",
        "普查员不足，需社区承担入户清查。",
        "入户清查",
        "0",
        "refused_at_street",
    ),
    (
        "雨城区自然资源局",
        "违法占地巡查",
        "《中华人民共和国土地管理法》",
        "请社区协助巡查违法占地。",
        "巡查、报告",
        "2000",
        "refused",
    ),
    (
        "雨城区卫生健康局",
        "家庭医生签约服务宣传",
        "《基本医疗卫生与健康促进法》",
        "需社区动员居民签约。",
        "组织宣传、动员签约",
        "4000",
        "reviewed",
    ),
    (
        "雨城区教育局",
        "校外培训机构巡查",
        "《中华人民共和国教育法》",
        "请社区协助巡查。",
        "巡查、报告",
        "2000",
        "submitted",
    ),
    (
        "雨城区民族宗教事务局",
        "民族团结进步宣传",
        "《四川省民族团结进步条例》",
        "社区开展宣传最贴近群众。",
        "组织宣传",
        "3000",
        "submitted",
    ),
]
# The one request filed without funds gives its reason (费随事转 or a reason for the county to approve).
EXEMPTIONS = {"经济普查入户清查": "普查经费由统计部门直接支付普查员，不经社区拨付。"}
REFUSALS = {
    "refused_at_street": "属于部门法定职责，且未随事拨付经费，社区不具备承接条件。",
    "refused": "巡查执法属于部门职责，不宜下沉社区。",
}


def _affairs(rows, area, valid_from, *, valid_to=None):
    return [
        AdmittedAffair(
            area=area,
            name=name,
            legal_basis=basis,
            department=department,
            powers=powers,
            funds_per_community=Decimal(funds),
            valid_from=valid_from,
            valid_to=valid_to,
        )
        for name, basis, department, powers, funds in rows
    ]


@seed_step(order=400)
def admission(ctx: SeedContext) -> None:
    if ctx.city is None or AdmittedAffair.objects.filter(under_q(ctx.city.path)).exists():
        return  # idempotent
    today = local_today()
    since = date(today.year - 3, 1, 1)
    rows = _affairs(CITY_CATALOG, ctx.city, since)
    rows += _affairs([EXPIRED], ctx.city, date(today.year - 7, 1, 1), valid_to=date(today.year - 5, 12, 31))
    if ctx.places.get("county") is not None:
        rows += _affairs(COUNTY_CATALOG, ctx.places["county"], since)
    AdmittedAffair.objects.bulk_create(rows)
    users, street = ctx.users, ctx.places.get("street")
    filer, reviewer, approver = users.get("city"), users.get("street"), users.get("county")
    if street is None or None in (filer, reviewer, approver) or AdmissionRequest.objects.exists():
        return
    now = timezone.now()
    for i, (department, name, basis, why, powers, funds, outcome) in enumerate(REQUESTS):
        request = file_request(
            actor=filer,
            area=street,
            department=department,
            name=name,
            legal_basis=basis,
            justification=why,
            powers=powers,
            funds_per_community=Decimal(funds),
            exemption_reason=EXEMPTIONS.get(name, ""),
            valid_from=date(today.year, 1, 1),
            now=now - timedelta(days=60 - 7 * i + ctx.rng.randint(0, 3)),
        )
        if outcome == "refused_at_street":
            transition(request, "refuse_at_street", actor=reviewer, comment=REFUSALS[outcome])
        elif outcome in ("reviewed", "approved", "refused"):
            transition(
                request, "review", actor=reviewer, comment="经街道党工委会议研究，同意报县（区）审批。"
            )
            if outcome == "approved":
                transition(request, "approve", actor=approver, comment="同意纳入社区事务准入目录。")
            elif outcome == "refused":
                transition(request, "refuse", actor=approver, comment=REFUSALS[outcome])
    ctx.log(f"{AdmittedAffair.objects.count()} affairs, {AdmissionRequest.objects.count()} requests")


@seed_step(order=420)
def admission_funds(ctx: SeedContext) -> None:
    """The funds ledger (费随事转) of this year for the communities of the demo street that carry affairs (the
    duties step issued their tasks): the county official allots every one and transfers most; the demo
    community's secretary confirms receipt of most of its own, so that the figure "affairs without funds
    received" shows at every level."""
    users, street, community = ctx.users, ctx.places.get("street"), ctx.places.get("community")
    payer, receiver = users.get("county"), users.get("secretary")
    if None in (street, community, payer, receiver) or FundsTransfer.objects.exists():
        return
    today = local_today()
    carried = (
        CarriedAffair.objects.filter(under_q(street.path), year=today.year)
        .select_related("affair", "area")
        .order_by("area__path", "affair__name")
    )
    for i, row in enumerate(carried[:60]):
        entry = allot_funds(
            actor=payer,
            affair=row.affair,
            community=row.area,
            year=row.year,
            allotted_on=date(today.year, 1, 15),
            allot_document=f"雨财预〔{today.year}〕{i + 1}号",
        )
        if i % 5 == 4:
            continue  # allotted, not paid yet
        transfer_funds(
            entry,
            actor=payer,
            transferred_on=date(today.year, 2, 1) + timedelta(days=i % 20),
            transfer_document=f"国库支付凭证 {today.year}-{1000 + i}",
        )
        if row.area_id == community.pk and i % 3 != 2:
            confirm_funds_received(
                entry, actor=receiver, received_on=entry.transferred_on + timedelta(days=3)
            )
    _street_pooled(ctx, street, payer, today)
    ctx.log(f"{FundsTransfer.objects.count()} funds ledger entries")


def _street_pooled(ctx: SeedContext, street, payer, today) -> None:
    """街道统筹: one affair's funds of this year allotted to the demo street as a whole, paid, confirmed by
    the street official, and passed on to two of its communities (docs/admission.md)."""
    official = ctx.users.get("street")
    allotted = FundsTransfer.objects.filter(under_q(street.path), year=today.year).values("affair_id")
    affair = (
        AdmittedAffair.objects.valid_on(today)
        .filter(funds_per_community__gt=0)
        .exclude(pk__in=allotted)
        .order_by("name")
        .first()
    )
    if official is None or affair is None or not affair.covers(street):
        return
    source = allot_funds(
        actor=payer,
        affair=affair,
        community=street,
        year=today.year,
        allotted_on=date(today.year, 1, 20),
        allot_document=f"雨财预〔{today.year}〕统筹1号",
    )
    transfer_funds(
        source,
        actor=payer,
        transferred_on=date(today.year, 2, 10),
        transfer_document=f"国库支付凭证 {today.year}-0900",
    )
    confirm_funds_received(source, actor=official, received_on=date(today.year, 2, 14))
    communities = Area.objects.filter(under_q(street.path, "path"), level=Level.COMMUNITY, retired=False)
    allot_from_street(
        actor=official,
        source=source,
        communities=list(communities.order_by("path")[:2]),
        allotted_on=date(today.year, 2, 20),
        allot_document=f"{street.name}〔{today.year}〕8号",
    )
