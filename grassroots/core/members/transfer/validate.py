"""Check every row of a members workbook and prepare the records to write (no writes here).

Rows are read in order (grassroots.imports.reading) and checked in chunks of `CHUNK`: per chunk a fixed
number of queries (branches, homes and workplaces not seen before, ID numbers already in the database),
never one per row. A good row's values go over a new record's defaults, `derive()` (what
`Member.fill_derived()` computes) adds its lookup hash, masks, pinyin initials and completeness, and only
the field values are kept (a tuple: a hundred thousand model instances would take ~300 MB; no instance is
built, which cost a fifth of the validation's CPU). Once any row is bad no more records are prepared, but
every row is still checked, so the report and the rejected-rows workbook list every bad row.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from grassroots.access.scoping import scope_paths
from grassroots.areas.subtree import lies_under
from grassroots.core.members.identity import (
    birth_date_from_id,
    gender_from_id,
    lookup_hash,
    normalize_id_number,
    validate_id_number,
    validate_mobile,
)
from grassroots.core.members.models import Member, MemberStatus, MemberTag
from grassroots.core.members.models.member import derive
from grassroots.core.members.transfer import layout
from grassroots.core.members.transfer.lookups import Branches, Homes, Scope, Workplaces
from grassroots.core.members.transfer.parse import parse_date, years_after
from grassroots.imports.reading import UnreadableWorkbook, cell_text, header_key, open_workbook
from grassroots.imports.registry import Progress, Validation
from grassroots.imports.xlsx import HELP_SHEET, RowError

CHUNK = 2_000
MAX_ROWS = 200_000
# The Member fields an import sets (the others keep their defaults).
FIELDS = (
    "name",
    "pinyin_initials",
    "gender",
    "ethnicity",
    "birth_date",
    "id_number",
    "id_hash",
    "id_masked",
    "phone",
    "phone_masked",
    "education",
    "occupation",
    "work_unit",
    "workplace_id",
    "in_service",
    "home_area_id",
    "branch_id",
    "joined_probationary_on",
    "joined_full_on",
    "status",
    "completeness",
)
LIMITS = {"name": 50, "ethnicity": 20, "occupation": 50, "work_unit": 100}
LABEL = {c.key: c.label for c in layout.COLUMNS}


def concrete_attnames() -> list[str]:
    """The order of the values in a prepared row: every concrete field of Member, so that the writer builds
    each instance positionally (`Member(*values)`, Django's fast path, as when loading from the database)."""
    return [f.attname for f in Member._meta.concrete_fields]


@dataclass
class Plan:
    rows: list[tuple] = field(default_factory=list)  # concrete_attnames() values per member, file order
    tags: list[tuple[int, tuple[str, ...]]] = field(default_factory=list)  # (index in rows, tag names)
    known_tags: dict[str, int] = field(default_factory=dict)  # name → id
    new_tags: list[str] = field(default_factory=list)


@dataclass
class _Row:
    number: int
    cells: dict  # column key → raw cell value
    values: dict = field(default_factory=dict)
    errors: list[tuple[str, str]] = field(default_factory=list)  # (column key, message)

    def text(self, key: str) -> str | None:
        return cell_text(self.cells.get(key))

    def error(self, key: str, message) -> None:
        self.errors.append((key, str(message)))


def max_rows() -> int:
    return getattr(settings, "MEMBERS_IMPORT_MAX_ROWS", MAX_ROWS)


class Validator:
    def __init__(self, *, actor, progress: Progress) -> None:
        self.actor = actor
        self.progress = progress
        scope = Scope(actor)
        self.branches = Branches(scope)
        self.homes = Homes(scope)
        self.workplaces = Workplaces(scope)
        self.view_paths = None if actor is None else scope_paths(actor, "members.view")
        self.today = timezone.localdate()
        self.seen: dict[str, int] = {}  # normalized ID number → first row number
        self.errors: list[RowError] = []
        self.plan = Plan(known_tags=dict(MemberTag.objects.values_list("name", "id")))
        self.new_tags: dict[str, None] = {}
        self.sheet = layout.SHEET
        self.attnames = concrete_attnames()
        # A new record's values (the fields' defaults; `status_changed_at`: now, for every row of the file),
        # which each good row's values then replace.
        blank = Member()
        self.blank = {name: getattr(blank, name) for name in self.attnames}

    # --- the file ---------------------------------------------------------------------------------------
    def run(self, file) -> Validation:
        try:
            wb = open_workbook(file)
        except UnreadableWorkbook as exc:
            return Validation(errors=[RowError("", 0, "", exc.message)])
        try:
            return self._run(wb)
        except UnreadableWorkbook as exc:  # a sheet that does not parse
            return Validation(errors=[RowError("", 0, "", exc.message)])
        finally:
            wb.close()

    def _run(self, wb) -> Validation:
        names = [n for n in wb.sheetnames if n.strip() != HELP_SHEET]
        name = next((n for n in names if n.strip() == layout.SHEET), names[0] if names else None)
        if name is None:
            return Validation(
                errors=[RowError("", 0, "", _("文件中没有工作表“%(s)s”") % {"s": layout.SHEET})]
            )
        self.sheet = name
        ws = wb[name]
        estimate = max(0, (ws.max_row or 0) - 1)
        rows = ws.iter_rows(values_only=True)
        positions: dict[str, int] = {}
        for index, value in enumerate(next(rows, None) or ()):
            positions.setdefault(header_key(value), index)
        missing = [c for c in layout.COLUMNS if c.required and c.label not in positions]
        if missing:
            return Validation(
                errors=[RowError(name, 0, c.label, _("缺少此列，请使用导入模板的表头")) for c in missing]
            )
        columns = [(c.key, positions[c.label]) for c in layout.COLUMNS if c.label in positions]
        total = 0
        limit = max_rows()
        chunk: list[_Row] = []
        self.progress(0, estimate)
        for number, values in enumerate(rows, start=2):
            if not values or all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
                continue
            total += 1
            if total > limit:
                message = _("一个文件最多 %(n)s 行，请分成几个文件导入") % {"n": limit}
                return Validation(total_rows=total, errors=[RowError(name, 0, "", message)])
            width = len(values)
            chunk.append(_Row(number, {key: values[i] if i < width else None for key, i in columns}))
            if len(chunk) >= CHUNK:
                self._check(chunk)
                chunk = []
                self.progress(total, max(estimate, total))
        if chunk:
            self._check(chunk)
        self.progress(total, total)
        if total == 0:
            return Validation(errors=[RowError(name, 0, "", _("文件中没有数据行"))])
        self.plan.new_tags = list(self.new_tags)
        return Validation(total_rows=total, errors=self.errors, plan=None if self.errors else self.plan)

    # --- one chunk --------------------------------------------------------------------------------------
    def _check(self, chunk: list[_Row]) -> None:
        for row in chunk:
            self._fields(row)
        self.branches.resolve({row.values["branch"] for row in chunk if row.values.get("branch")})
        self.homes.resolve({row.values["home"] for row in chunk if row.values.get("home")})
        self.workplaces.resolve({row.values["workplace"] for row in chunk if row.values.get("workplace")})
        existing = self._existing({row.values["id_hash"] for row in chunk if row.values.get("id_hash")})
        for row in chunk:
            self._references(row, existing)
            if row.errors:
                self.errors.extend(RowError(self.sheet, row.number, LABEL[k], m) for k, m in row.errors)
            elif not self.errors:
                self._prepare(row)

    def _existing(self, hashes: set[str]) -> dict[str, tuple[int, str]]:
        found: dict[str, tuple[int, str]] = {}
        ordered = sorted(hashes)
        for start in range(0, len(ordered), 500):
            rows = Member.objects.filter(id_hash__in=ordered[start : start + 500]).values_list(
                "id_hash", "pk", "branch__area__path"
            )
            found.update({h: (pk, path) for h, pk, path in rows})
        return found

    def _fields(self, row: _Row) -> None:
        """Everything that needs no database: presence, formats, lengths, dates, the ID number."""
        v = row.values
        for key in ("name", "ethnicity", "occupation", "work_unit"):
            text = row.text(key) or ""
            if len(text) > LIMITS[key]:
                row.error(key, _("最多 %(n)s 个字") % {"n": LIMITS[key]})
            v[key] = text
        if not v["name"]:
            row.error("name", _("此项必填"))
        v["ethnicity"] = v["ethnicity"] or "汉族"
        self._identity(row)
        self._choices(row)
        phone = (row.text("phone") or "").replace(" ", "").replace("-", "")
        try:
            validate_mobile(phone)
            v["phone"] = phone
        except ValidationError as exc:
            row.error("phone", exc.messages[0])
        v["branch"] = row.text("branch")
        if not v["branch"]:
            row.error("branch", _("此项必填"))
        v["home"] = row.text("home")
        v["workplace"] = row.text("workplace")
        self._dates(row)
        self._tags(row)

    def _identity(self, row: _Row) -> None:
        v = row.values
        number = normalize_id_number(row.text("id_number") or "")
        v["id_number"] = number
        if not number:
            row.error("id_number", _("此项必填"))
            return
        if isinstance(row.cells["id_number"], (int, float)) and len(number) >= 15:
            row.error("id_number", _("身份证号是数字格式，末几位已丢失；请把此列设为文本格式后重新填写"))
            return
        try:
            validate_id_number(number)
        except ValidationError as exc:
            row.error("id_number", exc.messages[0])
            return
        v["id_hash"] = lookup_hash(number)
        first = self.seen.setdefault(number, row.number)
        if first != row.number:
            row.error(
                "id_number",
                _("身份证号重复：第 %(first)s 行和第 %(row)s 行") % {"first": first, "row": row.number},
            )
        birth, gender = birth_date_from_id(number), gender_from_id(number)
        v["birth_date"], v["gender"] = birth, gender
        if row.cells.get("birth_date") not in (None, ""):
            try:
                given = parse_date(row.cells["birth_date"])
            except ValueError as exc:
                row.error("birth_date", str(exc))
            else:
                if given != birth:
                    row.error(
                        "birth_date", _("与身份证号中的出生日期（%(d)s）不一致") % {"d": birth.isoformat()}
                    )
        word = row.text("gender")
        if word:
            given_gender = layout.GENDER_WORDS.get(word)
            if given_gender is None:
                row.error("gender", _("应填“男”或“女”"))
            elif given_gender != gender:
                row.error(
                    "gender",
                    _("与身份证号不符（按身份证号应为“%(g)s”）") % {"g": layout.GENDER_NAMES[gender]},
                )

    def _choices(self, row: _Row) -> None:
        v = row.values
        word = row.text("education")
        v["education"] = ""
        if word:
            v["education"] = layout.EDUCATION_WORDS.get(word, "")
            if not v["education"]:
                row.error("education", _("应为：%(w)s") % {"w": "、".join(_education_words())})
        word = row.text("in_service")
        v["in_service"] = False
        if word:
            if word.upper() not in layout.YES_WORDS:
                row.error("in_service", _("应填“是”或“否”"))
            else:
                v["in_service"] = layout.YES_WORDS[word.upper()]
        word = row.text("status")
        v["status"] = MemberStatus.NORMAL
        if word:
            if word not in layout.STATUS_WORDS:
                row.error("status", _("应为：%(w)s") % {"w": "、".join(layout.STATUS_NAMES.values())})
            else:
                v["status"] = layout.STATUS_WORDS[word]

    def _date(self, row: _Row, key: str, *, required: bool) -> date | None:
        value = row.cells.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                row.error(key, _("此项必填"))
            return None
        try:
            day = parse_date(value)
        except ValueError as exc:
            row.error(key, str(exc))
            return None
        if day > self.today:
            row.error(key, _("不能晚于今天"))
        return day

    def _dates(self, row: _Row) -> None:
        v = row.values
        joined = self._date(row, "joined_probationary_on", required=True)
        full = self._date(row, "joined_full_on", required=False)
        v["joined_probationary_on"], v["joined_full_on"] = joined, full
        birth = v.get("birth_date")
        if joined and birth and joined < years_after(birth, 18):
            row.error(
                "joined_probationary_on",
                _("入党时应年满十八周岁（应不早于 %(d)s）") % {"d": years_after(birth, 18).isoformat()},
            )
        if joined and full and full < joined:
            row.error("joined_full_on", _("不能早于入党时间"))

    def _tags(self, row: _Row) -> None:
        text = row.text("tags") or ""
        for separator in layout.TAG_SEPARATORS[1:]:
            text = text.replace(separator, layout.TAG_SEPARATORS[0])
        names = tuple(dict.fromkeys(n for n in text.split(layout.TAG_SEPARATORS[0]) if n))
        too_long = [n for n in names if len(n) > 30]
        if too_long:
            row.error("tags", _("标签最多30个字：%(t)s") % {"t": too_long[0]})
        row.values["tags"] = names

    def _references(self, row: _Row, existing: dict[str, tuple[int, str]]) -> None:
        v = row.values
        if v.get("branch"):
            found = self.branches.cache[v["branch"]]
            v["branch_id"] = found.pk
            if found.error:
                row.error("branch", found.error)
        v["home_area_id"] = None
        if v.get("home"):
            found = self.homes.cache[v["home"]]
            v["home_area_id"] = found.pk
            if found.error:
                row.error("home", found.error)
        v["workplace_id"] = None
        if v.get("workplace"):
            found = self.workplaces.cache[v["workplace"]]
            v["workplace_id"] = found.pk
            if found.error:
                row.error("workplace", found.error)
        duplicate = existing.get(v.get("id_hash"))
        if duplicate is not None:
            pk, path = duplicate
            if self.view_paths is None or lies_under(path, self.view_paths):
                message = _(
                    "系统中已有该身份证号的党员档案（档案编号 %(pk)s），"
                    "不能重复导入；如需调入，请办理组织关系转接"
                ) % {"pk": pk}
            else:
                message = _(
                    "系统中已有该身份证号的党员档案，不能重复导入；"
                    "如需调入，请联系其所在党组织办理组织关系转接"
                )
            row.error("id_number", message)

    # --- a good row ---------------------------------------------------------------------------------------
    def _prepare(self, row: _Row) -> None:
        v = row.values
        values = dict(self.blank)
        values.update((name, v[name]) for name in FIELDS if name in v and name not in _DERIVED)
        values.update(derive(values))  # what Member.fill_derived computes, without building a record
        self.plan.rows.append(tuple(values[name] for name in self.attnames))
        if v["tags"]:
            for name in v["tags"]:
                if name not in self.plan.known_tags:
                    self.new_tags.setdefault(name, None)
            self.plan.tags.append((len(self.plan.rows) - 1, v["tags"]))


_DERIVED = {"pinyin_initials", "id_hash", "id_masked", "phone_masked", "completeness"}


def _education_words() -> list[str]:
    return list(layout.EDUCATION_NAMES.values())
