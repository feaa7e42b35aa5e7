"""Find the branches, homes and workplaces a workbook names, chunk by chunk (a fixed number of queries per
chunk of rows, never one per row), inside the importer's scope; and name homes for the export the way the
importer reads them.

A branch (所在党支部) is named by its organization code or its exact name; it must be a live 党支部 whose
area lies in the importer's scope for members.import. A home (居住地址) is a courtyard, compound or building
in that scope, named by its id (编号, all digits) or by its names from the community (or a level above it)
down, separated by "/": "桥楼社区/第一网格/一号院落" or "青江街道/桥楼社区/第一网格/一号院落/1栋".
A workplace (所在新兴领域单位) is an emerging-sector entity in that scope, named by its exact name.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from django.apps import apps
from django.db.models import Q
from django.utils.translation import gettext as _

from grassroots.access.scoping import scope_paths
from grassroots.areas.models import Area, Level, PartyOrg, PartyOrgKind
from grassroots.areas.subtree import lies_under, nested
from grassroots.ids import as_id

IMPORT = "members.import"
HOME_LEVELS = (Level.COURTYARD, Level.COMPOUND, Level.BUILDING)
CHUNK = 500  # values per IN (...) list
_SEPARATORS = re.compile(r"\s*[/／>＞]\s*")


@dataclass(frozen=True)
class Found:
    pk: int | None
    error: str = ""


class Scope:
    """The importer's scope for members.import (`actor=None`: the system, everywhere)."""

    def __init__(self, actor) -> None:
        self.everywhere = actor is None
        self.paths = [] if actor is None else scope_paths(actor, IMPORT)

    def covers(self, path: str) -> bool:
        return self.everywhere or lies_under(path, self.paths)

    def touches(self, path: str) -> bool:
        """In the scope, or above it (a name path may start above the importer's scope)."""
        return self.everywhere or any(nested(path, p) for p in self.paths)


def _chunks(values: list, size: int = CHUNK):
    for start in range(0, len(values), size):
        yield values[start : start + size]


class Branches:
    NOT_FOUND = _("找不到该党支部，或不在您的管辖范围内（请填写组织编码或全称）")

    def __init__(self, scope: Scope) -> None:
        self.scope = scope
        self.cache: dict[str, Found] = {}

    def resolve(self, refs: set[str]) -> None:
        wanted = sorted(r for r in refs if r not in self.cache)
        if not wanted:
            return
        by_code: dict[str, tuple] = {}
        by_name: dict[str, list[tuple]] = defaultdict(list)
        for part in _chunks(wanted):
            rows = PartyOrg.objects.filter(Q(code__in=part) | Q(name__in=part), retired=False).values_list(
                "id", "code", "name", "kind", "area__path"
            )
            for row in rows:
                if not self.scope.covers(row[4]):
                    continue
                if row[1] in part:
                    by_code[row[1]] = row
                if row[2] in part:
                    by_name[row[2]].append(row)
        for ref in wanted:
            row = by_code.get(ref)
            if row is None:
                named = by_name.get(ref, [])
                if len(named) > 1:
                    self.cache[ref] = Found(None, _("有多个党组织叫这个名称，请填写组织编码"))
                    continue
                row = named[0] if named else None
            if row is None:
                self.cache[ref] = Found(None, self.NOT_FOUND)
            elif row[3] != PartyOrgKind.BRANCH:
                kind = PartyOrgKind(row[3]).label
                self.cache[ref] = Found(
                    None, _("“%(name)s”是%(kind)s，党员须编入党支部") % {"name": row[2], "kind": kind}
                )
            else:
                self.cache[ref] = Found(row[0])


@dataclass(frozen=True)
class _Node:
    pk: int
    path: str
    depth: int
    level: int


