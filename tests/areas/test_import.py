"""xlsx import: a good file writes every row; a file with any bad row writes nothing and reports each bad
row with its sheet, row, column and reason. Real workbooks, built with openpyxl."""

import io

import pytest
from django.urls import reverse

from grassroots.areas import rules
from grassroots.areas.models import Area, Level, PartyOrg
from grassroots.areas.services import import_workbook
from grassroots.imports.models import ImportJob
from tests.areas.conftest import AREA_HEADER, ORG_HEADER, build_xlsx, read_xlsx, upload
from tests.factories import make_party_org

GOOD_AREAS = [
    AREA_HEADER,
    # 编号, 名称, 层级, 区划代码, 上级编号, 上级区划代码
    [None, "新华社区", "社区", "511802001002", None, "511802001"],  # under an existing street, by code
    ["W1", "新华第一网格", "网格", None, None, "511802001002"],  # under the row above, by its code
    ["Y1", "幸福院落", "院落", None, "W1", None],  # under the row above, by its 编号
    [None, "幸福小区", "小区", None, None, "511802001002"],  # skips grid and courtyard
    [None, "1栋", "楼栋", None, "Y1", None],
    [None, "第二网格", "网格", None, None, "511802001001"],  # under 桥楼社区 (already in the tree)
]
GOOD_ORGS = [
    ORG_HEADER,
    # 编号, 名称, 类型, 组织编码, 所在区域编号, 所在区域区划代码, 上级组织编号, 上级组织编码, 书记用户名
    ["P1", "新华社区党委", "党委", "XH-01", None, "511802001002", None, "QJ-00", "secretary"],
    ["P2", "新华第一网格党支部", "党支部", None, "W1", None, "P1", None, None],
    [None, "幸福院落党小组", "党小组", None, "Y1", None, "P2", None, None],
    [None, "第二网格党支部", "支部", None, None, "511802001001", None, "QL-01", "worker"],
]


@pytest.fixture
def street_orgs(tree):
    street = make_party_org("青江街道党工委", tree.street_a, kind="committee")
    street.code = "QJ-00"
    street.save()
    community = make_party_org("桥楼社区党委", tree.community_a, kind="committee", parent=street)
    community.code = "QL-01"
    community.save()
    return street, community


def run(content: bytes, actor):
    return import_workbook(file=io.BytesIO(content), actor=actor)


def errors_of(outcome) -> set[tuple]:
    return {(e.sheet, e.row, e.column) for e in outcome.errors}


def test_a_good_file_writes_every_area_and_organization(cast, tree, street_orgs):
    outcome = run(build_xlsx({"区域": GOOD_AREAS, "党组织": GOOD_ORGS}), cast.street_a)
    assert outcome.ok, outcome.errors
    assert (outcome.areas_created, outcome.orgs_created) == (6, 4)

    community = Area.objects.get(code="511802001002")
    assert community.path.startswith(tree.street_a.path) and community.depth == tree.street_a.depth + 1
    grid = Area.objects.get(name="新华第一网格")
    courtyard = Area.objects.get(name="幸福院落")
    assert Area.objects.get_parent(grid) == community and Area.objects.get_parent(courtyard) == grid
    assert Area.objects.get_parent(Area.objects.get(name="1栋")) == courtyard
    assert Area.objects.get_parent(Area.objects.get(name="幸福小区")) == community
    assert Area.objects.get_parent(Area.objects.get(name="第二网格")).pk == tree.community_a.pk
    assert Area.objects.get(pk=tree.street_a.pk).numchild == 2
    assert Area.objects.get(pk=tree.community_a.pk).numchild == 2
    assert community.numchild == 2 and courtyard.numchild == 1
    assert Area.objects.find_problems() == ([], [], [], [], [])

    p1 = PartyOrg.objects.get(code="XH-01")
    assert p1.area == community and p1.parent == street_orgs[0] and p1.secretary == cast.secretary
    p2 = PartyOrg.objects.get(name="新华第一网格党支部")
    assert p2.area == grid and p2.parent == p1 and p2.kind == "branch"
    group = PartyOrg.objects.get(name="幸福院落党小组")
    assert group.parent == p2 and group.area == courtyard and group.kind == "group"
    assert PartyOrg.objects.get(name="第二网格党支部").parent == street_orgs[1]


def test_a_new_area_after_existing_children_gets_the_next_path(cast, tree):
    content = build_xlsx({"区域": [AREA_HEADER, [None, "第二网格", "网格", None, None, "511802001001"]]})
    assert run(content, cast.secretary).ok
    second = Area.objects.get(name="第二网格")
    assert second.path > Area.objects.get(pk=tree.grid_a.pk).path
    # the tree stays usable by treebeard afterwards
    third = Area.objects.add_child(
        Area.objects.get(pk=tree.community_a.pk), {"name": "第三网格", "level": Level.GRID}
    )
    assert third.path > second.path


