"""The generic runner, with small importers of its own: all or nothing whatever goes wrong while writing,
failures reported on the job, a finished job never run twice, the rejected-rows workbook built from the
uploaded file, the job's scope."""

from __future__ import annotations

import io

import pytest
from django.core.files.base import ContentFile

from grassroots.core.members.models import MemberTag
from grassroots.imports.models import ImportJob
from grassroots.imports.registry import (
    ImportConflict,
    Importer,
    Validation,
    importer_for,
    register_importer,
)
from grassroots.imports.runner import run_import_job, scope_root
from grassroots.imports.xlsx import RowError, write_rejected_workbook
from tests.factories import Level, make_area, make_user
from tests.imports.helpers import build_xlsx, read_xlsx


class _TagImporter(Importer):
    """Reads tag names from column A of the first sheet; `write` creates them one by one and then does
    whatever the first name asks: "boom" raises, "conflict" raises ImportConflict, "twice" breaks the unique
    constraint."""

    kind = "test_tags"
    label = "标签"
    permission = "members.import"

    def validate(self, file, progress) -> Validation:
        from openpyxl import load_workbook

        wb = load_workbook(file, read_only=True)
        rows = [r[0] for r in wb.worksheets[0].iter_rows(min_row=2, values_only=True)]
        errors = [RowError(wb.sheetnames[0], n, "名称", "不能为空") for n, v in enumerate(rows, 2) if not v]
        if rows and rows[0] == "explode while validating":
            raise RuntimeError("bad validator")
        return Validation(total_rows=len(rows), errors=errors, plan=rows)

    def write(self, plan, progress) -> dict[str, int]:
        for name in plan:
            MemberTag.objects.create(name=name)
        if plan[0] == "boom":
            raise RuntimeError("half-way")
        if plan[0] == "conflict":
            raise ImportConflict("已被他人修改")
        if plan[0] == "twice":
            MemberTag.objects.create(name=plan[0])
        return {"tags": len(plan)}


register_importer(_TagImporter)


def job_for(user, names: list, *, status="pending") -> ImportJob:
    content = build_xlsx({"标签": [["名称"], *[[n] for n in names]]})
    return ImportJob.objects.create(
        kind="test_tags", created_by=user, file=ContentFile(content, name="tags.xlsx"), status=status
    )


def test_a_good_job_writes_everything(cast):
    job = run_import_job(job_id=job_for(cast.street_a, ["甲", "乙"]).pk)
    assert job.status == "done" and job.counts == {"tags": 2} and job.processed_rows == 2
    assert set(MemberTag.objects.values_list("name", flat=True)) == {"甲", "乙"}
    assert job.started_at <= job.validated_at <= job.finished_at


@pytest.mark.parametrize(
    ("first", "message"),
    [
        ("boom", "写入时发生内部错误，未写入任何数据"),
        ("conflict", "已被他人修改"),
        ("twice", "写入时与他人同时进行的修改冲突（如同一记录已被他人录入），未写入任何数据，请重新导入"),
    ],
)
def test_whatever_goes_wrong_while_writing_nothing_is_written(cast, first, message):
    job = run_import_job(job_id=job_for(cast.street_a, [first, "乙", "丙"]).pk)
    assert job.status == "failed" and job.errors == [
        {"sheet": "", "row": 0, "column": "", "message": message}
    ]
    assert not MemberTag.objects.exists()  # the rows written before the failure were rolled back


def test_a_failing_validator_fails_the_job(cast):
    job = run_import_job(job_id=job_for(cast.street_a, ["explode while validating"]).pk)
    assert job.status == "failed" and job.errors[0]["message"] == "导入时发生内部错误，未写入任何数据"


def test_bad_rows_reject_the_job_with_its_rejected_rows(cast):
    job = run_import_job(job_id=job_for(cast.street_a, ["甲", None, "丙", None]).pk)
    assert job.status == "rejected" and job.error_count == 2 and not MemberTag.objects.exists()
    rows = read_xlsx(job.rejected_file.read())["标签"]
    assert rows == [["原行号", "名称", "错误原因"], [3, None, "名称：不能为空"], [5, None, "名称：不能为空"]]


def test_a_job_runs_once_and_again_only_when_asked(cast):
    job = run_import_job(job_id=job_for(cast.street_a, ["甲"]).pk)
    assert run_import_job(job_id=job.pk).status == "done" and MemberTag.objects.count() == 1
    stuck = job_for(cast.street_a, ["乙"], status="writing")  # left by a killed worker
    assert run_import_job(job_id=stuck.pk).status == "writing"
    assert run_import_job(job_id=stuck.pk, retry=True).status == "done"


def test_an_uploader_who_lost_the_permission_is_refused(cast):
    job = job_for(cast.resident, ["甲"])
    job = run_import_job(job_id=job.pk)
    assert job.status == "rejected" and job.errors[0]["message"] == "您没有导入标签的权限"
    assert not MemberTag.objects.exists()


def test_the_registry(cast):
    assert importer_for("test_tags") is _TagImporter
    register_importer(_TagImporter)  # the same class again: fine (modules can be imported twice)

    class Other(_TagImporter):
        pass

    with pytest.raises(ValueError, match="registered twice"):
        register_importer(Other)
    with pytest.raises(LookupError):
        importer_for("nothing")


def test_the_rejected_workbook_keeps_each_sheet_and_the_cells_as_uploaded():
    content = build_xlsx(
        {
            "A": [["姓名", "日期", None], ["张三", 1, "x"], ["李四", 2, None], ["王五", 3, None]],
            "说明": [["说明"]],
            "B": [["编号"], ["B1"]],
        }
    )
    errors = [
        RowError("A", 3, "日期", "太小"),
        RowError("A", 3, "", "整行有误"),
        RowError("B", 2, "编号", "重复"),
        RowError("", 0, "", "文件级错误"),
    ]
    out = io.BytesIO()
    assert write_rejected_workbook(io.BytesIO(content), errors, out) == 2
    sheets = read_xlsx(out.getvalue())
    assert list(sheets) == ["A", "B"]
    assert sheets["A"] == [["原行号", "姓名", "日期", "错误原因"], [3, "李四", 2, "日期：太小；整行有误"]]
    assert sheets["B"] == [["原行号", "编号", "错误原因"], [2, "B1", "编号：重复"]]


def test_the_scope_root_of_an_uploader(cast, tree):
    assert scope_root(cast.street_a, "members.import") == tree.street_a.path
    assert scope_root(cast.resident, "members.import") == ""
    from grassroots.accounts.models import RoleGrant
    from grassroots.accounts.roles import Role

    two = make_user("two_streets", Role.STREET_OFFICIAL, tree.street_a)
    RoleGrant.objects.create(user=two, role=Role.STREET_OFFICIAL, area=tree.street_b)
    assert scope_root(two, "members.import") == tree.county.path  # the nearest area covering both
    other = make_area("名山区", Level.COUNTY, tree.city)
    RoleGrant.objects.create(user=two, role=Role.STREET_OFFICIAL, area=other)
    two = type(two).objects.get(pk=two.pk)  # grants are cached on the user object
    assert scope_root(two, "members.import") == tree.city.path
