"""The gathering kinds of organizational life (三会一课, 组织生活会, 主题党日), registered with the gatherings
registry and counted as study by the members app (see apps.py)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

GENERAL_MEETING = "orglife_general"  # 党员大会
COMMITTEE_MEETING = "orglife_committee"  # 支委会
GROUP_MEETING = "orglife_group"  # 党小组会
PARTY_LESSON = "orglife_lesson"  # 党课
REVIEW_MEETING = "orglife_review"  # 组织生活会（民主评议党员）
THEME_DAY = "orglife_theme_day"  # 主题党日

GROUP_LABEL = _("组织生活")

# code → (label, bootstrap icon), in the order select boxes show them.
KINDS: dict[str, tuple] = {
    GENERAL_MEETING: (_("党员大会"), "people"),
    COMMITTEE_MEETING: (_("支委会"), "person-workspace"),
    GROUP_MEETING: (_("党小组会"), "people-fill"),
    PARTY_LESSON: (_("党课"), "book"),
    REVIEW_MEETING: (_("组织生活会"), "chat-square-quote"),
    THEME_DAY: (_("主题党日"), "flag"),
}
CODES = tuple(KINDS)


def label(code: str):
    return KINDS[code][0] if code in KINDS else code


def choices() -> list[tuple[str, object]]:
    return [(code, label) for code, (label, _icon) in KINDS.items()]


def register_all() -> None:
    """Called from OrgLifeConfig.ready(): the kinds for gatherings, and each one a study kind for members."""
    from grassroots.core.members.services.educate import register_study_kind
    from grassroots.gatherings.kinds import register_kind

    for code, (text, icon) in KINDS.items():
        register_kind(code, text, icon=icon, group=GROUP_LABEL)
        register_study_kind(code)