BAD_AREAS = [
    AREA_HEADER,
    [None, "好社区", "社区", "511802001009", None, "511802001"],  # row 2: fine
    [None, None, "网格", None, None, "511802001009"],  # row 3: no name
    [None, "怪层级", "大队", None, None, "511802001009"],  # row 4: unknown level
    [None, "错层街道", "街道", None, None, "511802001009"],  # row 5: a street under a community
    [None, "重复代码", "社区", "511802001009", None, "511802001"],  # row 6: code repeats row 2
    [None, "已有代码", "社区", "511802002001", None, "511802001"],  # row 7: code exists in the database
    [None, "无上级", "网格", None, None, "999999"],  # row 8: parent code nowhere
    [None, "越界", "社区", None, None, "511802002"],  # row 9: street_b's street, outside the scope
    [None, "先子", "院落", None, "G9", None],  # row 10: parent written later
    ["G9", "后父", "网格", None, None, "511802001009"],  # row 11: fine
    [None, "两个上级", "网格", None, "G9", "511802001009"],  # row 12: both parent columns
    [None, "没有上级", "网格", None, None, None],  # row 13: no parent at all
    [None, "字母代码", "网格", "A1", None, "511802001009"],  # row 14: code not digits
]
BAD_ORGS = [
    ORG_HEADER,
    [None, "好支部", "党支部", None, "G9", None, None, None, None],  # row 2: fine
    [None, "孤小组", "党小组", None, None, "511802001001", None, None, None],  # row 3: a group needs a branch
    [None, "怪组织", "协会", None, None, "511802001001", None, None, None],  # row 4: unknown kind
    [None, "无区域", "党支部", None, None, None, None, None, None],  # row 5: no area
    [None, "越界支部", "党支部", None, None, "511802002", None, None, None],  # row 6: area outside scope
    [
        None,
        "坏书记",
        "党支部",
        None,
        None,
        "511802001001",
        None,
        None,
        "street_b",
    ],  # row 7: secretary outside
    [None, "坏上级", "党总支", None, None, "511802001001", None, "NOPE", None],  # row 8: parent org unknown
]


def test_a_bad_file_writes_nothing_and_reports_each_bad_row(cast, tree):
    areas_before, orgs_before = Area.objects.count(), PartyOrg.objects.count()
    outcome = run(build_xlsx({"区域": BAD_AREAS, "党组织": BAD_ORGS}), cast.street_a)
    assert not outcome.ok
    assert Area.objects.count() == areas_before and PartyOrg.objects.count() == orgs_before
    assert errors_of(outcome) == {
        ("区域", 3, "名称"),
        ("区域", 4, "层级"),
        ("区域", 5, "层级"),
        ("区域", 6, "区划代码"),
        ("区域", 7, "区划代码"),
        ("区域", 8, "上级区划代码"),
        ("区域", 9, "上级区划代码"),
        ("区域", 10, "上级编号"),
        ("区域", 12, "上级编号"),
        ("区域", 13, "上级区划代码"),
        ("区域", 14, "区划代码"),
        ("党组织", 3, "类型"),
        ("党组织", 4, "类型"),
        ("党组织", 5, "所在区域区划代码"),
        ("党组织", 6, "所在区域区划代码"),
        ("党组织", 7, "书记用户名"),
        ("党组织", 8, "上级组织编码"),
    }
    messages = {(e.sheet, e.row): e.message for e in outcome.errors}
    assert messages[("区域", 3)] == "请填写名称"
    assert "无法识别层级“大队”" in messages[("区域", 4)]
    assert messages[("区域", 5)] == "层级“街道（乡镇）”必须低于上级区域的层级“社区”"
    assert messages[("区域", 6)] == "区划代码“511802001009”重复：第2行和第6行"
    # 育才社区 lies outside street_a's scope: its name is not told
    assert messages[("区域", 7)] == "区划代码“511802002001”已存在"
    assert messages[("区域", 9)] == "上级区划代码“511802002”不存在或不在您的管辖范围内"
    assert "在第11行，位于本行之后" in messages[("区域", 10)]
    assert messages[("党组织", 3)] == "党小组必须隶属于一个党支部"
    # the rejected rows, with their original cells and the reason
    rejected = outcome.rejected["区域"]["rows"]
    assert [row[0] for row in rejected] == [3, 4, 5, 6, 7, 8, 9, 10, 12, 13, 14]
    assert rejected[0][-1] == "名称：请填写名称"


