"""API of points and the community points store (docs/virtue.md, "Points"), every step of the pages:

- `/api/points/`: GET the ledger lines the user may see — their own, and an official's areas (`?mine=1`:
  own only; `?area=`); `GET …/balance/` the user's own balance; `POST …/{id}/reverse/ {reason}` an official
  reverses a wrong earning (a new line).
- `/api/store-items/`: GET the items of the user's community and scope (`?area=`); POST, PATCH (not the
  stock) by the community's workers; `POST …/{id}/restock/ {quantity}` adds to the stock (入库);
  `POST/DELETE …/{id}/photo/` (multipart `image`) sets or removes the item's photo (workers; `photo_url`
  serves it, scoped); `POST …/{id}/exchange/` a resident spends points on one (nothing deducted when
  refused: too few points, no stock).
- `/api/stock-entries/`: GET the stock ledger (库存记录) of the goods the caller keeps (`?item=`, `?area=`),
  read only.
- `/api/exchanges/`: GET own exchanges and an official's areas (`?state=`, `?area=`);
  `POST …/{id}/pick-up/` the worker hands the item over; `POST …/{id}/cancel/ {reason}` the person or the
  worker cancels (points and stock come back)."""

from __future__ import annotations

import re

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError as DRFValidationError
from rest_framework.response import Response

from grassroots.access.scoping import area_from_request
from grassroots.api.fields import ScopedPrimaryKeyRelatedField
from grassroots.api.idempotency import submission_input
from grassroots.api.scoping import ScopedViewSetMixin
from grassroots.areas.models import Area
from grassroots.virtue import selectors_points as selectors
from grassroots.virtue import services_points as services
from grassroots.virtue.models_points import Exchange, ExchangeState, PointsEntry, StockEntry, StoreItem

AREA = OpenApiParameter("area", OpenApiTypes.INT, description=str(_("区域 id（含下级）")))


def _in_area(request, queryset):
    area = area_from_request(request, selectors.VIEW)
    return queryset if area is None else queryset.filter(area__path__startswith=area.path)


class PointsEntrySerializer(serializers.ModelSerializer):
    person_name = serializers.CharField(source="person.display_name", read_only=True)
    area_name = serializers.CharField(source="area.name", read_only=True)
    reversed = serializers.BooleanField(read_only=True, help_text=_("是否已被冲销"))

    class Meta:
        model = PointsEntry
        fields = [
            "id",
            "person",
            "person_name",
            "area",
            "area_name",
            "rule",
            "points",
            "reason",
            "reverses",
            "reversed",
            "created_at",
        ]
        read_only_fields = fields


class ReasonInput(serializers.Serializer):
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


BALANCE = inline_serializer("PointsBalance", fields={"balance": serializers.IntegerField()})


class PointsViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    view_permission = selectors.VIEW
    change_permission = selectors.MANAGE
    services_decide = True
    serializer_class = PointsEntrySerializer
    queryset = PointsEntry.objects.all()  # the model, for the schema; get_queryset reads the scope

    def get_queryset(self):
        queryset = selectors.ledger(self.request.user)
        if self.action == "list":
            if self.request.query_params.get("mine") in ("1", "true"):
                queryset = queryset.filter(person=self.request.user)
            queryset = _in_area(self.request, queryset)
        return queryset

    def scope_queryset(self, queryset):
        return queryset  # selectors.ledger is scoped already

    @extend_schema(
        parameters=[AREA, OpenApiParameter("mine", OpenApiTypes.BOOL, description=str(_("只看本人")))]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(responses=BALANCE, filters=False, summary=_("我的积分余额"))
    @action(detail=False, methods=["get"], pagination_class=None, filter_backends=[])
    def balance(self, request):
        return Response({"balance": selectors.balance(request.user)})

    @extend_schema(request=ReasonInput, responses={201: PointsEntrySerializer}, filters=False)
    @action(detail=True, methods=["post"], url_path="reverse", filter_backends=[])
    def reverse_entry(self, request, pk=None):
        """An official reverses a wrong earning with the reason (a new line)."""
        entry = self.get_object()
        reversal = services.reverse_entry(actor=request.user, entry=entry, **self.input_of(ReasonInput))
        return self.answer(reversal, status.HTTP_201_CREATED)


class StoreItemSerializer(serializers.ModelSerializer):
    area_name = serializers.CharField(source="area.name", read_only=True)
    photo_url = serializers.SerializerMethodField(help_text=_("照片的地址（按权限提供；无照片为空）"))

    class Meta:
        model = StoreItem
        fields = [
            "id",
            "area",
            "area_name",
            "name",
            "description",
            "price",
            "stock",
            "active",
            "photo_url",
            "created_at",
        ]
        read_only_fields = fields

    def get_photo_url(self, item) -> str:
        url = item.photo_url()
        request = self.context.get("request")
        return request.build_absolute_uri(url) if url and request else url


class StoreItemPhotoInput(serializers.Serializer):
    image = serializers.FileField(help_text=_("JPEG、PNG、GIF 或 WebP，不超过 10 MB"))


class StoreItemInput(serializers.Serializer):
    area = ScopedPrimaryKeyRelatedField(
        queryset=Area.objects.all(), scope=selectors.store_areas, help_text=_("社区的区域 id")
    )
    name = serializers.CharField(max_length=60)
    description = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    price = serializers.IntegerField(min_value=1, max_value=1_000_000)
    stock = serializers.IntegerField(min_value=0, max_value=1_000_000)
    active = serializers.BooleanField(required=False, default=True)


class StoreItemChange(serializers.Serializer):
    """An edit: never the stock (a number read before an exchange would overwrite it; `restock` adds)."""

    name = serializers.CharField(max_length=60, required=False)
    description = serializers.CharField(max_length=300, required=False, allow_blank=True)
    price = serializers.IntegerField(min_value=1, max_value=1_000_000, required=False)
    active = serializers.BooleanField(required=False)


class RestockInput(serializers.Serializer):
    quantity = serializers.IntegerField(
        min_value=1,
        max_value=services.STOCK_MAX,
        help_text=_("入库数量：加到现有库存上的正整数"),
        error_messages={
            "required": _("入库数量必须是正整数。"),
            "invalid": _("入库数量必须是正整数。"),
            "min_value": _("入库数量必须是正整数。"),
            "null": _("入库数量必须是正整数。"),
        },
    )
    submission = submission_input()  # or the Idempotency-Key header: a repeat adds once


class ExchangeSerializer(serializers.ModelSerializer):
    item_name = serializers.CharField(source="item.name", read_only=True)
    area_name = serializers.CharField(source="area.name", read_only=True)
    person_name = serializers.CharField(source="person.display_name", read_only=True)

    class Meta:
        model = Exchange
        fields = [
            "id",
            "item",
            "item_name",
            "area",
            "area_name",
            "person",
            "person_name",
            "points",
            "state",
            "created_at",
            "picked_up_at",
            "cancelled_at",
            "cancel_reason",
        ]
        read_only_fields = fields


class StoreItemViewSet(
    ScopedViewSetMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.ReadOnlyModelViewSet,
):
    view_permission = selectors.VIEW
    change_permission = selectors.MANAGE
    serializer_class = StoreItemSerializer
    queryset = StoreItem.objects.all()  # the model, for the schema; get_queryset reads the scope
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]  # DELETE: the photo only
    keyed_actions = ("restock",)  # a line of the stock ledger, with the Idempotency-Key as its token

    def get_queryset(self):
        queryset = selectors.store_items(self.request.user)
        if self.action == "list":
            queryset = _in_area(self.request, queryset)
        return queryset

    def scope_queryset(self, queryset):
        return queryset  # selectors.store_items is scoped already

    def check_object_permissions(self, request, obj):
        if self.action == "exchange":  # a resident's own act on their community's item
            return
        super().check_object_permissions(request, obj)

    @extend_schema(parameters=[AREA])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=StoreItemInput, responses={201: StoreItemSerializer})
    def create(self, request, *args, **kwargs):
        item = services.create_item(actor=request.user, **self.input_of(StoreItemInput))
        return self.answer(item, status.HTTP_201_CREATED)

    @extend_schema(request=StoreItemChange, responses={200: StoreItemSerializer})
    def partial_update(self, request, *args, **kwargs):
        item = self.get_object()
        item = services.update_item(
            actor=request.user, item=item, **self.input_of(StoreItemChange, partial=True)
        )
        return self.answer(item)

    @extend_schema(
        methods=["POST"],
        request={"multipart/form-data": StoreItemPhotoInput},
        responses={200: StoreItemSerializer},
        filters=False,
    )
    @extend_schema(methods=["DELETE"], request=None, responses={200: StoreItemSerializer}, filters=False)
    @action(detail=True, methods=["post", "delete"], filter_backends=[])
    def photo(self, request, pk=None):
        """POST sets the item's photo (the community's workers; checked by its content, re-encoded, replacing
        the one before); DELETE removes it. The photo is fetched at `photo_url` (scoped)."""
        item = self.get_object()
        image = self.input_of(StoreItemPhotoInput)["image"] if request.method == "POST" else None
        return self.answer(services.set_item_photo(actor=request.user, item=item, image=image))

    @extend_schema(
        request=RestockInput,
        responses={200: StoreItemSerializer},
        filters=False,
        summary=_("商品入库（库存加 N）"),
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def restock(self, request, pk=None):
        """入库: the community's workers add `quantity` to the item's stock, in the database (an exchange made
        meanwhile is kept; the stock is never written as a number read earlier). 400 at `quantity` unless a
        positive integer (or when the stock would pass 1,000,000). With `Idempotency-Key` (or `submission`) a
        repeat by the same keeper adds nothing and answers the good as it is."""
        item = self.get_object()
        item = services.restock_item(actor=request.user, item=item, **self.input_of(RestockInput))
        return self.answer(item)

    @extend_schema(request=None, responses={201: ExchangeSerializer}, filters=False)
    @action(detail=True, methods=["post"], filter_backends=[])
    def exchange(self, request, pk=None):
        """The signed-in resident spends points on one of this item (refused, nothing deducted, with too few
        points or no stock)."""
        item = self.get_object()
        record = services.exchange(person=request.user, item=item)
        fresh = selectors.exchanges(request.user).get(pk=record.pk)
        data = ExchangeSerializer(fresh, context=self.get_serializer_context()).data
        return Response(data, status=status.HTTP_201_CREATED)


class StockEntrySerializer(serializers.ModelSerializer):
    item_name = serializers.CharField(source="item.name", read_only=True)
    by_name = serializers.SerializerMethodField(help_text=_("经办人姓名（无则为空）"))

    class Meta:
        model = StockEntry
        fields = ["id", "item", "item_name", "area", "kind", "change", "exchange", "at", "by", "by_name"]
        read_only_fields = fields

    def get_by_name(self, entry) -> str:
        return entry.by.display_name if entry.by_id else ""


ITEM = OpenApiParameter("item", OpenApiTypes.INT, description=str(_("积分商品 id")))


class StockEntryViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """The stock ledger (库存记录) of the goods the caller keeps (`virtue.manage`), newest first; read only:
    its lines are written by 入库, exchanges and their cancellation."""

    view_permission = selectors.MANAGE
    serializer_class = StockEntrySerializer
    queryset = StockEntry.objects.all()  # the model, for the schema; get_queryset reads the scope

    def get_queryset(self):
        queryset = selectors.stock_ledger(self.request.user)
        if self.action == "list":
            item = self.request.query_params.get("item")
            if item:
                if not re.fullmatch(r"[0-9]{1,18}", item):  # a bigint: longer would overflow the column
                    raise DRFValidationError({"item": [_("请填写积分商品的 id。")]})
                queryset = queryset.filter(item_id=int(item))
            queryset = _in_area(self.request, queryset)
        return queryset

    def scope_queryset(self, queryset):
        return queryset  # selectors.stock_ledger is scoped already

    @extend_schema(parameters=[AREA, ITEM])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)


class ExchangeViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    view_permission = selectors.VIEW
    change_permission = selectors.MANAGE
    services_decide = True  # the person cancels their own; the community's workers pick up and cancel
    serializer_class = ExchangeSerializer
    queryset = Exchange.objects.all()  # the model, for the schema; get_queryset reads the scope

    def get_queryset(self):
        queryset = selectors.exchanges(self.request.user).order_by("-created_at", "-pk")
        if self.action == "list":
            state = self.request.query_params.get("state")
            if state:
                if state not in ExchangeState.values:
                    raise DRFValidationError({"state": [_("未知的兑换状态。")]})
                queryset = queryset.filter(state=state)
            queryset = _in_area(self.request, queryset)
        return queryset

    def scope_queryset(self, queryset):
        return queryset  # selectors.exchanges is scoped already

    @extend_schema(parameters=[AREA, OpenApiParameter("state", OpenApiTypes.STR, enum=ExchangeState.values)])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=None, responses={200: ExchangeSerializer}, filters=False)
    @action(detail=True, methods=["post"], url_path="pick-up", filter_backends=[])
    def pick_up(self, request, pk=None):
        """The community worker marks the exchange picked up."""
        record = services.pick_up(actor=request.user, exchange=self.get_object())
        return self.answer(record)

    @extend_schema(request=ReasonInput, responses={200: ExchangeSerializer}, filters=False)
    @action(detail=True, methods=["post"], filter_backends=[])
    def cancel(self, request, pk=None):
        """The person (their own) or the worker (with a reason) cancels: points and stock come back."""
        record = services.cancel_exchange(
            actor=request.user, exchange=self.get_object(), **self.input_of(ReasonInput)
        )
        return self.answer(record)


def register(router) -> None:
    router.register("points", PointsViewSet, basename="points-entry")
    router.register("store-items", StoreItemViewSet, basename="store-item")
    router.register("exchanges", ExchangeViewSet, basename="exchange")
    router.register("stock-entries", StockEntryViewSet, basename="stock-entry")
