"""xlsx import of members: a good file writes every row with the right fields (ID and phone encrypted); a
file with any bad row writes nothing and returns exactly the bad rows with their reasons in Chinese;
duplicates inside the file and against the database; branches and homes outside the importer's scope;
the job's pages in scope only. Real workbooks, real database, the real runner."""

from __future__ import annotations

import io
from datetime import date
from types import SimpleNamespace

import pytest
from django.db import connection
from django.urls import reverse
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from grassroots.core.members.models import Member, MemberTag
from grassroots.core.members.services.imports import start_member_import
from grassroots.imports.models import ImportJob
from tests.coverage.conftest import make_entity
from tests.factories import Level, make_area, make_party_org
from tests.imports.conftest import uploads_in_tmp  # noqa: F401
from tests.imports.helpers import (
    HEADER,
    bad_check_digit,
    id_number,
    members_xlsx,
    read_xlsx,
    row,
    upload,
)


@pytest.fixture
def orgs(tree):
    general = make_party_org("桥楼社区党总支", tree.community_a, kind="general_branch")
    branch = make_party_org("桥楼社区第一党支部", tree.community_a, parent=general)
    branch.code = "QL-01"
    branch.save()
    grid_branch = make_party_org("第一网格党支部", tree.grid_a, parent=general)
    branch_b = make_party_org("育才社区党支部", tree.community_b)
    branch_b.code = "YC-01"
    branch_b.save()
    return SimpleNamespace(general=general, branch=branch, grid_branch=grid_branch, branch_b=branch_b)


@pytest.fixture
def building(tree):
    return make_area("1栋", Level.BUILDING, tree.courtyard_a)


def run(rows: list[list], actor) -> ImportJob:
    return start_member_import(file=upload(members_xlsx(rows)), actor=actor)


def errors_of(job: ImportJob) -> dict[tuple[int, str], str]:
    return {(e["row"], e["column"]): e["message"] for e in job.errors}


def test_a_good_file_writes_every_member_with_its_fields(cast, tree, orgs, building):
    MemberTag.objects.create(name="老党员", kind="tag")
    n1, n2, n3 = id_number(date(1950, 3, 9)), id_number(date(1985, 12, 1), male=False), id_number()
    job = run(
        [
            row(
                "张三", n1, "QL-01", home="桥楼社区/第一网格/一号院落/1栋", tags="老党员、法律", status="流动"
            ),
            row(
                "李梅",
                n2.lower(),
                "第一网格党支部",
                home=str(tree.courtyard_a.pk),
                gender="女",
                birth=date(1985, 12, 1),
                joined=date(2010, 7, 1),
                full=None,
                in_service="是",
                education="研究生",
                phone="138 0000 1111",
            ),
            row(
                "王五",
                n3,
                "桥楼社区第一党支部",
                home="青江街道/桥楼社区/第一网格/一号院落",
                phone=None,
                education=None,
            ),
        ],
        cast.street_a,
    )
    assert job.status == ImportJob.Status.DONE, job.errors
    assert job.counts == {"members": 3, "tags_created": 1, "tag_links": 2}
    assert (job.total_rows, job.processed_rows, job.error_count) == (3, 3, 0)

    zhang = Member.objects.get(name="张三")
    assert zhang.id_number == n1 and zhang.branch == orgs.branch and zhang.home_area == building
    assert (zhang.gender, zhang.birth_date, zhang.status) == ("male", date(1950, 3, 9), "mobile")
    assert zhang.id_masked == n1[:4] + "*" * 10 + n1[-4:] and zhang.phone_masked == "138****5678"
    assert zhang.pinyin_initials == "zs" and zhang.completeness == 100
    assert sorted(t.name for t in zhang.tags.all()) == ["法律", "老党员"]
    assert MemberTag.objects.get(name="法律").kind == "tag"  # a new tag is a profile tag

    li = Member.objects.get(name="李梅")
    assert li.id_number == n2.upper() and li.gender == "female" and li.branch == orgs.grid_branch
    assert li.home_area == tree.courtyard_a and li.in_service and li.education == "master"
    assert li.joined_full_on is None and li.is_probationary and li.phone == "13800001111"

    wang = Member.objects.get(name="王五")
    assert wang.home_area == tree.courtyard_a and wang.phone in ("", None) and wang.education == ""
    assert wang.completeness < 100

    with connection.cursor() as cursor:  # stored encrypted, found by the keyed hash
        cursor.execute("SELECT id_number, phone FROM members_member WHERE id = %s", [zhang.pk])
        raw_id, raw_phone = cursor.fetchone()
    assert n1 not in raw_id and "13812345678" not in raw_phone
    assert Member.objects.get(id_hash=zhang.id_hash) == zhang


