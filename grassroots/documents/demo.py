"""Demo step `documents`: 雅安市's guidance standards for Party building in streets and communities (two
versions: the first superseded by the second, so that the diff shows something) and the handbook for new
community secretaries, both written for the demo (their titles say so), taken through the real services."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from grassroots.areas.models import Level
from grassroots.demo.registry import SeedContext, seed_step
from grassroots.documents.models import Document, Kind
from grassroots.documents.services import create_document, publish, save_draft, start_draft

DEMO = "（演示文本）"

STANDARD_V1 = [
    (
        "1",
        "组织建设",
        [
            "街道党工委、社区党组织班子健全，书记由政治素质好、群众认可的党员担任。",
            "社区党组织按期换届，换届前报街道党工委审核。",
            "网格（院落）党支部或党小组应建尽建，每个网格明确一名党员联系人。",
        ],
    ),
    (
        "2",
        "阵地建设",
        [
            "社区党群服务中心面积不少于 300 平方米，挂牌规范，开放时间公示。",
            "党群服务中心设置党员活动室、议事协商室和便民服务窗口。",
        ],
    ),
    (
        "3",
        "组织生活",
        [
            "每月固定一天开展主题党日。",
            "“三会一课”按规定频次召开，会前备案、会后报告（“三单制”）。",
            "每年至少开展一次民主评议党员。",
        ],
    ),
    (
        "4",
        "服务群众",
        [
            "社区事务实行准入制，未经准入的事项不由社区承担。",
            "党员干部每月走访联系群众，困难党员、老党员节日必访。",
        ],
    ),
]
# Version 2 changes 2.1 and 3.2, drops 2.2 and adds 4.3 and chapter 5.
STANDARD_V2 = [
    STANDARD_V1[0],
    (
        "2",
        "阵地建设",
        [
            "社区党群服务中心面积一般不少于 300 平方米（老旧城区不少于 200 平方米），"
            "挂牌规范，开放时间公示。",
        ],
    ),
    (
        "3",
        "组织生活",
        [
            "每月固定一天开展主题党日。",
            "“三会一课”按规定频次召开，会前备案、会后报告（“三单制”），记录完整可查。",
            "每年至少开展一次民主评议党员。",
        ],
    ),
    (
        "4",
        "服务群众",
        [
            *STANDARD_V1[3][2],
            "驻区单位与社区签订共建协议，每年梳理双向服务事项清单。",
        ],
    ),
    (
        "5",
        "督察与考核",
        [
            "街道党工委每半年对社区党组织开展一次工作督察，发现问题列入整改清单。",
            "本标准各条作为年度党建考核的依据。",
        ],
    ),
]

HANDBOOK = [
    (
        "1",
        "上任第一个月",
        [
            ("熟悉辖区：查看社区下属网格、院落和党组织设置。", "areas:tree"),
            ("核对党员名册，了解流动党员和失联党员情况。", "members:list"),
            ("阅读街道下发的任务清单，明确本年度重点工作。", "duties:task_list"),
        ],
    ),
    (
        "2",
        "组织生活怎么开",
        [
            ("每月初在“三单制”中填写备案单，写明会议时间、议题和参加人员。", "orglife:compliance"),
            ("会议召开后一周内填写报告单，上传会议记录和照片。", "orglife:worklist"),
            ("会议通知、签到和考勤在会议活动中办理。", "gatherings:list"),
        ],
    ),
    (
        "3",
        "社区事务准入",
        [
            ("收到部门交办事项时，先查准入目录；目录外的事项可以拒绝。", "admission:catalog"),
        ],
    ),
    (
        "4",
        "督察与整改",
        [
            ("上级督察发现的问题在整改清单中办理，按期报告整改情况。", "assessments:finding_list"),
            ("年底按要求撰写党建述职报告。", "assessments:report_list"),
        ],
    ),
]


def _body(chapters, *, links=False):
    body = []
    for number, title, items in chapters:
        rows = []
        for i, item in enumerate(items, start=1):
            text, link = item if links else (item, "")
            rows.append({"number": f"{number}.{i}", "text": text, "link": link})
        body.append({"number": number, "title": title, "items": rows})
    return body


@seed_step(order=420)
def documents(ctx: SeedContext) -> None:
    city, author = ctx.city, ctx.users.get("city")
    if city is None or author is None or Document.objects.filter(area=city).exists():
        return  # idempotent
    now = timezone.now()
    levels = [Level.STREET, Level.COMMUNITY]
    draft = create_document(
        actor=author,
        area=city,
        kind=Kind.STANDARD,
        title=f"雅安市街道社区党建工作指导标准{DEMO}",
        applies_to=levels,
        note="首次发布。",
    )
    save_draft(actor=author, version=draft, body=_body(STANDARD_V1))
    publish(actor=author, version=draft, now=now - timedelta(days=400))
    second = start_draft(actor=author, document=draft.document, note="调整阵地面积要求，增加督察与考核一章。")
    save_draft(actor=author, version=second, body=_body(STANDARD_V2))
    publish(actor=author, version=second, now=now - timedelta(days=30))
    handbook = create_document(
        actor=author,
        area=city,
        kind=Kind.HANDBOOK,
        title=f"新任社区党组织书记工作手册{DEMO}",
        applies_to=[Level.COMMUNITY],
        note="供新任社区书记上任时阅读。",
    )
    save_draft(actor=author, version=handbook, body=_body(HANDBOOK, links=True))
    publish(actor=author, version=handbook, now=now - timedelta(days=60))
    ctx.log(f"{Document.objects.count()} documents")
