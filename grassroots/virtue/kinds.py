"""The gathering kinds of cultivation by virtue (一化): education events held as gatherings (the one
gatherings model, its attendance sheet), each counted as study by the members app, so that a Party member
marked present gets one study record (entered once, `members.services.educate`). Themed Party days (主题党日)
are organizational life's kind `orglife_theme_day`, already a study kind: they are not registered twice."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

INTEGRITY_LECTURE = "virtue_integrity_lecture"  # 廉洁文化大讲堂
WARNING = "virtue_warning"  # 警示教育 (case teaching, testimony, on-site teaching: WarningEducation.mode)
MORAL_HALL = "virtue_moral_hall"  # 道德讲堂
THEME_DAY = "orglife_theme_day"  # 主题党日 (organizational life's kind)

GROUP_LABEL = _("以德化人")

KINDS: dict[str, tuple] = {
    INTEGRITY_LECTURE: (_("廉洁文化大讲堂"), "easel2"),
    WARNING: (_("警示教育"), "exclamation-octagon"),
    MORAL_HALL: (_("道德讲堂"), "heart-pulse"),
}
EDUCATION_KINDS = (*KINDS, THEME_DAY)


def register_all() -> None:
    """Called from VirtueConfig.ready(): the kinds for gatherings, each a study kind for members."""
    from grassroots.core.members.services.educate import register_study_kind
    from grassroots.gatherings.kinds import register_kind

    for code, (text, icon) in KINDS.items():
        register_kind(code, text, icon=icon, group=GROUP_LABEL)
        register_study_kind(code)
