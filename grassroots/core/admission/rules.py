"""THE RULE of 社区事务准入制: work goes to communities only under an affair of the catalog, with its powers
and funds. `grassroots.core.duties.services.issue_task` calls `check_task_affair` for every task it issues,
so the rule holds for the pages, the API, the demo loader and any later caller alike."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from grassroots.areas.models import Level
from grassroots.areas.subtree import lies_under

NOT_ADMITTED = _("不在社区事务准入目录内")
NO_AFFAIR = _("请选择准入事项（不在社区事务准入目录内的事项不能下发到社区）")


def check_task_affair(*, affair, deadline: date, target_level: int, target_paths: Iterable[str]) -> None:
    """Refuse a task issued to communities unless it names an admitted affair that is in force on the task's
    deadline and applies to every target community (their areas lie under the affair's area). Tasks issued
    to other levels need no affair. Raises ValidationError on the field "affair", code "not_admitted"."""
    if target_level != Level.COMMUNITY:
        return
    if affair is None:
        raise ValidationError({"affair": ValidationError(NO_AFFAIR, code="not_admitted")})
    if not affair.is_valid_on(deadline):
        message = _("不在社区事务准入目录内：“%(name)s”在截止日期 %(deadline)s 不在有效期内。") % {
            "name": affair.name,
            "deadline": deadline.isoformat(),
        }
        raise ValidationError({"affair": ValidationError(message, code="not_admitted")})
    outside = [path for path in target_paths if not lies_under(path, affair.area.path)]
    if outside:
        message = _(
            "不在社区事务准入目录内：“%(name)s”只在%(area)s准入，有 %(count)d 个社区不在其范围内。"
        ) % {
            "name": affair.name,
            "area": affair.area.name,
            "count": len(outside),
        }
        raise ValidationError({"affair": ValidationError(message, code="not_admitted")})