class Homes:
    NOT_FOUND = _("找不到该地址，或不在您的管辖范围内")

    def __init__(self, scope: Scope) -> None:
        self.scope = scope
        self.cache: dict[str, Found] = {}
        self._nodes: dict[tuple[str, ...], list[_Node]] = {}  # name path → the areas it names
        self._children: dict[tuple[str, str], list[_Node]] = defaultdict(list)  # (parent path, name)
        self._loaded: set[str] = set()  # communities whose subtree is in `_children`
        self._community_of: dict[str, str] = {}  # path of a loaded area → its community's path

    def resolve(self, values: set[str]) -> None:
        wanted = [v for v in values if v not in self.cache]
        ids = [v for v in wanted if v.isdigit()]
        paths = {v: tuple(p for p in _SEPARATORS.split(v) if p) for v in wanted if not v.isdigit()}
        self._by_id(ids)
        self._walk(list(paths.values()))
        for value, parts in paths.items():
            nodes = [n for n in self._nodes.get(parts, []) if self.scope.covers(n.path)]
            if len(parts) < 2 or not nodes:
                self.cache[value] = Found(None, self.NOT_FOUND)
            elif len(nodes) > 1:
                self.cache[value] = Found(None, _("有多处地址符合，请在前面加上街道（乡镇）名称"))
            else:
                self.cache[value] = self._home(nodes[0])

    def _home(self, node: _Node) -> Found:
        if node.level not in HOME_LEVELS:
            return Found(
                None, _("居住地址须是院落、小区或楼栋（这是%(level)s）") % {"level": Level(node.level).label}
            )
        return Found(node.pk)

    def _by_id(self, ids: list[str]) -> None:
        found = {}
        for part in _chunks(ids):
            pks = [pk for v in part if (pk := as_id(v))]
            rows = Area.objects.filter(pk__in=pks, retired=False).values_list("id", "path", "depth", "level")
            found.update({str(row[0]): _Node(*row) for row in rows})
        for value in ids:
            node = found.get(str(as_id(value)))  # "²", "0" or past MAX_ID: no id, not found
            if node is None or not self.scope.covers(node.path):
                self.cache[value] = Found(None, self.NOT_FOUND)
            else:
                self.cache[value] = self._home(node)

    def _walk(self, all_parts: list[tuple[str, ...]]) -> None:
        """Resolve every prefix of the name paths, depth by depth: the first names among the areas down to
        community level (in the scope or above it); below a county or street, children by name (one query
        per depth); below a community, from the community's whole subtree, loaded once (one query per chunk
        of new communities) and kept for the rest of the file."""
        depth = max((len(p) for p in all_parts), default=0)
        for k in range(depth):
            prefixes = {p[: k + 1] for p in all_parts if len(p) > k and p[: k + 1] not in self._nodes}
            if not prefixes:
                continue
            if k == 0:
                self._first({p[0] for p in prefixes})
                continue
            parents = {parent for prefix in prefixes for parent in self._nodes.get(prefix[:-1], [])}
            self._load_communities({p.path for p in parents if p.level >= Level.COMMUNITY})
            self._children_above_communities([p for p in parents if p.level < Level.COMMUNITY], prefixes)
            for prefix in prefixes:
                self._nodes[prefix] = [
                    child
                    for parent in self._nodes.get(prefix[:-1], [])
                    for child in self._children.get((parent.path, prefix[-1]), [])
                ]

    def _load_communities(self, paths: set[str]) -> None:
        """Index the subtrees of the communities holding `paths` (a community or a node below one)."""
        wanted = sorted({self._community_of.get(p, p) for p in paths} - self._loaded)
        step = Area.steplen
        for part in _chunks(wanted, 100):
            q = Q(pk__in=[])
            for path in part:
                q |= Q(path__range=(path + "0" * Area.steplen, path + Area.alphabet[-1] * 20))
            rows = Area.objects.filter(q, retired=False).values_list("id", "path", "depth", "level", "name")
            in_part = set(part)
            for pk, path, node_depth, level, name in rows:
                # the shortest of the part's paths above it (a dict lookup per level, not a scan of the part)
                community = next(path[:i] for i in range(step, len(path) + 1, step) if path[:i] in in_part)
                self._community_of[path] = community
                self._children[(path[: -Area.steplen], name)].append(_Node(pk, path, node_depth, level))
            self._loaded.update(part)

    def _children_above_communities(self, parents: list[_Node], prefixes: set[tuple[str, ...]]) -> None:
        wanted_by_parent: dict[_Node, set[str]] = defaultdict(set)
        for prefix in prefixes:
            for parent in self._nodes.get(prefix[:-1], []):
                if parent in parents and (parent.path, prefix[-1]) not in self._children:
                    wanted_by_parent[parent].add(prefix[-1])
        for part in _chunks(list(wanted_by_parent.items()), 100):
            q = Q(pk__in=[])
            for parent, names in part:
                lower = parent.path + "0" * Area.steplen
                upper = parent.path + Area.alphabet[-1] * Area.steplen
                q |= Q(path__range=(lower, upper), depth=parent.depth + 1, name__in=sorted(names))
            rows = Area.objects.filter(q, retired=False).values_list("id", "path", "depth", "level", "name")
            for pk, path, node_depth, level, name in rows:
                self._children[(path[: -Area.steplen], name)].append(_Node(pk, path, node_depth, level))
            for parent, names in part:  # remember the misses too
                for name in names:
                    self._children.setdefault((parent.path, name), [])

    def _first(self, names: set[str]) -> None:
        found: dict[str, list[_Node]] = defaultdict(list)
        for part in _chunks(sorted(names)):
            rows = Area.objects.filter(name__in=part, level__lte=Level.COMMUNITY, retired=False).values_list(
                "id", "path", "depth", "level", "name"
            )
            for pk, path, depth, level, name in rows:
                if self.scope.touches(path):
                    found[name].append(_Node(pk, path, depth, level))
        for name in names:
            self._nodes[(name,)] = found.get(name, [])


