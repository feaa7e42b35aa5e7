"""Property: whatever workbook is uploaded to an import, the job ends `done` with every row written, or
`rejected` with a message for each problem and nothing written — never `failed` on an internal error, never
an exception, never part of a file. Through `start_import`, the path of the upload pages and the API."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import event, given
from hypothesis import strategies as st

from grassroots.core.members.transfer.layout import LABELS
from grassroots.imports.runner import start_import
from tests.areas.conftest import AREA_HEADER, ORG_HEADER
from tests.factories import make_party_org
from tests.imports.helpers import build_xlsx
from tests.properties.strategies import (
    BOUNDED,
    cell,
    corrupted,
    dates,
    id_numbers,
    rolled_back,
    row_counts,
    texts,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def upload(content: bytes, name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=XLSX)


def check_outcome(job, before: dict[str, int], written: set[str]) -> None:
    """done: the rows are written (only in the `written` tables); rejected: a message per problem, nothing
    written."""
    event(job.status)
    after = row_counts()
    changed = {label for label in after if after[label] != before[label]}
    assert job.status in ("done", "rejected"), (job.status, job.errors)
    if job.status == "rejected":
        assert job.errors and all(str(e.get("message", "")).strip() for e in job.errors), job.errors
        assert not changed, f"a rejected file wrote into {changed}"
    else:
        assert changed <= written, f"wrote into {changed - written}"


MEMBER_CELLS = {
    "姓名": cell("张三", "欧阳娜娜", texts.filter(bool)),
    "性别": cell("男", "女"),
    "民族": cell("汉族", "彝族"),
    "出生日期": cell(dates),
    "身份证号": cell(id_numbers()),
    "手机号": cell("13812345678", "1381234567", st.from_regex(r"1[3-9]\d{9}", fullmatch=True)),
    "学历": cell("本科", "研究生", "博士后"),
    "职业": cell("教师"),
    "工作单位": cell("雅安市第一中学"),
    "所在新兴领域单位": cell("快递驿站", "不存在的单位"),
    "在职党员": cell("是", "否", "Y"),
    "居住地址": cell("桥楼社区/第一网格/一号院落", "育才社区", "桥楼社区/不存在"),
    "所在党支部": cell("第一网格党支部", "QL-B1", "育才社区党支部", "桥楼社区党委"),
    "入党时间": cell(dates),
    "转正时间": cell(dates),
    "状态": cell("正常", "流动", "已故", "开除"),
    "标签": cell("老党员、法律", "、、"),
}


@st.composite
def right_member_row(draw):
    number = draw(id_numbers(latest=date(1990, 12, 31)))
    born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    joined = born.replace(year=born.year + 25, day=min(born.day, 28))
    values = {
        "姓名": draw(st.sampled_from(["张三", "李四", "欧阳娜娜"])),
        "身份证号": number,
        "所在党支部": draw(st.sampled_from(["第一网格党支部", "QL-B1"])),
        "入党时间": joined.isoformat(),
        "转正时间": joined.replace(year=joined.year + 1).isoformat(),
        "手机号": "13812345678",
        "学历": "本科",
    }
    return [values.get(label) for label in LABELS]


member_files = corrupted(
    st.lists(right_member_row(), min_size=1, max_size=4), [MEMBER_CELLS[label] for label in LABELS]
)


@pytest.fixture
def member_branches(tree, cast):
    street = make_party_org("青江街道党工委", tree.street_a, kind="committee")
    community = make_party_org("桥楼社区党委", tree.community_a, kind="committee", parent=street)
    branch = make_party_org("第一网格党支部", tree.grid_a, parent=community)
    branch.code = "QL-B1"
    branch.save()
    make_party_org("育才社区党支部", tree.community_b)  # street B's: outside street_a's scope
    return branch


@BOUNDED
@given(rows=member_files, shuffled_header=st.booleans())
def test_a_members_workbook_is_written_whole_or_refused_with_reasons(
    member_branches, cast, rows, shuffled_header
):
    header = list(reversed(LABELS)) if shuffled_header else LABELS
    body = [list(reversed(r)) for r in rows] if shuffled_header else rows
    with rolled_back():
        before = row_counts()
        job = start_import(
            kind="members",
            file=upload(build_xlsx({"党员": [header, *body]}), "党员.xlsx"),
            actor=cast.street_a,
        )
        check_outcome(
            job,
            before,
            {"members.Member", "members.MemberTag", "members.Member_tags", "members.NameCharacter"},
        )
        if job.status == "done":
            assert job.counts["members"] == len(rows)


AREA_LEVELS = ["社区", "网格", "院落", "小区", "楼栋", "街道", "市", "村"]


AREA_CELLS = [
    cell("W1", "W2", "Y1"),  # 编号
    cell("新华社区", "新华第一网格", texts.filter(bool)),  # 名称
    cell(*AREA_LEVELS),  # 层级
    cell("511802001002", "511802001001", "511802002001"),  # 区划代码
    cell("W1", "W2", "Y1"),  # 上级编号
    cell("511802001", "511802001001", "511802002", "511802001002"),  # 上级区划代码
]
ORG_CELLS = [
    cell("P1", "P2"),  # 编号
    cell("新华社区党委", "新华第一网格党支部", texts.filter(bool)),  # 名称
    cell("党委", "党支部", "党小组", "党总支", "支部"),  # 类型
    cell("XH-01", "QJ-00"),  # 组织编码
    cell("W1", "Y1"),  # 所在区域编号
    cell("511802001001", "511802002001", "511802001002"),  # 所在区域区划代码
    cell("P1", "P2"),  # 上级组织编号
    cell("QJ-00", "XH-01"),  # 上级组织编码
    cell("secretary", "worker", "street_b", "nobody"),  # 书记用户名
]
# A right file: a community under street A (by its code) with a grid under it (by its key), and their
# Party organizations; the corrupted strategy then spoils a few cells.
RIGHT_AREAS = [
    [None, "新华社区", "社区", "511802001002", None, "511802001"],
    ["W1", "新华第一网格", "网格", None, None, "511802001002"],
    [None, "幸福院落", "院落", None, "W1", None],
]
RIGHT_ORGS = [
    ["P1", "新华社区党委", "党委", "XH-01", None, "511802001002", None, "QJ-00", "secretary"],
    [None, "新华第一网格党支部", "党支部", None, "W1", None, "P1", None, None],
]
area_files = corrupted(
    st.lists(st.sampled_from(RIGHT_AREAS), max_size=3, unique_by=lambda r: r[1]).map(
        lambda rows: sorted(rows, key=RIGHT_AREAS.index)
    ),
    AREA_CELLS,
)
org_files = corrupted(
    st.lists(st.sampled_from(RIGHT_ORGS), max_size=2, unique_by=lambda r: r[1]).map(
        lambda rows: sorted(rows, key=RIGHT_ORGS.index)
    ),
    ORG_CELLS,
)


@pytest.fixture
def street_org(tree):
    street = make_party_org("青江街道党工委", tree.street_a, kind="committee")
    street.code = "QJ-00"
    street.save()
    return street


@BOUNDED
@given(
    areas=area_files,
    orgs=org_files,
)
def test_an_areas_workbook_is_written_whole_or_refused_with_reasons(street_org, cast, areas, orgs):
    with rolled_back():
        before = row_counts()
        content = build_xlsx({"区域": [AREA_HEADER, *areas], "党组织": [ORG_HEADER, *orgs]})
        job = start_import(kind="areas", file=upload(content, "区域.xlsx"), actor=cast.street_a)
        check_outcome(job, before, {"areas.Area", "areas.PartyOrg"})


@BOUNDED
@given(
    kind=st.sampled_from(["members", "areas"]),
    content=st.one_of(
        st.binary(max_size=200),
        st.just(b"PK\x03\x04" + b"\x00" * 40),  # the start of a zip, cut short
        st.just(build_xlsx({"党员": [[]]})),
        st.just(build_xlsx({"别的表": [["a", "b"], [1, 2]]})),
        st.just(build_xlsx({"党员": [], "区域": []})),
        st.just(b"<html><script>alert(1)</script></html>"),
    ),
)
def test_a_file_that_is_no_workbook_of_the_kind_is_refused_with_a_message(
    member_branches, cast, kind, content
):
    with rolled_back():
        before = row_counts()
        job = start_import(kind=kind, file=upload(content, "x.xlsx"), actor=cast.street_a)
        check_outcome(job, before, set())
        assert job.status == "rejected" or (kind == "areas" and job.counts == {"areas": 0, "orgs": 0})


def test_the_strategies_reach_both_outcomes(member_branches, cast):
    """The generator is not so wild that every file is refused: a right row is written."""
    from tests.imports.helpers import id_number, row

    content = build_xlsx({"党员": [LABELS, row("张三", id_number(), "第一网格党支部")]})
    with rolled_back():
        job = start_import(kind="members", file=upload(content, "党员.xlsx"), actor=cast.street_a)
        assert job.status == "done", job.errors
