"""The figure registry over the API (docs/figures.md):

- `GET /api/figures/`: the figures the user may see (name, label, unit, definition, part, parts, trend),
  paginated like every list;
- `GET /api/figures/{name}/?area=&year=`: the figure for the area's subtree (`total`), the area's own rows
  (`own`, or null), each child area ranked the ones behind first (`children`) and the monthly trend of the
  year (`monthly`). The area defaults to the user's working area; one outside the user's scope for the
  figure's permission is a 404, as a figure the user may not see is."""

from __future__ import annotations

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from grassroots import replica
from grassroots.access.scoping import area_from_request
from grassroots.areas.subtree import lies_under
from grassroots.figures import compute, registry


class PartSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()


class FigureSerializer(serializers.Serializer):
    name = serializers.CharField(help_text=_("指标名称（唯一）"))
    label = serializers.CharField(help_text=_("指标"))
    unit = serializers.CharField(help_text=_("单位（% 为百分比）"))
    definition = serializers.CharField(help_text=_("口径：如何计算"))
    part = serializers.CharField(help_text=_("所属板块"))
    behind = serializers.ChoiceField(
        choices=["low", "high"], help_text=_("low：数值低为落后；high：数值高为落后")
    )
    has_trend = serializers.BooleanField(help_text=_("是否有月度趋势"))
    parts = PartSerializer(many=True, help_text=_("随指标列出的分项计数"))


def describe(definition: registry.Definition) -> dict:
    return {
        "name": definition.name,
        "label": str(definition.label),
        "unit": str(definition.unit),
        "definition": str(definition.definition),
        "part": definition.part,
        "behind": definition.behind,
        "has_trend": definition.has_trend,
        "parts": [{"key": key, "label": str(label)} for key, label in registry.parts_of(definition)],
    }


class LineSerializer(serializers.Serializer):
    area = serializers.IntegerField(help_text=_("区域 id"))
    area_name = serializers.CharField()
    level = serializers.IntegerField()
    value = serializers.FloatField(allow_null=True, help_text=_("指标值（无数据为 null）"))
    counts = serializers.DictField(child=serializers.FloatField(allow_null=True), help_text=_("分项计数"))


class MonthSerializer(serializers.Serializer):
    month = serializers.IntegerField(min_value=1, max_value=12)
    value = serializers.FloatField(allow_null=True)
    counts = serializers.DictField(child=serializers.FloatField(allow_null=True))


class FigureValuesSerializer(FigureSerializer):
    year = serializers.IntegerField()
    total = LineSerializer()
    own = LineSerializer(allow_null=True, help_text=_("本区域自身（不含下级）的记录"))
    children = LineSerializer(many=True, help_text=_("各下级区域，落后的在前"))
    monthly = MonthSerializer(many=True, help_text=_("本年度各月（至本月）"))


def _number(value):
    return None if value is None else float(value)


def line_data(line: compute.Line) -> dict:
    return {
        "area": line.area.pk,
        "area_name": line.area.name,
        "level": line.area.level,
        "value": _number(line.value),
        "counts": {key: _number(value) for key, value in line.counts.items()},
    }


def year_of(request) -> int:
    raw = request.query_params.get("year") if hasattr(request, "query_params") else request.GET.get("year")
    if raw in (None, ""):
        return timezone.localdate().year
    try:
        year = int(raw)
    except ValueError:
        year = 0
    if not 2000 <= year <= 2100:
        raise ValidationError({"year": [_("请填写 2000 到 2100 之间的年份。")]})
    return year


def visible_or_404(user, name: str) -> registry.Definition:
    definition = registry.get(name)
    if definition is None or not definition.computed or definition not in registry.visible(user):
        raise Http404
    return definition


class FigureViewSet(viewsets.ViewSet):
    lookup_field = "name"
    lookup_value_regex = r"[a-z_]+\.[a-z_]+"

    @extend_schema(summary=str(_("指标目录")), responses=FigureSerializer(many=True))
    def list(self, request):
        from grassroots.api.pagination import StandardPagination

        paginator = StandardPagination()
        rows = [describe(d) for d in registry.visible(request.user)]
        page = paginator.paginate_queryset(rows, request, view=self)
        return paginator.get_paginated_response(page)

    @extend_schema(
        summary=str(_("指标数据：本区域合计、各下级区域与月度趋势")),
        parameters=[
            OpenApiParameter("area", OpenApiTypes.INT, description=str(_("区域 id，默认本人工作区域"))),
            OpenApiParameter("year", OpenApiTypes.INT, description=str(_("年度，默认今年"))),
        ],
        responses=FigureValuesSerializer,
    )
    def retrieve(self, request, name=None):
        definition = visible_or_404(request.user, name)
        area = area_from_request(request, definition.permission, required=True)
        if not lies_under(area.path, registry.scope_of(request.user, definition)):
            raise Http404  # a figure not published: only where the officials' permission reaches too
        year = year_of(request)
        today = timezone.localdate()
        with replica.reads():  # the figures from the read replica (docs/scaling.md)
            result = compute.breakdown(definition, area, year, today)
            monthly = compute.monthly(definition, area, year, today)
        return Response(
            {
                **describe(definition),
                "year": year,
                "total": line_data(result.total),
                "own": line_data(result.own) if result.own else None,
                "children": [line_data(line) for line in result.children],
                "monthly": [
                    {
                        "month": row["month"],
                        "value": _number(row["value"]),
                        "counts": {k: _number(v) for k, v in row["counts"].items()},
                    }
                    for row in monthly
                ],
            }
        )


def register(router) -> None:
    router.register("figures", FigureViewSet, basename="figures")
