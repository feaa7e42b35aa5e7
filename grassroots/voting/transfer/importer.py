"""The households importer (kind "households"), registered with the generic import runner
(grassroots.imports): the upload page, the job, its progress, the report and the workbook of rejected rows are
the runner's. It reads the sheet "住户" (layout.py), checks every row inside the importer's scope for
voting.manage — the address (an area id or a name path from the community down), the household's name, the
resident (by username, or by name when it names one person) — and writes nothing unless every row is right;
then, in the runner's one transaction, the new households and the memberships (docs/imports.md,
docs/voting.md). A fixed number of queries whatever the rows (the scope's areas once, the residents named per
chunk of 500, the households and memberships of those areas and residents per chunk)."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from grassroots.access.scoping import scope_paths
from grassroots.accounts.services.grants import users_in_scope
from grassroots.areas.models import Area, Level
from grassroots.areas.subtree import ancestor_paths, lies_under, under_q
from grassroots.ids import as_id
from grassroots.imports.reading import UnreadableWorkbook, cell_text, header_key, open_workbook
from grassroots.imports.registry import ImportConflict, Importer, Progress, Validation, register_importer
from grassroots.imports.xlsx import RowError
from grassroots.voting.models import Household, HouseholdMember
from grassroots.voting.services.households import HOUSEHOLD_LEVELS
from grassroots.voting.transfer.layout import COLUMNS, SHEET

MANAGE = "voting.manage"
CHUNK = 500
_SEPARATORS = re.compile(r"\s*[/／>＞]\s*")


@dataclass
class Row:
    number: int
    values: dict[str, str | None]


@dataclass
class Plan:
    new_households: list[tuple[int, str]] = field(default_factory=list)  # (area id, name)
    members: list[tuple[int, str, int]] = field(default_factory=list)  # (area id, household name, user id)


def read_rows(file) -> tuple[list[Row], list[RowError]]:
    try:
        wb = open_workbook(file)
    except UnreadableWorkbook as exc:
        return [], [RowError("", 0, "", exc.message)]
    try:
        names = {name.strip(): name for name in wb.sheetnames}
        if SHEET not in names:
            return [], [RowError("", 0, "", _("找不到工作表“%(sheet)s”，请使用导入模板") % {"sheet": SHEET})]
        rows_in = wb[names[SHEET]].iter_rows(values_only=True)
        header = [header_key(v) for v in (next(rows_in, None) or ())]
        positions = {label: index for index, label in reversed(list(enumerate(header)))}
        missing = [c for c in COLUMNS if c.required and c.label not in positions]
        if missing:
            return [], [RowError(SHEET, 1, c.label, _("缺少此列，请使用导入模板的表头")) for c in missing]
        rows = []
        for number, values in enumerate(rows_in, start=2):
            if values is None or all(cell_text(v) is None for v in values):
                continue
            rows.append(
                Row(
                    number,
                    {
                        c.key: cell_text(values[positions[c.label]])
                        if c.label in positions and positions[c.label] < len(values)
                        else None
                        for c in COLUMNS
                    },
                )
            )
        return rows, []
    except UnreadableWorkbook as exc:  # a sheet that does not parse
        return [], [RowError("", 0, "", exc.message)]
    finally:
        wb.close()


class Addresses:
    """The areas a household may be at (community down to building) inside the scope, by id or by the names
    from the community down (optionally with the street first). Loaded once: the scope's areas and the
    areas above it."""

    NOT_FOUND = _("找不到该住址，或不在您的管辖范围内")

    def __init__(self, paths: list[str] | None) -> None:
        self.paths = paths  # None: everywhere (the system)
        within = Area.objects.filter(retired=False)
        if paths is not None:
            within = within.filter(under_q(paths, "path") | Q(path__in=ancestor_paths(paths)))
        self.nodes = {
            p: (pk, name, level) for pk, p, name, level in within.values_list("id", "path", "name", "level")
        }
        self.by_id = {str(pk): p for p, (pk, _n, _l) in self.nodes.items()}
        self.by_names: dict[tuple[str, ...], list[str]] = defaultdict(list)
        for path, (_pk, _name, level) in self.nodes.items():
            if level not in HOUSEHOLD_LEVELS or not self.covers(path):
                continue
            chain = [self.nodes.get(p) for p in ancestor_paths([path])]
            names = [n[1] for n in chain if n is not None]
            levels = [n[2] for n in chain if n is not None]
            if Level.COMMUNITY in levels:
                start = levels.index(Level.COMMUNITY)
                self.by_names[tuple(names[start:])].append(path)
                if start > 0:
                    self.by_names[tuple(names[start - 1 :])].append(path)

    def covers(self, path: str) -> bool:
        return self.paths is None or lies_under(path, self.paths)

    def find(self, value: str) -> tuple[str | None, str]:
        """(the area's path, "") or (None, the reason)."""
        if value.isdigit():  # a number, never a name: an id ("²" or one past MAX_ID is none, so not found)
            path = self.by_id.get(str(as_id(value)))
            if path is None or not self.covers(path):
                return None, self.NOT_FOUND
            if self.nodes[path][2] not in HOUSEHOLD_LEVELS:
                return None, _("户须登记在社区、网格、院落、小区或楼栋。")
            return path, ""
        found = self.by_names.get(tuple(p for p in _SEPARATORS.split(value) if p), [])
        if not found:
            return None, self.NOT_FOUND
        if len(found) > 1:
            return None, _("有多处住址符合，请在前面加上街道名称")
        return found[0], ""


def _chunks(values: list, size: int = CHUNK):
    for start in range(0, len(values), size):
        yield values[start : start + size]


@register_importer
class HouseholdImporter(Importer):
    kind = "households"
    label = gettext_lazy("住户")
    permission = MANAGE
    upload_url_name = "voting:household_import"

    def validate(self, file, progress: Progress) -> Validation:
        rows, errors = read_rows(file)
        if errors:
            return Validation(total_rows=len(rows), errors=errors)
        if not rows:
            return Validation(errors=[RowError("", 0, "", _("文件中没有数据行"))])
        total = len(rows)
        progress(0, total)
        errors = []
        paths = None if self.actor is None else scope_paths(self.actor, MANAGE)
        addresses = Addresses(paths)
        people = self._people(rows)
        address_of: dict[int, str] = {}
        seen_people: dict[int, int] = {}
        members: list[tuple[Row, str, object]] = []  # (row, column key, user) of the rows naming a resident
        label = {c.key: c.label for c in COLUMNS}
        for row in rows:
            v = row.values
            if not v["address"]:
                errors.append(RowError(SHEET, row.number, label["address"], _("必填")))
            else:
                path, reason = addresses.find(v["address"])
                if path is None:
                    errors.append(RowError(SHEET, row.number, label["address"], reason))
                else:
                    address_of[row.number] = path
            if not v["name"]:
                errors.append(RowError(SHEET, row.number, label["name"], _("必填")))
            elif len(v["name"]) > 100:
                errors.append(RowError(SHEET, row.number, label["name"], _("最多100字")))
            if not (v["resident"] or v["username"]):
                continue
            user, column, reason = self._resident(v, people)
            if user is None:
                errors.append(RowError(SHEET, row.number, label[column], reason))
                continue
            if user.pk in seen_people:
                message = _("该居民在第 %(row)s 行已出现，每名居民只能属于一户") % {
                    "row": seen_people[user.pk]
                }
                errors.append(RowError(SHEET, row.number, label[column], message))
                continue
            seen_people[user.pk] = row.number
            path = address_of.get(row.number)
            if path is not None and (user.home_area is None or not lies_under(user.home_area.path, path)):
                errors.append(RowError(SHEET, row.number, label[column], _("该居民不住在此住址")))
                continue
            members.append((row, column, user))
        # a resident already in a household: in this one (nothing to do) or in another (refused)
        current = {}
        for part in _chunks([user.pk for _row, _column, user in members]):
            found = HouseholdMember.objects.filter(user_id__in=part).values_list(
                "user_id", "household__area_id", "household__name"
            )
            current.update({uid: (area_id, name) for uid, area_id, name in found})
        plan = Plan()
        for row, column, user in members:
            held = current.get(user.pk)
            path = address_of.get(row.number)
            here = (addresses.nodes[path][0], row.values["name"]) if path else None
            if held is None:
                if here is not None:
                    plan.members.append((*here, user.pk))
            elif held != here:
                message = _("该居民已属于户“%(name)s”，请先从原户移出") % {"name": held[1]}
                errors.append(RowError(SHEET, row.number, label[column], message))
        progress(total, total)
        if errors:
            return Validation(total_rows=total, errors=errors)
        wanted = {(addresses.nodes[address_of[r.number]][0], r.values["name"]) for r in rows}
        existing = set()
        for part in _chunks(sorted({area_id for area_id, _name in wanted})):
            existing.update(Household.objects.filter(area_id__in=part).values_list("area_id", "name"))
        plan.new_households = sorted(wanted - existing)
        return Validation(total_rows=total, plan=plan)

    def _people(self, rows: list[Row]) -> dict:
        """The residents the rows name, among those the importer may keep (users_in_scope for voting.manage):
        {"username": {name: user}, "name": {name: [users]}}."""
        usernames = sorted({r.values["username"] for r in rows if r.values["username"]})
        names = sorted(
            {r.values["resident"] for r in rows if r.values["resident"] and not r.values["username"]}
        )
        pool = (
            get_user_model().objects.filter(is_active=True)
            if self.actor is None
            else users_in_scope(self.actor, MANAGE).filter(is_active=True)
        ).select_related("home_area")
        by_username, by_name = {}, defaultdict(list)
        for part in _chunks(usernames):
            by_username.update({u.username: u for u in pool.filter(username__in=part)})
        for part in _chunks(names):
            for user in pool.filter(full_name__in=part):
                by_name[user.full_name].append(user)
        return {"username": by_username, "name": by_name}

    def _resident(self, values, people):
        if values["username"]:
            user = people["username"].get(values["username"])
            if user is None:
                return None, "username", _("找不到该账号，或该居民不在您的管辖范围内")
            if values["resident"] and values["resident"] != user.full_name:
                return (
                    None,
                    "resident",
                    _("姓名与账号不符（该账号的姓名是%(name)s）") % {"name": user.full_name},
                )
            return user, "username", ""
        found = people["name"].get(values["resident"], [])
        if not found:
            return None, "resident", _("找不到该居民，或不在您的管辖范围内")
        if len(found) > 1:
            return None, "resident", _("有同名的居民，请填写居民账号")
        return found[0], "resident", ""

    def write(self, plan: Plan, progress: Progress) -> dict[str, int]:
        total = len(plan.new_households) + len(plan.members)
        try:
            with transaction.atomic():
                Household.objects.bulk_create(
                    [Household(area_id=a, name=n, created_by=self.actor) for a, n in plan.new_households],
                    batch_size=CHUNK,
                )
                progress(len(plan.new_households), total)
                keys = {(a, n) for a, n, _u in plan.members}
                ids = {}
                for part in _chunks(sorted({a for a, _n in keys})):
                    for pk, area_id, name in Household.objects.filter(area_id__in=part).values_list(
                        "id", "area_id", "name"
                    ):
                        ids[(area_id, name)] = pk
                HouseholdMember.objects.bulk_create(
                    [HouseholdMember(household_id=ids[(a, n)], user_id=u) for a, n, u in plan.members],
                    batch_size=CHUNK,
                )
        except IntegrityError as exc:
            raise ImportConflict(_("导入期间住户或户成员已被他人修改，请重新上传。")) from exc
        progress(total, total)
        return {"households": len(plan.new_households), "members": len(plan.members)}

    def done_message(self, counts: dict[str, int]) -> str:
        return _("新建 %(households)s 户，登记户成员 %(members)s 人") % {
            "households": counts.get("households", 0),
            "members": counts.get("members", 0),
        }