def test_an_imported_member_is_stored_as_saving_it_would_store_it(cast, tree, orgs, building):
    """The importer builds no record per row: a row's values go over a new record's defaults and
    `derive()` adds the derived fields. What is stored is what `save()` of the same record stores."""
    full, probationary = id_number(date(1960, 5, 4)), id_number(date(1990, 1, 2), male=False)
    job = run(
        [
            row("欧阳明", full, "QL-01", home="桥楼社区/第一网格/一号院落/1栋", education="本科"),
            row(
                "李娜",
                probationary.lower(),
                "QL-01",
                joined="2010-07-01",
                full=None,
                phone=None,
                education=None,
            ),
        ],
        cast.street_a,
    )
    assert job.status == ImportJob.Status.DONE, job.errors
    derived = ("id_number", "id_hash", "id_masked", "phone_masked", "pinyin_initials", "completeness")
    defaults = ("mobile_location", "mobile_work", "dues_monthly", "user_id", "status")
    for member in Member.objects.filter(name__in=["欧阳明", "李娜"]):
        again = Member(**{f.attname: getattr(member, f.attname) for f in Member._meta.concrete_fields})
        for name in ("id_hash", "id_masked", "phone_masked", "pinyin_initials"):
            setattr(again, name, "")
        again.completeness = -1
        again.fill_derived()
        assert [getattr(member, n) for n in derived] == [getattr(again, n) for n in derived]
        assert [getattr(member, n) for n in defaults] == ["", "", 0, None, "normal"]
        assert member.status_changed_at is not None and member.created_at is not None
        assert member.updated_at == member.created_at  # auto_now and auto_now_add, as bulk_create sets them
    assert Member.objects.get(name="欧阳明").pinyin_initials == "oym"
    li = Member.objects.get(name="李娜")
    assert li.id_number == probationary.upper() and li.completeness == 50  # 3 of 6


