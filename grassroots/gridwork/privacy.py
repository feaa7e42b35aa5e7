"""The visit log's share of a person's data (grassroots/privacy/registry.py): the visits a grid worker logged
to the person (`Visit.resident`). A deletion keeps each visit as the worker's work record (date, area,
worker, whether it needed following up) and drops what concerns the person: the link to them, what was
heard, the follow-up and closing notes (`visit_erased`, the one field list). The visits a worker logged
themself are their work, not data about them: the deletion of a worker's account leaves them (the account
is pseudonymised)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from grassroots.privacy.registry import Erasure, How, PersonalData, model_rows, register


def visit_erased() -> dict:
    """What a visit keeps of the person it was about once they are forgotten (an update: a change entry
    would copy the old text into the audit trail once more)."""
    return {
        "resident": None,
        "heard": _("（内容已按个人信息规则删除）"),
        "follow_up_note": "",
        "closing_note": "",
    }


def _visits(user):
    from grassroots.gridwork.models import Visit

    return model_rows(
        Visit.objects.filter(resident=user).select_related("area", "worker").order_by("visited_on", "pk"),
        ["visited_on", "area", "worker", "heard", "follow_up", "follow_up_note", "closed_at", "closing_note"],
    )


def _erase_visits(user, *, placeholder: str) -> Erasure:
    from grassroots.gridwork.models import Visit

    count = Visit.objects.filter(resident=user).update(**visit_erased())
    return Erasure(How.PSEUDONYMISED, count, _("走访日志留存，走访对象和民情记录已删除") if count else "")


def register_visit_data() -> None:
    register(PersonalData("gridwork.visit", gettext_lazy("网格走访"), _visits, _erase_visits, order=45))
