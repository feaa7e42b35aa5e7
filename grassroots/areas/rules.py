"""The invariants of the area tree and of Party organizations, written once and used by the services, the
forms and the xlsx importer alike.

- Level rule: a child's level is strictly below its parent's (a larger `Level` number); levels may be
  skipped downward (a compound directly under a community).
- An area's code (统计用区划代码) is digits only, at most 12, and unique when present.
- Party organization kinds: a committee may sit under a committee; a general branch under a committee; a
  branch under a general branch or a committee; a group under a branch (and a group must have one).
  A parent organization's area covers the child organization's area.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

from grassroots.areas.models import Level, PartyOrgKind

AREA_CODE_RE = re.compile(r"^\d{1,12}$")
ORG_CODE_MAX = 30
AREA_NAME_MAX = 100
ORG_NAME_MAX = 150

ALLOWED_PARENT_KINDS: dict[str, frozenset[str]] = {
    PartyOrgKind.COMMITTEE: frozenset({PartyOrgKind.COMMITTEE}),
    PartyOrgKind.GENERAL_BRANCH: frozenset({PartyOrgKind.COMMITTEE}),
    PartyOrgKind.BRANCH: frozenset({PartyOrgKind.GENERAL_BRANCH, PartyOrgKind.COMMITTEE}),
    PartyOrgKind.GROUP: frozenset({PartyOrgKind.BRANCH}),
}
KINDS_NEEDING_PARENT = frozenset({PartyOrgKind.GROUP})
# Used to order organizations so that a parent is listed before its children.
KIND_RANK = {
    PartyOrgKind.COMMITTEE: 1,
    PartyOrgKind.GENERAL_BRANCH: 2,
    PartyOrgKind.BRANCH: 3,
    PartyOrgKind.GROUP: 4,
}


def _normalize(text: str) -> str:
    text = str(text).strip().lower()
    for full, half in (("（", "("), ("）", ")"), ("／", "/"), ("　", "")):
        text = text.replace(full, half)
    return re.sub(r"\s+", "", text)


_LEVEL_WORDS: dict[int, tuple[str, ...]] = {
    Level.CITY: ("市", "地级市", "市级", "city"),
    Level.COUNTY: ("县(区)", "县/区", "县区", "县", "区", "县级市", "市辖区", "自治县", "county", "district"),
    Level.STREET: ("街道(乡镇)", "街道/乡镇", "街道", "乡镇", "乡", "镇", "街", "street", "township"),
    Level.COMMUNITY: ("社区", "村", "居委会", "居民委员会", "村委会", "社区居委会", "community"),
    Level.GRID: ("网格", "grid"),
    Level.COURTYARD: ("院落", "院", "courtyard"),
    Level.COMPOUND: ("小区", "住宅小区", "compound"),
    Level.BUILDING: ("楼栋", "楼", "栋", "楼宇", "building"),
}
LEVEL_BY_WORD: dict[str, int] = {_normalize(w): level for level, words in _LEVEL_WORDS.items() for w in words}

_KIND_WORDS: dict[str, tuple[str, ...]] = {
    PartyOrgKind.COMMITTEE: ("党委", "党委员会", "党工委", "委员会", "committee"),
    PartyOrgKind.GENERAL_BRANCH: (
        "党总支",
        "总支",
        "党总支部",
        "党总支部委员会",
        "general_branch",
        "generalbranch",
    ),
    PartyOrgKind.BRANCH: ("党支部", "支部", "党支部委员会", "联合党支部", "branch"),
    PartyOrgKind.GROUP: ("党小组", "小组", "group"),
}
KIND_BY_WORD: dict[str, str] = {_normalize(w): kind for kind, words in _KIND_WORDS.items() for w in words}


# The names written in xlsx files: fixed Chinese whatever the interface language (a file format).
LEVEL_FILE_NAME: dict[int, str] = {
    Level.CITY: "市",
    Level.COUNTY: "县（区）",
    Level.STREET: "街道（乡镇）",
    Level.COMMUNITY: "社区",
    Level.GRID: "网格",
    Level.COURTYARD: "院落",
    Level.COMPOUND: "小区",
    Level.BUILDING: "楼栋",
}
KIND_FILE_NAME: dict[str, str] = {
    PartyOrgKind.COMMITTEE: "党委",
    PartyOrgKind.GENERAL_BRANCH: "党总支",
    PartyOrgKind.BRANCH: "党支部",
    PartyOrgKind.GROUP: "党小组",
}


def parse_level(text) -> int | None:
    """A level from its Chinese (or English) name, e.g. "县（区）", "区", "镇", "楼栋"; None if unknown."""
    if text is None:
        return None
    return LEVEL_BY_WORD.get(_normalize(text))


def parse_kind(text) -> str | None:
    """A Party organization kind from its name, e.g. "党委", "党总支", "支部"; None if unknown."""
    if text is None:
        return None
    return KIND_BY_WORD.get(_normalize(text))


def level_error(level: int, parent_level: int | None) -> str | None:
    """Why `level` may not sit under a parent of `parent_level` (None when it may)."""
    if parent_level is not None and level <= parent_level:
        return _("层级“%(level)s”必须低于上级区域的层级“%(parent)s”") % {
            "level": Level(level).label,
            "parent": Level(parent_level).label,
        }
    return None


def levels_below(parent_level: int) -> list[tuple[int, str]]:
    return [(lv.value, lv.label) for lv in Level if lv.value > parent_level]


def area_code_error(code: str | None) -> str | None:
    if code and not AREA_CODE_RE.match(code):
        return _("区划代码只能是不超过12位的数字")
    return None


def clean_code(value) -> str | None:
    """Blank codes are stored as NULL so that uniqueness applies only to real codes."""
    if value is None:
        return None
    value = str(value).strip()
    return value or None


def kind_error(kind: str, parent_kind: str | None) -> str | None:
    """Why an organization of `kind` may not have a parent of `parent_kind` (None when it may)."""
    if parent_kind is None:
        if kind in KINDS_NEEDING_PARENT:
            return _("党小组必须隶属于一个党支部")
        return None
    if parent_kind not in ALLOWED_PARENT_KINDS[kind]:
        allowed = "、".join(
            str(PartyOrgKind(k).label) for k in sorted(ALLOWED_PARENT_KINDS[kind], key=KIND_RANK.get)
        )
        return _("%(kind)s的上级组织只能是%(allowed)s") % {
            "kind": PartyOrgKind(kind).label,
            "allowed": allowed,
        }
    return None