def test_duplicate_codes_and_keys_inside_the_file(cast, tree):
    content = build_xlsx(
        {
            "区域": [
                AREA_HEADER,
                ["K", "甲社区", "社区", "511802001101", None, "511802001"],
                ["K", "乙社区", "社区", "511802001101", None, "511802001"],
            ],
            "党组织": [
                ORG_HEADER,
                [None, "甲党委", "党委", "C-1", "K", None, None, None, None],
                [None, "乙党委", "党委", "C-1", "K", None, None, None, None],
            ],
        }
    )
    outcome = run(content, cast.street_a)
    assert errors_of(outcome) == {("区域", 3, "编号"), ("区域", 3, "区划代码"), ("党组织", 3, "组织编码")}
    assert not Area.objects.filter(name__in=["甲社区", "乙社区"]).exists()


def test_level_names_and_their_variants():
    assert rules.parse_level("市") == Level.CITY
    for word in ("县（区）", "县(区)", "县", "区", " 区 ", "县级市"):
        assert rules.parse_level(word) == Level.COUNTY, word
    for word in ("街道（乡镇）", "街道", "乡", "镇", "乡镇"):
        assert rules.parse_level(word) == Level.STREET, word
    assert rules.parse_level("社区") == rules.parse_level("村") == Level.COMMUNITY
    assert [rules.parse_level(w) for w in ("网格", "院落", "小区", "楼栋", "楼")] == [5, 6, 7, 8, 8]
    assert rules.parse_level("大队") is None and rules.parse_level("") is None
    assert [rules.parse_kind(w) for w in ("党委", "党总支", "支部", "党小组")] == [
        "committee",
        "general_branch",
        "branch",
        "group",
    ]


def test_codes_typed_as_numbers_are_read_as_text(cast, tree):
    content = build_xlsx(
        {"区域": [AREA_HEADER, [None, "数字代码社区", "社区", 511802001003, None, 511802001]]}
    )
    assert run(content, cast.street_a).ok
    assert Area.objects.get(name="数字代码社区").code == "511802001003"


def test_outsiders_cannot_import_into_another_scope(cast, tree):
    content = build_xlsx({"区域": [AREA_HEADER, [None, "越界社区", "社区", None, None, "511802001"]]})
    outcome = run(content, cast.street_b)
    assert errors_of(outcome) == {("区域", 2, "上级区划代码")}
    assert not Area.objects.filter(name="越界社区").exists()


def test_a_file_that_is_not_a_workbook_or_lacks_columns(cast, tree):
    outcome = run(b"not a zip file", cast.street_a)
    assert not outcome.ok and "不是有效的 xlsx" in outcome.errors[0].message
    outcome = run(build_xlsx({"区域": [["名称", "上级区划代码"], ["x", "511802001"]]}), cast.street_a)
    assert errors_of(outcome) == {("区域", 1, "层级")}
    outcome = run(build_xlsx({"别的表": [["a"], ["b"]]}), cast.street_a)
    assert "找不到工作表" in outcome.errors[0].message


# --- the pages ------------------------------------------------------------------------------------


def test_import_page_good_file(cast, tree, street_orgs, client_for):
    client = client_for(cast.street_a)
    assert client.get(reverse("areas:import")).status_code == 200
    response = client.post(
        reverse("areas:import"), {"file": upload(build_xlsx({"区域": GOOD_AREAS, "党组织": GOOD_ORGS}))}
    )
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("imports:detail", args=[job.pk])
    assert job.status == ImportJob.Status.DONE and job.counts == {"areas": 6, "orgs": 4}
    html = client.get(response["Location"]).content.decode()
    assert "导入成功：新建 6 个区域、4 个党组织" in html


def test_import_page_bad_file_lists_rows_and_offers_the_rejected_rows(cast, tree, client_for):
    client = client_for(cast.street_a)
    areas_before = Area.objects.count()
    client.post(
        reverse("areas:import"), {"file": upload(build_xlsx({"区域": BAD_AREAS, "党组织": BAD_ORGS}))}
    )
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.REJECTED and Area.objects.count() == areas_before
    html = client.get(reverse("imports:detail", args=[job.pk])).content.decode()
    assert "发现 17 个错误，文件中的任何数据都没有写入" in html
    # errors grouped by reason: the column and the message, then the sheet and the rows
    assert '<span class="fw-semibold">区划代码</span>：区划代码“511802002001”已存在' in html
    assert "区域 · 第 7 行" in html
    response = client.get(reverse("imports:rejected", args=[job.pk]))
    assert response.status_code == 200
    sheets = read_xlsx(b"".join(response.streaming_content))
    assert sheets["区域"][0] == ["原行号", *AREA_HEADER, "错误原因"]
    assert sheets["区域"][1][:3] == [3, None, None] and sheets["区域"][1][-1] == "名称：请填写名称"
    assert len(sheets["区域"]) == 1 + 11 and len(sheets["党组织"]) == 1 + 6
    # the rejected file can be fixed and uploaded again: the importer ignores the two extra columns
    assert [c for c in sheets["区域"][0] if c in AREA_HEADER] == AREA_HEADER


