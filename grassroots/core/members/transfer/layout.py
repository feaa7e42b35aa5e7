"""The members workbook: one sheet "党员" with the columns below, used by the template, the importer and the
export alike (an unmasked export imports elsewhere unchanged). Headers and the words in choice columns are a
file format: they stay in Chinese whatever the interface language. A header may carry a note in brackets
("在职党员（是/否）" is the column 在职党员). See docs/members.md ("导入与导出")."""

from __future__ import annotations

import io
from dataclasses import dataclass

from openpyxl.worksheet.datavalidation import DataValidation

from grassroots.core.members.models import Education, Gender, MemberStatus
from grassroots.imports.xlsx import HELP_SHEET, SafeWorkbook, style_header

SHEET = "党员"


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    required: bool = False
    width: int = 12


COLUMNS = (
    Column("name", "姓名", True, 10),
    Column("gender", "性别", False, 6),
    Column("ethnicity", "民族", False, 8),
    Column("birth_date", "出生日期", False, 12),
    Column("id_number", "身份证号", True, 21),
    Column("phone", "手机号", False, 14),
    Column("education", "学历", False, 11),
    Column("occupation", "职业", False, 12),
    Column("work_unit", "工作单位", False, 22),
    Column("workplace", "所在新兴领域单位", False, 22),
    Column("in_service", "在职党员", False, 9),
    Column("home", "居住地址", False, 40),
    Column("branch", "所在党支部", True, 28),
    Column("joined_probationary_on", "入党时间", True, 12),
    Column("joined_full_on", "转正时间", False, 12),
    Column("status", "状态", False, 8),
    Column("tags", "标签", False, 24),
)
LABELS = [c.label for c in COLUMNS]
KEYS = [c.key for c in COLUMNS]

# Words of the choice columns (file format) → stored values, and back.
GENDER_WORDS = {"男": Gender.MALE, "女": Gender.FEMALE}
GENDER_NAMES = {value: word for word, value in GENDER_WORDS.items()}
EDUCATION_NAMES = {
    Education.PRIMARY: "小学及以下",
    Education.JUNIOR: "初中",
    Education.SENIOR: "高中、中专",
    Education.COLLEGE: "大专",
    Education.BACHELOR: "本科",
    Education.MASTER: "硕士",
    Education.DOCTOR: "博士",
}
EDUCATION_WORDS = {word: value for value, word in EDUCATION_NAMES.items()} | {
    "小学": Education.PRIMARY,
    "高中": Education.SENIOR,
    "中专": Education.SENIOR,
    "职高": Education.SENIOR,
    "技校": Education.SENIOR,
    "专科": Education.COLLEGE,
    "大学本科": Education.BACHELOR,
    "研究生": Education.MASTER,
}
STATUS_NAMES = {
    MemberStatus.NORMAL: "正常",
    MemberStatus.MOBILE: "流动",
    MemberStatus.LOST_CONTACT: "失联",
    MemberStatus.FOUND: "已找到",
    MemberStatus.TRANSFERRED_OUT: "已转出",
    MemberStatus.DECEASED: "已故",
    MemberStatus.LEFT: "已出党",
}
STATUS_WORDS = {word: value for value, word in STATUS_NAMES.items()} | {
    "流动党员": MemberStatus.MOBILE,
    "失去联系": MemberStatus.LOST_CONTACT,
    "去世": MemberStatus.DECEASED,
    "出党": MemberStatus.LEFT,
    "退党": MemberStatus.LEFT,
    "除名": MemberStatus.LEFT,
    "开除党籍": MemberStatus.LEFT,
}
YES_WORDS = {"是": True, "否": False, "Y": True, "N": False, "1": True, "0": False}
TAG_SEPARATORS = "、,，;；/ "

