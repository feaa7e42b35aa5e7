"""The pages a handbook item may link to: a fixed list of URL names (pages without arguments), each with its
label. An item names one by its URL name; anything else is refused at the field, and a name whose part is not
installed renders as plain text (never a dead link). Naming a URL is no import: the parts stay above."""

from __future__ import annotations

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

LINK_TARGETS: dict[str, str] = {
    "areas:tree": _("区域与党组织"),
    "areas:party_org_list": _("党组织"),
    "gatherings:list": _("会议活动"),
    "members:list": _("党员名册"),
    "members:find": _("寻找失联党员"),
    "members:study": _("学习教育"),
    "members:transfers": _("组织关系转接"),
    "members:dues": _("党费收缴"),
    "members:care": _("关爱帮扶"),
    "duties:worklist": _("任务清单待办"),
    "duties:task_list": _("任务清单"),
    "admission:catalog": _("社区事务准入目录"),
    "orglife:compliance": _("组织生活“三单制”"),
    "orglife:worklist": _("组织生活待办"),
    "coverage:overview": _("新兴领域覆盖"),
    "coverage:entity_list": _("两新组织名录"),
    "assessments:report_list": _("党建述职"),
    "assessments:inspection_list": _("工作督察"),
    "assessments:finding_list": _("督察问题整改"),
    "assessments:scheme_list": _("考核方案"),
    "accounts:verification_queue": _("居民实名核验"),
    "portal:notice_list": _("通知公告"),
}


def link_url(name: str) -> str | None:
    """The URL of a link target, or None (not in the list, or its part is not installed)."""
    if name not in LINK_TARGETS:
        return None
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


def link_choices() -> list[tuple[str, str]]:
    return [("", "—"), *((name, str(label)) for name, label in LINK_TARGETS.items())]
