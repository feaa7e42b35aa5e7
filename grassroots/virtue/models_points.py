"""Points (积分) and the community points store (docs/virtue.md, "Points").

- `PointsEntry`: one line of a person's points ledger. Lines are only added: an earning for a real deed
  (attendance recorded present, volunteer hours confirmed by the organizer, an award won), a spending in the
  store, or a reversal (a new line pointing at the line it reverses, with the reason). A line is never
  changed or deleted: `AppendOnlyQuerySet`, `save` and `delete` below refuse it, and in the database a
  trigger refuses UPDATE and DELETE (`LEDGER_GUARD`, the audit trail's mechanism audit/dbguard.py,
  migration virtue.0006); only the recorder's id set to NULL when that user is deleted passes. The deed
  is named by `source_type` (the model label, e.g. `gatherings.participant`) and `source_id`; the database
  keeps one live earning per deed and rule (`occurrence` counts earnings of the same deed after reversals).
- `StoreItem`: a good a community offers for points (name, price, stock, a photo: a checked upload under an
  unguessable name, served only by the scoped `virtue:store_item_photo`).
- `Exchange`: a person's exchange of points for one item: pending pick-up → picked up, or cancelled (points
  and stock returned).
- `StockEntry`: one line of a good's stock ledger (库存记录), written in the same transaction as every change
  of `StoreItem.stock` — the opening stock, 入库, an exchange's −1, a cancellation's +1 — so the lines of a
  good sum to its stock. Only added, as the points ledger (`STOCK_GUARD`, migration virtue.0013). A restock
  keeps its form's submission token: a double click adds once."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from grassroots.areas.models import Area
from grassroots.audit.dbguard import Guard
from grassroots.files.naming import RandomName
from grassroots.portal.submissions import submission_field


class PointsRule(models.TextChoices):
    ATTENDANCE = "attendance", _("参加活动")
    SERVICE_HOURS = "service_hours", _("志愿服务")
    AWARD = "award", _("评选获奖")
    EXCHANGE = "exchange", _("积分兑换")


class LedgerError(PermissionDenied):
    def __init__(self, message: str | None = None):
        super().__init__(message or _("积分流水只能追加，不能修改或删除；请以冲销更正。"))


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise LedgerError(self.model.refused)

    def delete(self):
        raise LedgerError(self.model.refused)

    def bulk_update(self, objs, fields, batch_size=None):
        raise LedgerError(self.model.refused)


class LedgerLine(models.Model):
    """A line of a ledger that is only added to (the points ledger, the stock ledger): saving it again,
    updating or deleting it is refused with `refused` (the ledger's own message)."""

    refused = None  # the ledger's message; None: the points ledger's

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None or not self._state.adding:
            raise LedgerError(self.refused)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise LedgerError(self.refused)


LEDGER_GUARD = Guard(
    "points",
    {"virtue_pointsentry": "created_by_id"},
    "积分流水只能追加，不能修改或删除（points ledger is append-only）",
)


class PointsEntry(LedgerLine):
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("积分人"),
        on_delete=models.PROTECT,  # the ledger stays: an account is pseudonymised, not deleted
        related_name="points_entries",
    )
    area = models.ForeignKey(
        Area, verbose_name=_("所属区域"), on_delete=models.PROTECT, related_name="points_entries"
    )
    rule = models.CharField(_("积分规则"), max_length=20, choices=PointsRule.choices)
    points = models.IntegerField(_("积分"))
    source_type = models.CharField(_("来源类型"), max_length=60)
    source_id = models.PositiveBigIntegerField(_("来源编号"))
    occurrence = models.PositiveSmallIntegerField(_("第几次记分"), default=0)
    reverses = models.OneToOneField(
        "self",
        verbose_name=_("冲销的流水"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reversal",
    )
    reason = models.CharField(_("事由"), max_length=200)
    created_at = models.DateTimeField(_("记录时间"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("记录人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    scope_path = "area__path"
    scope_people = {"virtue.view": ("person",)}  # a person sees their own ledger

    class Meta:
        verbose_name = _("积分流水")
        verbose_name_plural = _("积分流水")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "rule", "source_type", "source_id", "occurrence"],
                condition=Q(reverses__isnull=True),
                name="virtue_points_once_per_deed",
            ),
            models.CheckConstraint(condition=~Q(points=0), name="virtue_points_not_zero"),
        ]
        indexes = [models.Index(fields=["person", "-created_at"], name="virtue_points_person")]

    def __str__(self) -> str:
        return f"{self.person} {self.points:+d} {self.reason}"


class StoreItem(models.Model):
    area = models.ForeignKey(
        Area, verbose_name=_("社区"), on_delete=models.PROTECT, related_name="store_items"
    )
    name = models.CharField(_("商品名称"), max_length=60)
    description = models.CharField(_("说明"), max_length=300, blank=True)
    price = models.PositiveIntegerField(_("兑换所需积分"))
    stock = models.PositiveIntegerField(_("库存"))
    active = models.BooleanField(_("上架"), default=True)
    photo = models.ImageField(_("照片"), upload_to=RandomName("virtue"), blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    scope_path = "area__path"

    class Meta:
        verbose_name = _("积分商品")
        verbose_name_plural = _("积分商品")
        ordering = ["area__path", "price", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["area", "name"], name="virtue_store_item_unique_name"),
            models.CheckConstraint(condition=Q(price__gte=1), name="virtue_store_item_price_positive"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("virtue:store") + f"?area={self.area_id}"

    def photo_url(self) -> str:
        """The photo's scoped address ("" without a photo)."""
        return reverse("virtue:store_item_photo", args=[self.pk]) if self.photo else ""


class ExchangeState(models.TextChoices):
    PENDING = "pending", _("待领取")
    PICKED_UP = "picked_up", _("已领取")
    CANCELLED = "cancelled", _("已取消")


class Exchange(models.Model):
    item = models.ForeignKey(
        StoreItem, verbose_name=_("积分商品"), on_delete=models.PROTECT, related_name="exchanges"
    )
    area = models.ForeignKey(Area, verbose_name=_("社区"), on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("兑换人"),
        on_delete=models.CASCADE,
        related_name="points_exchanges",
    )
    points = models.PositiveIntegerField(_("花费积分"))
    state = models.CharField(
        _("状态"), max_length=20, choices=ExchangeState.choices, default=ExchangeState.PENDING
    )
    created_at = models.DateTimeField(_("兑换时间"))
    picked_up_at = models.DateTimeField(_("领取时间"), null=True, blank=True)
    picked_up_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发放人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    cancelled_at = models.DateTimeField(_("取消时间"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("取消人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    cancel_reason = models.CharField(_("取消原因"), max_length=200, blank=True)

    scope_path = "area__path"
    scope_people = {"virtue.view": ("person",)}  # a person sees their own exchanges

    class Meta:
        verbose_name = _("积分兑换")
        verbose_name_plural = _("积分兑换")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.person} · {self.item}"


class StockKind(models.TextChoices):
    OPENING = "opening", _("期初库存")
    RESTOCK = "restock", _("入库")
    EXCHANGE = "exchange", _("兑换")
    CANCEL = "cancel", _("撤销兑换")


STOCK_GUARD = Guard(
    "stock",
    {"virtue_stockentry": "by_id"},
    "库存记录只能追加，不能修改或删除（stock ledger is append-only）",
)


class StockEntry(LedgerLine):
    """One change of a good's stock: `change` is +N (期初库存, 入库), −1 (兑换) or +1 (撤销兑换)."""

    item = models.ForeignKey(
        StoreItem, verbose_name=_("积分商品"), on_delete=models.PROTECT, related_name="stock_entries"
    )
    area = models.ForeignKey(Area, verbose_name=_("社区"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("类别"), max_length=20, choices=StockKind.choices)
    change = models.IntegerField(_("库存变动"))
    exchange = models.ForeignKey(
        Exchange,
        verbose_name=_("积分兑换"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="stock_entries",
    )
    at = models.DateTimeField(_("时间"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("经办人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submission = submission_field()

    refused = _("库存记录只能追加，不能修改或删除。")
    scope_path = "area__path"

    class Meta:
        verbose_name = _("库存记录")
        verbose_name_plural = _("库存记录")
        ordering = ["-at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["item", "by", "submission"],
                condition=~Q(submission=""),
                name="virtue_stock_one_per_submission",
            ),
            models.UniqueConstraint(
                fields=["exchange", "kind"],
                condition=Q(exchange__isnull=False),
                name="virtue_stock_once_per_exchange",
            ),
            models.CheckConstraint(condition=~Q(change=0), name="virtue_stock_change_not_zero"),
        ]
        indexes = [models.Index(fields=["item", "-at"], name="virtue_stock_item")]

    def __str__(self) -> str:
        return f"{self.item_id} {self.change:+d} {self.kind}"