HELP_LINES = (
    "党员信息导入模板（导出的未脱敏文件使用相同格式，可以直接导入）",
    "",
    "每行一名党员。表头不要改动；表头后面可以带括号注释，如“在职党员（是/否）”。带底色的列必填。",
    "  姓名：必填，最多50字。",
    "  性别：男 / 女；可空，按身份证号第17位确定；填写时须与身份证号一致。",
    "  民族：如 汉族、彝族、藏族；可空，默认汉族。",
    "  出生日期：如 1980-01-01；可空，按身份证号确定；填写时须与身份证号一致。",
    "  身份证号：必填，18位，末位为数字或X，校验位须正确。同一身份证号在文件中只能出现一次，",
    "        系统中已有档案的党员不能再导入（请办理组织关系转接）。",
    "  手机号：11位手机号码，可空。",
    "  学历：小学及以下、初中、高中、中专、大专、本科、硕士、博士（研究生按硕士），可空。",
    "  职业、工作单位：可空，最多50字、100字。",
    "  所在新兴领域单位：在联合建立党组织的新兴领域单位工作的，填写该单位的全称",
    "        （与“新兴领域单位”中的名称一致），须在您的管辖范围内；单位的党员数按此统计。可空。",
    "  在职党员：是 / 否，可空（默认否）。",
    "  居住地址：院落、小区或楼栋，两种写法任选其一：",
    "        ① 名称路径，从社区（村）写到院落、小区或楼栋，用“/”分隔，如 桥楼社区/第一网格/一号院落/1栋；",
    "           社区重名时在前面加上街道（乡镇），如 青江街道/桥楼社区/第一网格/一号院落；",
    "        ② 区域编号（纯数字，即区域导出文件中的“编号”）。须在您的管辖范围内；可空。",
    "  所在党支部：必填，党支部的组织编码或全称，须是您管辖范围内的党支部（不能是党委、党总支或党小组）；",
    "        全称重名时请填写组织编码。",
    "  入党时间：必填，成为预备党员的日期，如 2005-07-01；入党时应年满18周岁，不能晚于今天。",
    "  转正时间：成为正式党员的日期，预备党员不填；不能早于入党时间。",
    "  状态：正常、流动、失联、已找到、已转出、已故，可空（默认正常）。",
    "  标签：标签或专业技能，多个用顿号或逗号分隔，如 老党员、法律；系统中没有的标签会作为画像标签新建。",
    "",
    "日期可以写成 1980-01-01、1980/1/1、1980.1.1、19800101 或 1980年1月1日，也可以使用 Excel 日期格式。",
    "",
    "先校验每一行：只要有一行出错，整个文件都不会写入，页面列出每个错误的行号、列和原因，并提供“被拒绝的行”",
    "下载（含错误原因，改正后可直接重新上传）。全部正确时一次性写入：要么全部写入，要么全部不写入。",
    "大文件在后台处理，页面显示进度；一个文件最多约10万行。",
)


TEXT_ROWS = 2000  # rows of the template whose ID and phone cells are formatted as text


def template_workbook() -> bytes:
    """The empty sheet with its header and drop-down lists, and the instructions sheet (ignored by the
    importer)."""
    wb = SafeWorkbook()
    ws = wb.active
    ws.title = SHEET
    ws.append(LABELS)
    style_header(ws, LABELS, {c.label for c in COLUMNS if c.required}, {c.label: c.width for c in COLUMNS})
    for key, words in (
        ("gender", list(GENDER_WORDS)),
        ("education", list(EDUCATION_NAMES.values())),
        ("in_service", ["是", "否"]),
        ("status", list(STATUS_NAMES.values())),
    ):
        letter = ws.cell(row=1, column=KEYS.index(key) + 1).column_letter
        check = DataValidation(type="list", formula1='"' + ",".join(words) + '"', allow_blank=True)
        check.add(f"{letter}2:{letter}100001")
        ws.add_data_validation(check)
    # ID and phone numbers are text: typed as numbers, an 18-digit ID loses its last digits (Excel keeps 15).
    # The column's style covers what Excel adds; the first rows' cells carry it too, for programs that
    # ignore column styles.
    for key in ("id_number", "phone"):
        column = KEYS.index(key) + 1
        ws.column_dimensions[ws.cell(row=1, column=column).column_letter].number_format = "@"
        for row in range(2, TEXT_ROWS + 2):
            ws.cell(row=row, column=column).number_format = "@"
    for key in ("birth_date", "joined_probationary_on", "joined_full_on"):
        ws.column_dimensions[
            ws.cell(row=1, column=KEYS.index(key) + 1).column_letter
        ].number_format = "yyyy-mm-dd"
    help_sheet = wb.create_sheet(HELP_SHEET)
    help_sheet.column_dimensions["A"].width = 110
    for line in HELP_LINES:
        help_sheet.append([line])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