def test_import_pages_permissions(cast, tree, client_for):
    for reader in (cast.resident, cast.worker, cast.auditor):
        assert client_for(reader).get(reverse("areas:import")).status_code == 403
        assert client_for(reader).get(reverse("areas:import_template")).status_code == 403
    client_for(cast.street_a).post(
        reverse("areas:import"), {"file": upload(build_xlsx({"区域": [AREA_HEADER, [None, "x", "网格"]]}))}
    )
    job = ImportJob.objects.get()
    # an import is seen by whoever uploaded it and by those who may import over the uploader's scope
    assert client_for(cast.street_b).get(reverse("imports:detail", args=[job.pk])).status_code == 404
    assert client_for(cast.street_b).get(reverse("imports:rejected", args=[job.pk])).status_code == 404
    assert client_for(cast.secretary).get(reverse("imports:detail", args=[job.pk])).status_code == 404
    assert client_for(cast.city).get(reverse("imports:detail", args=[job.pk])).status_code == 200
    assert client_for(cast.city).get(reverse("imports:rejected", args=[job.pk])).status_code == 200


def test_template_download_has_both_sheets(cast, tree, client_for):
    response = client_for(cast.street_a).get(reverse("areas:import_template"))
    assert response.status_code == 200
    sheets = read_xlsx(response.content)
    assert sheets["区域"] == [AREA_HEADER] and sheets["党组织"] == [ORG_HEADER] and "说明" in sheets


def test_a_large_file_runs_in_the_background_with_progress(
    cast, tree, street_orgs, client_for, settings, django_capture_on_commit_callbacks
):
    settings.AREAS_IMPORT_SYNC_MAX_BYTES = 0  # every file goes to the worker
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    client = client_for(cast.street_a)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(
            reverse("areas:import"), {"file": upload(build_xlsx({"区域": GOOD_AREAS, "党组织": GOOD_ORGS}))}
        )
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.PENDING and not Area.objects.filter(name="新华社区").exists()
    # while it waits, the status fragment polls itself
    fragment = client.get(reverse("imports:detail", args=[job.pk]), HTTP_HX_REQUEST="true").content.decode()
    assert 'hx-trigger="every 1s"' in fragment and "<html" not in fragment
    assert len(callbacks) == 1
    callbacks[0]()  # the commit: the task is enqueued and (immediate backend) runs
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE and job.processed_rows == job.total_rows == 10
    assert Area.objects.filter(name="新华社区").exists()
    fragment = client.get(reverse("imports:detail", args=[job.pk]), HTTP_HX_REQUEST="true").content.decode()
    assert "every 1s" not in fragment and "导入成功" in fragment


def test_the_task_is_queued_for_the_worker_only_when_the_upload_commits(
    cast, tree, settings, django_capture_on_commit_callbacks
):
    from django.db import transaction
    from django_tasks_db.models import DBTaskResult

    from grassroots.areas.services import start_import

    settings.AREAS_IMPORT_SYNC_MAX_BYTES = 0
    content = build_xlsx({"区域": [AREA_HEADER, [None, "后台社区", "社区", None, None, "511802001"]]})
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        start_import(file=upload(content), actor=cast.street_a)
        raise RuntimeError("the request failed after the upload")
    assert callbacks == [] and not ImportJob.objects.exists() and not DBTaskResult.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        job = start_import(file=upload(content), actor=cast.street_a)
    queued = DBTaskResult.objects.get()  # waiting for `manage.py db_worker`
    assert queued.task_path == "grassroots.imports.tasks.run_import" and queued.args_kwargs["args"] == [
        job.pk
    ]
    assert ImportJob.objects.get().status == ImportJob.Status.PENDING


def test_the_management_command_imports_roots_as_the_system(db, tmp_path):
    from django.core.management import CommandError, call_command

    path = tmp_path / "city.xlsx"
    path.write_bytes(
        build_xlsx(
            {
                "区域": [
                    AREA_HEADER,
                    [None, "雅安市", "市", "511800", None, None],
                    [None, "雨城区", "区", "511802", None, "511800"],
                ]
            }
        )
    )
    call_command("import_areas", str(path))
    assert Area.objects.get(code="511802").depth == 2
    with pytest.raises(CommandError, match="nothing was written"):
        call_command("import_areas", str(path))  # the codes exist now
