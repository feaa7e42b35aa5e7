"""`/api/assessment-schemes/`: assessment schemes (考核方案) with their items. The scheme pages' forms,
through `services.schemes` (the assessing area's `assessments.manage`, else 403 naming it):

- `POST /api/assessment-schemes/ {area, year, level, name?, description?}` (`create_scheme`);
- `POST …/{id}/items/ {name, weight, method, provider?, description?}` (`add_item`), `POST …/{id}/remove-item/
  {item}` (`remove_item`);
- `POST …/{id}/copy/ {year}` starts another year from it (`copy_scheme`);
- `POST …/{id}/compute/` queues the computation (`request_compute`; `compute_status` says how it goes).

A manual item's score for one target: `POST /api/assessments/{id}/score/` (api/results.py)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action

from grassroots.api.fields import ChoiceOfRecordField, ScopedPrimaryKeyRelatedField
from grassroots.api.scoping import ScopedViewSetMixin
from grassroots.areas.models import Area, Level
from grassroots.core.assessments.api._common import VIEW
from grassroots.core.assessments.models import AssessmentItem, AssessmentScheme, Method
from grassroots.core.assessments.rules import MANAGE
from grassroots.core.assessments.selectors import schemes as selectors
from grassroots.core.assessments.services import schemes as services
from grassroots.documents.models import Item
from grassroots.documents.selectors import citable_items


class ItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = AssessmentItem
        fields = ["id", "name", "weight", "method", "provider", "description", "standard_item", "position"]
        read_only_fields = fields


class SchemeSerializer(serializers.ModelSerializer):
    area_name = serializers.CharField(source="area.name", read_only=True)
    items = ItemSerializer(many=True, read_only=True)

    class Meta:
        model = AssessmentScheme
        fields = [
            "id",
            "name",
            "year",
            "area",
            "area_name",
            "level",
            "description",
            "compute_status",
            "compute_error",
            "computed_at",
            "items",
        ]
        read_only_fields = fields


class SchemeInput(serializers.Serializer):
    area = ScopedPrimaryKeyRelatedField(queryset=Area.objects.all(), permission=MANAGE)
    year = serializers.IntegerField()
    level = serializers.ChoiceField(choices=Level.choices, help_text=_("考核对象层级（考核单位下级）"))
    name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    description = serializers.CharField(required=False, allow_blank=True, default="")


class ItemInput(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    weight = serializers.DecimalField(max_digits=6, decimal_places=2)
    method = serializers.ChoiceField(choices=Method.choices)
    provider = serializers.CharField(
        max_length=60, required=False, allow_blank=True, default="", help_text=_("自动计算时的数据来源")
    )
    description = serializers.CharField(required=False, allow_blank=True, default="")
    standard_item = ScopedPrimaryKeyRelatedField(
        queryset=Item.objects.all(),
        scope=citable_items,
        required=False,
        allow_null=True,
        help_text=_("对照的标准条目（/api/document-items/ 的 id）"),
    )


def _items_of(context):
    return context["scheme"].items.all()


class RemoveItemInput(serializers.Serializer):
    item = ChoiceOfRecordField(choices=_items_of, help_text=_("本方案的考核项目 id"))


class SchemeCopyInput(serializers.Serializer):
    year = serializers.IntegerField()


class SchemeFilter(filters.FilterSet):
    class Meta:
        model = AssessmentScheme
        fields = ["year", "level", "area"]


class SchemeViewSet(ScopedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Schemes of the areas in your scope (and those in which you see a result)."""

    view_permission = VIEW
    change_permission = MANAGE
    queryset = AssessmentScheme.objects.select_related("area").prefetch_related("items")
    serializer_class = SchemeSerializer
    filterset_class = SchemeFilter

    def scope_queryset(self, queryset):
        return (queryset & selectors.visible_schemes(self.request.user)).order_by("-year", "area__path", "pk")

    def get_serializer_class(self):
        inputs = {
            "create": SchemeInput,
            "items": ItemInput,
            "remove_item": RemoveItemInput,
            "copy": SchemeCopyInput,
            "compute": serializers.Serializer,
        }
        return inputs.get(self.action, SchemeSerializer)

    @extend_schema(request=SchemeInput, responses={201: SchemeSerializer})
    def create(self, request, *args, **kwargs):
        scheme = services.create_scheme(actor=request.user, **self.input_of(SchemeInput))
        return self.answer(scheme, status.HTTP_201_CREATED)

    @extend_schema(request=ItemInput, responses={201: SchemeSerializer})
    @action(detail=True, methods=["post"])
    def items(self, request, pk=None):
        """Add an item (counts once the scheme is computed again)."""
        scheme = self.get_object()
        services.add_item(actor=request.user, scheme=scheme, **self.input_of(ItemInput))
        return self.answer(scheme, status.HTTP_201_CREATED)

    @extend_schema(request=RemoveItemInput, responses=SchemeSerializer)
    @action(detail=True, methods=["post"], url_path="remove-item")
    def remove_item(self, request, pk=None):
        scheme = self.get_object()
        services.remove_item(actor=request.user, **self.input_of(RemoveItemInput, scheme=scheme))
        return self.answer(scheme)

    @extend_schema(request=SchemeCopyInput, responses={201: SchemeSerializer})
    @action(detail=True, methods=["post"])
    def copy(self, request, pk=None):
        """A scheme for another year: the same area, level and items (no scores)."""
        scheme = self.get_object()
        copy = services.copy_scheme(actor=request.user, scheme=scheme, **self.input_of(SchemeCopyInput))
        return self.answer(copy, status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={202: SchemeSerializer})
    @action(detail=True, methods=["post"])
    def compute(self, request, pk=None):
        """Queue the computation in the background (once: a queued or running one is left as it is)."""
        scheme = services.request_compute(actor=request.user, scheme=self.get_object())
        return self.answer(scheme, status.HTTP_202_ACCEPTED)


def register(router) -> None:
    router.register("assessment-schemes", SchemeViewSet, basename="assessment-scheme")