def test_a_file_with_bad_rows_writes_nothing_and_returns_exactly_those_rows(cast, orgs, client_for):
    good = [row(f"党员{i}", id_number(), "QL-01") for i in range(4)]
    duplicated = id_number()
    bad = [
        row("错校验位", bad_check_digit(id_number()), "QL-01"),  # row 3
        row(None, id_number(), "QL-01"),  # row 5: name missing
        row("日期错", id_number(), "QL-01", joined="2005-13-45", full="去年"),  # row 7
        row("外街道", duplicated, "YC-01"),  # row 8: branch of street B
        row("重复", duplicated, "QL-01", tags="新标签"),  # row 9: the same ID number as row 8
        row("党总支", id_number(), "桥楼社区党总支", gender="女"),  # row 10: not a branch; gender vs ID
    ]
    rows = [good[0], bad[0], good[1], bad[1], good[2], bad[2], bad[3], bad[4], bad[5], good[3]]
    job = run(rows, cast.street_a)

    assert job.status == ImportJob.Status.REJECTED
    assert not Member.objects.exists() and not MemberTag.objects.filter(name="新标签").exists()
    errors = errors_of(job)
    assert errors[(3, "身份证号")] == "身份证号校验位不正确，请核对。"
    assert errors[(5, "姓名")] == "此项必填"
    assert errors[(7, "入党时间")] == "不是有效的日期"
    assert errors[(7, "转正时间")] == "日期格式不正确，请填写如 1980-01-01"
    assert errors[(8, "所在党支部")].startswith("找不到该党支部，或不在您的管辖范围内")
    assert errors[(9, "身份证号")] == "身份证号重复：第 8 行和第 9 行"
    assert errors[(10, "所在党支部")] == "“桥楼社区党总支”是党总支，党员须编入党支部"
    assert errors[(10, "性别")] == "与身份证号不符（按身份证号应为“男”）"
    assert {r for r, _c in errors} == {3, 5, 7, 8, 9, 10} and job.error_count == 8

    client = client_for(cast.street_a)
    page = client.get(reverse("imports:detail", args=[job.pk])).content.decode()
    assert "发现 8 个错误，文件中的任何数据都没有写入" in page and "身份证号重复：第 8 行和第 9 行" in page
    response = client.get(reverse("imports:rejected", args=[job.pk]))
    assert response.status_code == 200
    sheet = read_xlsx(b"".join(response.streaming_content))["党员"]
    assert sheet[0] == ["原行号", *HEADER, "错误原因"]
    assert [r[0] for r in sheet[1:]] == [3, 5, 7, 8, 9, 10]  # exactly the bad rows, in file order
    by_row = {r[0]: r for r in sheet[1:]}
    assert by_row[3][1] == "错校验位" and by_row[3][5] == rows[1][4]  # the row as uploaded
    assert by_row[7][-1] == "入党时间：不是有效的日期；转正时间：日期格式不正确，请填写如 1980-01-01"
    assert by_row[10][-1] == (
        "性别：与身份证号不符（按身份证号应为“男”）；所在党支部：“桥楼社区党总支”是党总支，党员须编入党支部"
    )


def test_duplicates_against_the_database_are_refused(cast, orgs):
    first = run([row("张三", id_number(), "QL-01")], cast.street_a)
    existing = Member.objects.get()
    again = run(
        [row("张三", existing.id_number.lower(), "第一网格党支部"), row("李四", id_number(), "QL-01")],
        cast.street_a,
    )
    assert first.status == "done" and again.status == "rejected"
    assert errors_of(again) == {
        (2, "身份证号"): f"系统中已有该身份证号的党员档案（档案编号 {existing.pk}），不能重复导入；"
        "如需调入，请办理组织关系转接"
    }
    assert Member.objects.count() == 1


def test_a_duplicate_outside_the_importers_view_does_not_reveal_where_it_is(cast, orgs):
    number = id_number()
    assert run([row("张三", number, "YC-01")], cast.street_b).status == "done"
    job = run([row("张三", number, "QL-01")], cast.street_a)
    assert errors_of(job) == {
        (
            2,
            "身份证号",
        ): "系统中已有该身份证号的党员档案，不能重复导入；如需调入，请联系其所在党组织办理组织关系转接"
    }


def test_branches_and_homes_outside_the_importers_scope_are_refused(cast, tree, orgs, building):
    home_b = make_area("育才院落", Level.COURTYARD, tree.community_b)
    rows = [
        row("甲", id_number(), "育才社区党支部"),  # a branch of street B, by name
        row("乙", id_number(), "QL-01", home="育才社区/育才院落"),  # a home in street B
        row("丙", id_number(), "QL-01", home=str(home_b.pk)),  # the same, by id
        row("丁", id_number(), "QL-01", home="桥楼社区/第一网格"),  # a grid is not a home
        row("戊", id_number(), "QL-01", home="桥楼社区/第二网格/一号院落"),  # no such place
    ]
    job = run(rows, cast.secretary)  # community secretary of 桥楼社区
    errors = errors_of(job)
    assert errors[(2, "所在党支部")].startswith("找不到该党支部，或不在您的管辖范围内")
    assert (
        errors[(3, "居住地址")]
        == errors[(4, "居住地址")]
        == errors[(6, "居住地址")]
        == ("找不到该地址，或不在您的管辖范围内")
    )
    assert errors[(5, "居住地址")] == "居住地址须是院落、小区或楼栋（这是网格）"
    # the same file by a city official: everything is in scope but the grid
    job = run(rows[:3], cast.city)
    assert job.status == "done" and Member.objects.get(name="乙").home_area == home_b


