"""Export the member list a user sees (the list page's filters, `MemberFilter`, on the scoped records) to an
xlsx workbook in the import layout. ID numbers and phones are masked as on the screen; an unmasked export
needs members.export_unmasked and shows full numbers only for the records in that permission's scope (the
others stay masked). Rows stream from the database (`iterator`) into a write-only workbook, with the tags
and home names of each chunk fetched in one query each; a masked export never decrypts anything."""

from __future__ import annotations

from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy

from grassroots.access.scoping import has_perm, scope_paths
from grassroots.areas.subtree import lies_under
from grassroots.core.members.models import Member
from grassroots.core.members.selectors.records import MemberFilter, members_for
from grassroots.core.members.transfer import layout
from grassroots.core.members.transfer.lookups import HomeNames
from grassroots.imports.registry import Exporter, NoProgress, Progress, register_exporter
from grassroots.imports.xlsx import HELP_SHEET, SafeWorkbook, header_cells

UNMASKED = "members.export_unmasked"
CHUNK = 2_000
_COLUMNS = (
    "pk",
    "name",
    "gender",
    "ethnicity",
    "birth_date",
    "id_masked",
    "phone_masked",
    "education",
    "occupation",
    "work_unit",
    "in_service",
    "home_area__path",
    "branch__code",
    "branch__name",
    "joined_probationary_on",
    "joined_full_on",
    "status",
    "branch__area__path",
    "workplace__name",
)
_SECRET = len(_COLUMNS)  # an unmasked export's ID number and phone follow the columns above


def as_querydict(params: dict) -> QueryDict:
    query = QueryDict(mutable=True)
    for key, values in params.items():
        query.setlist(key, values if isinstance(values, list) else [values])
    return query


@register_exporter
class MemberExporter(Exporter):
    kind = "members"
    label = gettext_lazy("党员")
    permission = "members.view"
    back_url_name = "members:list"

    def __init__(self, *, user, params: dict, unmasked: bool) -> None:
        super().__init__(user=user, params=params, unmasked=unmasked)
        if unmasked and not has_perm(user, UNMASKED):
            raise PermissionDenied
        self.unmasked_paths = scope_paths(user, UNMASKED) if unmasked else []

    def queryset(self):
        filterset = MemberFilter(as_querydict(self.params) or None, queryset=members_for(self.user))
        return filterset.qs

    def count(self) -> int:
        return self.queryset().count()

    def filename(self) -> str:
        suffix = "-未脱敏" if self.unmasked else ""
        return f"党员-{timezone.localdate():%Y%m%d}{suffix}.xlsx"

    def audit_label(self) -> str:
        what = "党员名单"
        if self.params:
            what += f"（{urlencode(self.params, doseq=True)}）"
        return what[:200]

    def write(self, handle, progress: Progress) -> int:
        wb = SafeWorkbook(write_only=True)
        ws = wb.create_sheet(layout.SHEET)
        for index, column in enumerate(layout.COLUMNS, start=1):
            ws.column_dimensions[_letter(index)].width = column.width
        ws.append(header_cells(ws, layout.LABELS))
        columns = _COLUMNS + (("id_number", "phone") if self.unmasked else ())
        rows = self.queryset().values_list(*columns).iterator(chunk_size=CHUNK)
        total = 0
        chunk: list[tuple] = []
        names = HomeNames()
        expected = 0 if isinstance(progress, NoProgress) else self.count()
        for row in rows:
            chunk.append(row)
            if len(chunk) >= CHUNK:
                total += self._write_chunk(ws, chunk, names)
                chunk = []
                progress(total, expected)
        total += self._write_chunk(ws, chunk, names)
        progress(total, max(total, expected))
        help_ws = wb.create_sheet(HELP_SHEET)
        for line in self._notes(total):
            help_ws.append([line])
        wb.save(handle)
        return total

    def _write_chunk(self, ws, chunk: list[tuple], names: HomeNames) -> int:
        if not chunk:
            return 0
        pks = [row[0] for row in chunk]
        tags: dict[int, list[str]] = {}
        through = Member.tags.through.objects.filter(member_id__in=pks).order_by(
            "membertag__kind", "membertag__name"
        )
        for member_id, tag in through.values_list("member_id", "membertag__name"):
            tags.setdefault(member_id, []).append(tag)
        names.load({row[11] for row in chunk if row[11]})
        for row in chunk:
            (
                pk,
                name,
                gender,
                ethnicity,
                birth,
                id_masked,
                phone_masked,
                education,
                occupation,
                work_unit,
            ) = row[:10]
            (
                in_service,
                home_path,
                branch_code,
                branch_name,
                joined,
                full,
                status,
                branch_path,
                workplace,
            ) = row[10:_SECRET]
            show = self.unmasked and lies_under(branch_path, self.unmasked_paths)
            ws.append(
                [
                    name,
                    layout.GENDER_NAMES.get(gender, ""),
                    ethnicity,
                    birth,
                    row[_SECRET] if show else id_masked,
                    (row[_SECRET + 1] or "") if show else phone_masked,
                    layout.EDUCATION_NAMES.get(education, ""),
                    occupation,
                    work_unit,
                    workplace or "",
                    "是" if in_service else "否",
                    names.name_of(home_path),
                    branch_code or branch_name,
                    joined,
                    full,
                    layout.STATUS_NAMES.get(status, status),
                    "、".join(tags.get(pk, ())),
                ]
            )
        return len(chunk)

    def _notes(self, total: int) -> list[str]:
        masked = "未脱敏（完整身份证号和手机号，请妥善保管）" if self.unmasked else "已脱敏（与页面显示相同）"
        return [
            f"党员名单导出 · {timezone.localtime():%Y-%m-%d %H:%M} · 共 {total} 名",
            f"身份证号和手机号：{masked}",
            f"筛选条件：{urlencode(self.params, doseq=True) or '无'}",
            "格式与导入模板相同；未脱敏的导出文件可以直接导入到其他系统。",
        ]


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index)
