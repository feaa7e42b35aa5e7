"""Points' share of a person's data (grassroots/privacy/registry.py): their points ledger (积分流水) and their
exchanges in the community points store (积分兑换). Both are kept on a deletion: the ledger only grows (a
line is never changed or deleted, docs/decisions.md) and the exchanges are the community's account of the
goods handed out; the person's account itself is pseudonymised by the privacy part."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from grassroots.privacy.registry import Erasure, How, PersonalData, model_rows, register


def _ledger(user):
    from grassroots.virtue.models_points import PointsEntry

    return model_rows(
        PointsEntry.objects.filter(person=user).select_related("area").order_by("created_at", "pk"),
        ["created_at", "rule", "points", "reason", "area"],
    )


def _keep_ledger(user, *, placeholder: str) -> Erasure:
    from grassroots.virtue.models_points import PointsEntry

    count = PointsEntry.objects.filter(person=user).count()
    return Erasure(How.KEPT, count, _("积分流水只追加、不修改") if count else "")


def _exchanges(user):
    from grassroots.virtue.models_points import Exchange

    return model_rows(
        Exchange.objects.filter(person=user).select_related("item", "area").order_by("created_at", "pk"),
        ["created_at", "item", "area", "points", "state", "picked_up_at", "cancelled_at", "cancel_reason"],
    )


def _keep_exchanges(user, *, placeholder: str) -> Erasure:
    from grassroots.virtue.models_points import Exchange

    count = Exchange.objects.filter(person=user).count()
    return Erasure(How.KEPT, count, _("社区发放物品的记录须留存") if count else "")


def register_personal_data() -> None:
    register(PersonalData("virtue.points", gettext_lazy("积分流水"), _ledger, _keep_ledger, 60))
    register(PersonalData("virtue.exchanges", gettext_lazy("积分兑换"), _exchanges, _keep_exchanges, 61))
