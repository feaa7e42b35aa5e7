"""Validate every row of an import before anything is written.

The database is asked a fixed number of questions per file (existing codes, existing organizations,
secretaries), in chunks, never one query per row. A row may point at a parent written earlier in the same
file (by 编号 or by code) or at an existing area or organization inside the importer's scope.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _

from grassroots.access.scoping import is_operator, scope_paths
from grassroots.areas import rules
from grassroots.areas.models import Area, PartyOrg
from grassroots.areas.selectors import people_in_paths_q
from grassroots.areas.subtree import lies_under
from grassroots.areas.transfer.layout import AREA_COLUMNS, AREA_SHEET, ORG_COLUMNS, ORG_SHEET
from grassroots.areas.transfer.reading import Row, RowError, Sheet

CHUNK = 500
_LABEL = {
    AREA_SHEET: {c.key: c.label for c in AREA_COLUMNS},
    ORG_SHEET: {c.key: c.label for c in ORG_COLUMNS},
}


@dataclass(frozen=True)
class DbArea:
    id: int
    name: str
    path: str
    depth: int
    level: int
    retired: bool


@dataclass(frozen=True)
class DbOrg:
    id: int
    name: str
    kind: str
    retired: bool
    area_path: str


@dataclass
class PlannedArea:
    row: int
    name: str | None
    level: int | None
    code: str | None
    parent_index: int | None = None
    parent_db: DbArea | None = None
    # For "does this area lie under that one" checks before anything has a path: the file rows on the way
    # up (self included) and the path of the nearest existing ancestor.
    file_chain: frozenset[int] = frozenset()
    db_anchor: str | None = None


@dataclass
class PlannedOrg:
    row: int
    name: str | None
    kind: str | None
    code: str | None
    area_index: int | None = None
    area_db: DbArea | None = None
    parent_index: int | None = None
    parent_db: DbOrg | None = None
    secretary_id: int | None = None


@dataclass
class Plan:
    areas: list[PlannedArea] = field(default_factory=list)
    orgs: list[PlannedOrg] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    # Filled by write.write_plan: the root areas (new cities) it created, for the importer to hand over.
    new_roots: list = field(default_factory=list)


def _chunks(values: Iterable, size: int = CHUNK):
    values = list(values)
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _first_index(rows: list[Row], key: str) -> dict[str, int]:
    first: dict[str, int] = {}
    for index, row in enumerate(rows):
        value = row.values.get(key)
        if value is not None:
            first.setdefault(value, index)
    return first


class Validator:
    def __init__(self, *, actor, progress: Callable[[int], None] | None = None):
        self.actor = actor
        self.paths = None if actor is None else scope_paths(actor, "areas.import")
        # A row without a parent becomes a new root area (a new city): the system's and the operator's only.
        self.may_add_roots = actor is None or is_operator(actor)
        self.progress = progress or (lambda n: None)
        self.plan = Plan()
        self.done = 0

    # --- helpers ------------------------------------------------------------------------------------
    def in_scope(self, path: str) -> bool:
        return self.paths is None or lies_under(path, self.paths)

    def _tick(self) -> None:
        self.done += 1
        if self.done % 200 == 0:
            self.progress(self.done)

    def _lookup(self, sheets: dict[str, Sheet]) -> None:
        """Everything the rows refer to that may already exist, in a few chunked queries."""
        area_rows = sheets[AREA_SHEET].rows if AREA_SHEET in sheets else []
        org_rows = sheets[ORG_SHEET].rows if ORG_SHEET in sheets else []
        area_codes = {r.values[k] for r in area_rows for k in ("code", "parent_code") if r.values[k]}
        area_codes |= {r.values["area_code"] for r in org_rows if r.values["area_code"]}
        org_codes = {r.values[k] for r in org_rows for k in ("code", "parent_code") if r.values[k]}
        usernames = {r.values["secretary"] for r in org_rows if r.values["secretary"]}
        self.db_areas: dict[str, DbArea] = {}
        for chunk in _chunks(area_codes):
            for pk, code, name, path, depth, level, retired in Area.objects.filter(
                code__in=chunk
            ).values_list("id", "code", "name", "path", "depth", "level", "retired"):
                self.db_areas[code] = DbArea(pk, name, path, depth, level, retired)
        self.db_orgs: dict[str, DbOrg] = {}
        for chunk in _chunks(org_codes):
            for pk, code, name, kind, retired, path in PartyOrg.objects.filter(code__in=chunk).values_list(
                "id", "code", "name", "kind", "retired", "area__path"
            ):
                self.db_orgs[code] = DbOrg(pk, name, kind, retired, path)
        self.users: dict[str, int] = {}
        user_model = get_user_model()
        for chunk in _chunks(usernames):
            users = user_model.objects.filter(username__in=chunk, is_active=True)
            if self.paths is not None:
                users = users.filter(people_in_paths_q(self.paths))
            self.users.update(dict(users.values_list("username", "id")))

    # --- the area sheet ------------------------------------------------------------------------------
    def _area_parent(
        self, index: int, row: Row, key_first, code_first, err
    ) -> tuple[int | None, DbArea | None]:
        parent_key, parent_code = row.values["parent_key"], row.values["parent_code"]
        if parent_key and parent_code:
            err("parent_key", _("“上级编号”和“上级区划代码”只能填写一个"))
            return None, None
        if not parent_key and not parent_code:
            if not self.may_add_roots:
                err(
                    "parent_code",
                    _(
                        "请填写上级编号或上级区划代码；没有上级的区域将成为新的最上级区域（新的市），"
                        "只有系统管理员可以导入"
                    ),
                )
            return None, None
        column, value, first = (
            ("parent_key", parent_key, key_first) if parent_key else ("parent_code", parent_code, code_first)
        )
        j = first.get(value)
        if j is not None and j < index:
            return j, None
        if j == index:
            err(column, _("不能以本行自己作为上级"))
            return None, None
        if j is not None:
            err(
                column,
                _("上级“%(value)s”在第%(row)d行，位于本行之后；请把上级写在下级之前")
                % {"value": value, "row": self.area_rows[j].number},
            )
            return None, None
        if parent_key:
            err(column, _("上级编号“%(value)s”在本表中不存在") % {"value": value})
            return None, None
        db = self.db_areas.get(value)
        if db is None or not self.in_scope(db.path):
            err(column, _("上级区划代码“%(value)s”不存在或不在您的管辖范围内") % {"value": value})
            return None, None
        if db.retired:
            err(column, _("上级区域“%(name)s”已撤销") % {"name": db.name})
            return None, None
        return None, db

    def validate_areas(self, sheet: Sheet) -> None:
        self.area_rows = rows = sheet.rows
        self.area_key_first = key_first = _first_index(rows, "key")
        self.area_code_first = code_first = _first_index(rows, "code")
        for index, row in enumerate(rows):
            errors: list[RowError] = []

            def err(column: str, message: str, row=row, errors=errors) -> None:
                errors.append(RowError(AREA_SHEET, row.number, _LABEL[AREA_SHEET][column], message))

            v = row.values
            if not v["name"]:
                err("name", _("请填写名称"))
            elif len(v["name"]) > rules.AREA_NAME_MAX:
                err("name", _("名称不能超过%(max)d个字") % {"max": rules.AREA_NAME_MAX})
            level = rules.parse_level(v["level"])
            if v["level"] is None:
                err("level", _("请填写层级"))
            elif level is None:
                err(
                    "level",
                    _("无法识别层级“%(value)s”，可填：%(names)s")
                    % {"value": v["level"], "names": "、".join(rules.LEVEL_FILE_NAME.values())},
                )
            code = v["code"]
            if code:
                if message := rules.area_code_error(code):
                    err("code", message)
                elif code_first[code] != index:
                    err(
                        "code",
                        _("区划代码“%(code)s”重复：第%(first)d行和第%(row)d行")
                        % {"code": code, "first": rows[code_first[code]].number, "row": row.number},
                    )
                elif code in self.db_areas:
                    taken = self.db_areas[code]
                    if self.in_scope(taken.path):  # a name outside the scope is not told
                        err(
                            "code",
                            _("区划代码“%(code)s”已被现有区域“%(name)s”使用")
                            % {"code": code, "name": taken.name},
                        )
                    else:
                        err("code", _("区划代码“%(code)s”已存在") % {"code": code})
            if v["key"] and key_first[v["key"]] != index:
                err(
                    "key",
                    _("编号“%(key)s”重复：第%(first)d行和第%(row)d行")
                    % {"key": v["key"], "first": rows[key_first[v["key"]]].number, "row": row.number},
                )
            planned = PlannedArea(row.number, v["name"], level, code)
            planned.parent_index, planned.parent_db = self._area_parent(
                index, row, key_first, code_first, err
            )
            if planned.parent_index is not None:
                parent = self.plan.areas[planned.parent_index]
                parent_level = parent.level
                planned.file_chain = parent.file_chain | {index}
                planned.db_anchor = parent.db_anchor
            else:
                parent_level = planned.parent_db.level if planned.parent_db else None
                planned.file_chain = frozenset({index})
                planned.db_anchor = planned.parent_db.path if planned.parent_db else None
            if (
                level is not None
                and parent_level is not None
                and (message := rules.level_error(level, parent_level))
            ):
                err("level", message)
            self.plan.areas.append(planned)
            self.plan.errors.extend(errors)
            self._tick()

    # --- the organization sheet ----------------------------------------------------------------------
    def _org_area(self, row: Row, err) -> tuple[int | None, DbArea | None]:
        area_key, area_code = row.values["area_key"], row.values["area_code"]
        if area_key and area_code:
            err("area_key", _("“所在区域编号”和“所在区域区划代码”只能填写一个"))
        elif not area_key and not area_code:
            err("area_code", _("请填写所在区域编号或所在区域区划代码"))
        elif area_key:
            j = self.area_key_first.get(area_key)
            if j is None:
                err("area_key", _("所在区域编号“%(value)s”在“区域”表中不存在") % {"value": area_key})
            else:
                return j, None
        else:
            j = self.area_code_first.get(area_code)
            if j is not None:
                return j, None
            db = self.db_areas.get(area_code)
            if db is None or not self.in_scope(db.path):
                err("area_code", _("区划代码“%(value)s”不存在或不在您的管辖范围内") % {"value": area_code})
            elif db.retired:
                err("area_code", _("区域“%(name)s”已撤销") % {"name": db.name})
            else:
                return None, db
        return None, None

    def _org_parent(
        self, index: int, row: Row, key_first, code_first, err
    ) -> tuple[int | None, DbOrg | None]:
        parent_key, parent_code = row.values["parent_key"], row.values["parent_code"]
        if not parent_key and not parent_code:
            return None, None
        if parent_key and parent_code:
            err("parent_key", _("“上级组织编号”和“上级组织编码”只能填写一个"))
            return None, None
        column, value, first = (
            ("parent_key", parent_key, key_first) if parent_key else ("parent_code", parent_code, code_first)
        )
        j = first.get(value)
        if j is not None and j < index:
            return j, None
        if j == index:
            err(column, _("不能以本行自己作为上级组织"))
        elif j is not None:
            err(
                column,
                _("上级组织“%(value)s”在第%(row)d行，位于本行之后；请把上级写在下级之前")
                % {"value": value, "row": self.org_rows[j].number},
            )
        elif parent_key:
            err(column, _("上级组织编号“%(value)s”在本表中不存在") % {"value": value})
        else:
            db = self.db_orgs.get(value)
            if db is None or not self.in_scope(db.area_path):
                err(column, _("上级组织编码“%(value)s”不存在或不在您的管辖范围内") % {"value": value})
            elif db.retired:
                err(column, _("上级组织“%(name)s”已撤销") % {"name": db.name})
            else:
                return None, db
        return None, None

    def _area_name(self, index: int | None, db: DbArea | None) -> str:
        if db is not None:
            return db.name
        if index is not None:
            return self.plan.areas[index].name or ""
        return ""

    def _covers(self, parent: PlannedOrg | DbOrg, child: PlannedOrg) -> bool | None:
        """Does the parent organization's area contain the child's? None when either area is unknown."""
        if child.area_index is not None:
            chain, anchor = (
                self.plan.areas[child.area_index].file_chain,
                self.plan.areas[child.area_index].db_anchor,
            )
        elif child.area_db is not None:
            chain, anchor = frozenset(), child.area_db.path
        else:
            return None
        if isinstance(parent, DbOrg):
            return lies_under(anchor, parent.area_path)
        if parent.area_index is not None:
            return parent.area_index in chain
        if parent.area_db is not None:
            return lies_under(anchor, parent.area_db.path)
        return None

    def validate_orgs(self, sheet: Sheet) -> None:
        self.org_rows = rows = sheet.rows
        if not hasattr(self, "area_key_first"):
            self.area_rows, self.area_key_first, self.area_code_first = [], {}, {}
        key_first, code_first = _first_index(rows, "key"), _first_index(rows, "code")
        for index, row in enumerate(rows):
            errors: list[RowError] = []

            def err(column: str, message: str, row=row, errors=errors) -> None:
                errors.append(RowError(ORG_SHEET, row.number, _LABEL[ORG_SHEET][column], message))

            v = row.values
            if not v["name"]:
                err("name", _("请填写名称"))
            elif len(v["name"]) > rules.ORG_NAME_MAX:
                err("name", _("名称不能超过%(max)d个字") % {"max": rules.ORG_NAME_MAX})
            kind = rules.parse_kind(v["kind"])
            if v["kind"] is None:
                err("kind", _("请填写组织类型"))
            elif kind is None:
                err(
                    "kind",
                    _("无法识别组织类型“%(value)s”，可填：%(names)s")
                    % {"value": v["kind"], "names": "、".join(rules.KIND_FILE_NAME.values())},
                )
            code = v["code"]
            if code:
                if len(code) > rules.ORG_CODE_MAX:
                    err("code", _("组织编码不能超过%(max)d个字符") % {"max": rules.ORG_CODE_MAX})
                elif code_first[code] != index:
                    err(
                        "code",
                        _("组织编码“%(code)s”重复：第%(first)d行和第%(row)d行")
                        % {"code": code, "first": rows[code_first[code]].number, "row": row.number},
                    )
                elif code in self.db_orgs:
                    taken = self.db_orgs[code]
                    if self.in_scope(taken.area_path):
                        err(
                            "code",
                            _("组织编码“%(code)s”已被现有党组织“%(name)s”使用")
                            % {"code": code, "name": taken.name},
                        )
                    else:
                        err("code", _("组织编码“%(code)s”已存在") % {"code": code})
            if v["key"] and key_first[v["key"]] != index:
                err(
                    "key",
                    _("编号“%(key)s”重复：第%(first)d行和第%(row)d行")
                    % {"key": v["key"], "first": rows[key_first[v["key"]]].number, "row": row.number},
                )
            planned = PlannedOrg(row.number, v["name"], kind, code)
            planned.area_index, planned.area_db = self._org_area(row, err)
            planned.parent_index, planned.parent_db = self._org_parent(index, row, key_first, code_first, err)
            parent_column = "parent_code" if v["parent_code"] else "parent_key"
            parent = planned.parent_db or (
                self.plan.orgs[planned.parent_index] if planned.parent_index is not None else None
            )
            if kind is not None and parent is not None and parent.kind is not None:
                message = rules.kind_error(kind, parent.kind)
                if message:
                    err(parent_column, message)
            elif kind is not None and parent is None and not (v["parent_key"] or v["parent_code"]):
                message = rules.kind_error(kind, None)
                if message:
                    err("kind", message)
            if parent is not None and self._covers(parent, planned) is False:
                err(
                    parent_column,
                    _("上级组织所在区域必须包含本组织所在区域“%(area)s”")
                    % {"area": self._area_name(planned.area_index, planned.area_db)},
                )
            if v["secretary"]:
                planned.secretary_id = self.users.get(v["secretary"])
                if planned.secretary_id is None:
                    err("secretary", _("用户“%(name)s”不存在或不在您的管辖范围内") % {"name": v["secretary"]})
            self.plan.orgs.append(planned)
            self.plan.errors.extend(errors)
            self._tick()

    def run(self, sheets: dict[str, Sheet]) -> Plan:
        self._lookup(sheets)
        if AREA_SHEET in sheets:
            self.validate_areas(sheets[AREA_SHEET])
        if ORG_SHEET in sheets:
            self.validate_orgs(sheets[ORG_SHEET])
        self.progress(self.done)
        return self.plan
