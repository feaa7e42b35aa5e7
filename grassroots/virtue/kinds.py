"""The gathering kinds of cultivation by virtue (一化): education events held as gatherings (the one
gatherings model, its attendance sheet), each counted as study by the members app, so that a Party member
marked present gets one study record (entered once, `members.services.educate`). Themed Party days (主题党日)
are organizational life's kind `orglife_theme_day`, and legal education (法治宣传教育) is the legal service
stations' kind `legal_education` (lawgov, scheduled from a station): each already a study kind of its own
part, joined in here, not registered twice (docs/decisions.md, "legal education is joined in")."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

INTEGRITY_LECTURE = "virtue_integrity_lecture"  # 廉洁文化大讲堂
WARNING = "virtue_warning"  # 警示教育 (case teaching, testimony, on-site teaching: WarningEducation.mode)
MORAL_HALL = "virtue_moral_hall"  # 道德讲堂
THEME_DAY = "orglife_theme_day"  # 主题党日 (organizational life's kind)
LEGAL_EDUCATION = (
    "legal_education"  # 法治宣传教育 (the legal service stations' kind, lawgov.services_stations)
)

GROUP_LABEL = _("以德化人")

KINDS: dict[str, tuple] = {
    INTEGRITY_LECTURE: (_("廉洁文化大讲堂"), "easel2"),
    WARNING: (_("警示教育"), "exclamation-octagon"),
    MORAL_HALL: (_("道德讲堂"), "heart-pulse"),
}
EDUCATION_KINDS = (*KINDS, THEME_DAY, LEGAL_EDUCATION)


def register_all() -> None:
    """Called from VirtueConfig.ready(): the kinds for gatherings, each a study kind for members."""
    from grassroots.core.members.services.educate import register_study_kind
    from grassroots.gatherings.kinds import OwnForm, register_kind

    # Warning education is recorded for a leadership team (WarningEducation) on its own page: the general
    # form does not offer it and the general create refuses it (docs/decisions.md, "kinds with a form of
    # their own").
    own = {WARNING: OwnForm("virtue:warning_list", _("警示教育"), "/api/warning-educations/")}
    for code, (text, icon) in KINDS.items():
        register_kind(code, text, icon=icon, group=GROUP_LABEL, own_form=own.get(code))
        register_study_kind(code)
