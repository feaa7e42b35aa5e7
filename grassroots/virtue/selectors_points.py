"""What points and the store read, through the one scoping function: a person's own lines and exchanges
(the models' `scope_people`) and, for officials, those of their areas (`virtue.view`); store items of the
user's scope and of the community they live in."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, Sum

from grassroots.access.scoping import has_perm, scoped
from grassroots.areas.models import Area, Level
from grassroots.areas.subtree import ancestor_paths
from grassroots.virtue.models_points import Exchange, ExchangeState, PointsEntry, StockEntry, StoreItem
from grassroots.virtue.services_points import MANAGE, VIEW, balance, community_of

__all__ = ["MANAGE", "VIEW", "balance", "community_of"]


def ledger(user):
    """The lines the user may see (their own; an official's areas), each with whether it is reversed."""
    return (
        scoped(PointsEntry.objects.all(), user, VIEW)
        .select_related("person", "area")
        .annotate(reversed=Exists(PointsEntry.objects.filter(reverses=OuterRef("pk"))))
        .order_by("-created_at", "-pk")
    )


def ledger_page(user, area: Area | None = None):
    """积分台账: the lines of the user's `virtue.view` scope (the header's working area or `area` narrows
    it), each with `manageable` — the user holds `virtue.manage` on its area — read in the same query."""
    rows = ledger(user)
    if area is not None:
        rows = rows.filter(area__path__startswith=area.path)
    manageable = scoped(PointsEntry.objects.filter(pk=OuterRef("pk")), user, MANAGE)
    return rows.annotate(manageable=Exists(manageable))


def reversible(entry) -> bool:
    """Whether the ledger page offers 冲销 on a line of `ledger_page`: the user manages its area and
    `services_points.reverse_entry` would take it (an earning or award, not an exchange's line, not a
    reversal, not reversed yet). The service decides again."""
    from grassroots.virtue.models_points import PointsRule

    return bool(
        entry.manageable
        and not entry.reversed
        and entry.reverses_id is None
        and entry.rule != PointsRule.EXCHANGE
    )


def own_ledger(user):
    return ledger(user).filter(person=user)


def earned_in(queryset) -> int:
    return queryset.aggregate(total=Sum("points"))["total"] or 0


def store_items(user):
    """Items of the user's scope, and of the community they live in (residents browse their store)."""
    q = Q(pk__in=scoped(StoreItem.objects.all(), user, VIEW).values("pk"))
    home = getattr(user, "home_area", None)
    if home is not None:
        q |= Q(area__path__in=ancestor_paths(home.path), area__level=Level.COMMUNITY)
    return StoreItem.objects.filter(q).select_related("area").order_by("area__path", "price", "pk")


def exchanges(user):
    return scoped(Exchange.objects.all(), user, VIEW).select_related("item", "area", "person")


def pickups(user, area: Area | None = None):
    """The pending exchanges of the communities the user manages (the pick-up list)."""
    rows = scoped(Exchange.objects.filter(state=ExchangeState.PENDING), user, MANAGE, "area__path")
    if area is not None:
        rows = rows.filter(area__path__startswith=area.path)
    return rows.select_related("item", "area", "person").order_by("created_at", "pk")


def store_areas(user):
    """The communities whose store the user runs."""
    return scoped(Area.objects.filter(level=Level.COMMUNITY, retired=False), user, MANAGE, "path").order_by(
        "path"
    )


def may_manage(user, area) -> bool:
    return has_perm(user, MANAGE, area)


def stock_ledger(user):
    """The stock ledger's lines (库存记录) of the goods the user keeps (`virtue.manage`), newest first."""
    return scoped(StockEntry.objects.all(), user, MANAGE).select_related("item", "by").order_by("-at", "-pk")


def stock_history(user, item: StoreItem):
    """One good's stock history, for its page: the lines of `stock_ledger`, one query whatever their
    number."""
    return stock_ledger(user).filter(item=item)