def test_the_workplace_is_an_entity_in_the_importers_scope_named_by_its_name(cast, tree, orgs):
    joint = make_entity("汇通物流", tree.community_a, status="joint")
    make_entity("东城商贸", tree.community_b)  # street B
    make_entity("顺达超市", tree.community_a)
    make_entity("顺达超市", tree.grid_a)  # two of that name in scope
    good = [row("甲", id_number(), "QL-01", workplace="汇通物流"), row("乙", id_number(), "QL-01")]
    bad = [
        row("丙", id_number(), "QL-01", workplace="东城商贸"),
        row("丁", id_number(), "QL-01", workplace="没有这家"),
        row("戊", id_number(), "QL-01", workplace="顺达超市"),
    ]
    job = run(good + bad, cast.secretary)  # community secretary of 桥楼社区
    assert job.status != "done" and not Member.objects.exists()  # nothing written
    not_found = "找不到该新兴领域单位，或不在您的管辖范围内（请填写单位全称）"
    assert errors_of(job) == {
        (4, "所在新兴领域单位"): not_found,
        (5, "所在新兴领域单位"): not_found,
        (6, "所在新兴领域单位"): (
            "您的管辖范围内有多个新兴领域单位叫这个名称，无法确定是哪一个；请先在“新兴领域单位”中区分它们的名称"
        ),
    }
    job = run(good, cast.secretary)
    assert job.status == "done", job.errors
    assert dict(Member.objects.values_list("name", "workplace")) == {"甲": joint.pk, "乙": None}


def test_an_ambiguous_name_asks_for_the_code_or_the_street(cast, tree, orgs):
    make_party_org("桥楼社区第一党支部", tree.grid_a)  # a second branch with the same name
    other = make_area("桥楼社区", Level.COMMUNITY, tree.street_b)  # the same community name in street B
    make_area("一号院落", Level.COURTYARD, make_area("第一网格", Level.GRID, other))
    rows = [
        row("甲", id_number(), "桥楼社区第一党支部"),
        row("乙", id_number(), "QL-01", home="桥楼社区/第一网格/一号院落"),
        row("丙", id_number(), "QL-01", home="青江街道/桥楼社区/第一网格/一号院落"),
    ]
    errors = errors_of(run(rows, cast.city))
    assert errors == {
        (2, "所在党支部"): "有多个党组织叫这个名称，请填写组织编码",
        (3, "居住地址"): "有多处地址符合，请在前面加上街道（乡镇）名称",
    }
    # for street A's official only its own 桥楼社区 is in scope: the short path is not ambiguous
    job = run(rows[1:], cast.street_a)
    assert job.status == "done" and set(Member.objects.values_list("home_area", flat=True)) == {
        tree.courtyard_a.pk
    }


def test_file_level_problems(cast, orgs):
    from tests.imports.helpers import build_xlsx

    not_xlsx = start_member_import(file=upload(b"not a workbook"), actor=cast.street_a)
    assert (
        not_xlsx.status == "rejected"
        and not_xlsx.errors[0]["message"] == "文件不是有效的 xlsx 工作簿，请使用导入模板"
    )
    no_id = start_member_import(
        file=upload(
            build_xlsx({"党员": [["姓名", "所在党支部", "入党时间"], ["张三", "QL-01", "2005-07-01"]]})
        ),
        actor=cast.street_a,
    )
    assert [(e["column"], e["message"]) for e in no_id.errors] == [
        ("身份证号", "缺少此列，请使用导入模板的表头")
    ]
    assert not no_id.rejected_file
    empty = start_member_import(file=upload(members_xlsx([])), actor=cast.street_a)
    assert empty.errors[0]["message"] == "文件中没有数据行"