class Workplaces:
    """所在新兴领域单位: an emerging-sector entity (coverage) named by its exact name, whose area lies in the
    importer's scope; one query per chunk of names not seen before, for all the rows that name them."""

    NOT_FOUND = _("找不到该新兴领域单位，或不在您的管辖范围内（请填写单位全称）")
    AMBIGUOUS = _(
        "您的管辖范围内有多个新兴领域单位叫这个名称，无法确定是哪一个；请先在“新兴领域单位”中区分它们的名称"
    )

    def __init__(self, scope: Scope) -> None:
        self.scope = scope
        self.cache: dict[str, Found] = {}

    def resolve(self, names: set[str]) -> None:
        wanted = sorted(n for n in names if n not in self.cache)
        if not wanted:
            return
        entity = apps.get_model("coverage", "Entity")
        by_name: dict[str, list[int]] = defaultdict(list)
        for part in _chunks(wanted):
            for pk, name, path in entity.objects.filter(name__in=part).values_list(
                "id", "name", "area__path"
            ):
                if self.scope.covers(path):
                    by_name[name].append(pk)
        for name in wanted:
            found = by_name.get(name, [])
            if not found:
                self.cache[name] = Found(None, self.NOT_FOUND)
            elif len(found) > 1:
                self.cache[name] = Found(None, self.AMBIGUOUS)
            else:
                self.cache[name] = Found(found[0])


class HomeNames:
    """For the export: a home area's names from its community down ("桥楼社区/第一网格/一号院落"), as the
    importer reads them; the names of ancestors are fetched once per chunk and cached."""

    def __init__(self) -> None:
        self.cache: dict[str, tuple[str, int]] = {}  # path → (name, level)

    def load(self, paths: set[str]) -> None:
        step = Area.steplen
        wanted = {
            path[:end]
            for path in paths
            for end in range(step, len(path) + 1, step)
            if path[:end] not in self.cache
        }
        for part in _chunks(sorted(wanted)):
            for path, name, level in Area.objects.filter(path__in=part).values_list("path", "name", "level"):
                self.cache[path] = (name, level)

    def name_of(self, path: str | None) -> str:
        if not path:
            return ""
        step = Area.steplen
        chain = [self.cache.get(path[:end]) for end in range(step, len(path) + 1, step)]
        chain = [c for c in chain if c is not None]
        start = next((i for i, (_n, level) in enumerate(chain) if level == Level.COMMUNITY), 0)
        return "/".join(name for name, _level in chain[start:])