def test_dates_and_headers_in_the_forms_people_type_them(cast, orgs):
    number = id_number(date(1960, 2, 29))
    header = [h if h != "在职党员" else "在职党员（是/否）" for h in HEADER]
    from tests.imports.helpers import build_xlsx

    rows = [
        header,
        row(
            "张三",
            number,
            "QL-01",
            birth="1960年2月29日",
            joined="1985/7/1",
            full="19860701",
            in_service="是",
        ),
    ]
    job = start_member_import(file=upload(build_xlsx({"Sheet1": rows})), actor=cast.street_a)
    assert job.status == "done", job.errors
    member = Member.objects.get()
    assert (member.joined_probationary_on, member.joined_full_on) == (date(1985, 7, 1), date(1986, 7, 1))
    assert member.in_service


def test_joining_before_eighteen_or_in_the_future_is_refused(cast, orgs):
    young = id_number(date(2000, 6, 1))
    job = run(
        [
            row("小张", young, "QL-01", joined="2018-05-31", full="2017-01-01"),
            row("未来", id_number(), "QL-01", joined="2999-01-01", full=None),
        ],
        cast.street_a,
    )
    errors = errors_of(job)
    assert errors[(2, "入党时间")] == "入党时应年满十八周岁（应不早于 2018-06-01）"
    assert errors[(2, "转正时间")] == "不能早于入党时间"
    assert errors[(3, "入党时间")] == "不能晚于今天"


def test_an_id_number_typed_as_a_number_is_explained(cast, orgs):
    number = id_number()
    job = run([row("张三", float(number[:17] + "1"), "QL-01")], cast.street_a)
    assert errors_of(job) == {
        (2, "身份证号"): "身份证号是数字格式，末几位已丢失；请把此列设为文本格式后重新填写"
    }


def test_the_template_has_the_columns_and_the_instructions(cast, client_for):
    response = client_for(cast.street_a).get(reverse("members:import_template"))
    assert response.status_code == 200
    sheets = read_xlsx(response.content)
    rows = [row for row in sheets["党员"] if any(cell is not None for cell in row)]
    assert rows == [HEADER] and sheets["说明"][0][0].startswith("党员信息导入模板")
    # ID and phone numbers are text in the template: the column, and the cells of the first rows
    sheet = load_workbook(io.BytesIO(response.content))["党员"]
    for label in ("身份证号", "手机号"):
        letter = get_column_letter(HEADER.index(label) + 1)
        assert sheet.column_dimensions[letter].number_format == "@"
        assert sheet[f"{letter}2"].number_format == "@" and sheet[f"{letter}1000"].number_format == "@"
    assert any("居住地址" in line[0] for line in sheets["说明"] if line[0])


def test_who_may_import(cast, orgs, client_for):
    assert client_for(cast.resident).get(reverse("members:import")).status_code == 403
    assert client_for(cast.auditor).get(reverse("members:import")).status_code == 403
    assert client_for(cast.resident).get(reverse("members:import_template")).status_code == 403
    client = client_for(cast.worker)  # community workers keep records: they may import
    response = client.post(
        reverse("members:import"), {"file": upload(members_xlsx([row("张三", id_number(), "QL-01")]))}
    )
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response.url == reverse("imports:detail", args=[job.pk])
    assert job.status == "done" and job.created_by == cast.worker
    page = client.get(reverse("members:import")).content.decode()
    assert reverse("imports:detail", args=[job.pk]) in page


def test_the_upload_form_refuses_other_files(cast, client_for):
    response = client_for(cast.street_a).post(
        reverse("members:import"), {"file": upload(b"x", name="members.csv")}
    )
    assert response.status_code == 200 and "请上传 .xlsx 文件" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_a_file_over_the_row_limit_is_refused_whole(cast, orgs, settings):
    settings.MEMBERS_IMPORT_MAX_ROWS = 2
    job = run([row(f"党员{i}", id_number(), "QL-01") for i in range(3)], cast.street_a)
    assert job.status == "rejected" and not Member.objects.exists()
    assert job.errors == [
        {"sheet": "党员", "row": 0, "column": "", "message": "一个文件最多 2 行，请分成几个文件导入"}
    ]
