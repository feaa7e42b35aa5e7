"""`/api/standard-items/{id}/compliance/?year=&area=`: which communities meet a standard's item in a year —
the figure of the item's page (`selectors/standards.py` defines it), read-only: the same item (another
street's standard answers 404), the same area (`area` outside the caller's `assessments.view` scope: 404;
default their working area, or the standard's own area when it lies inside it), the same three groups and
the roll-up per child area. `year` is 2000–2100 (else 400 at the field), this year by default."""

from __future__ import annotations

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from grassroots.access.scoping import area_from_request
from grassroots.api.scoping import ScopedViewSetMixin
from grassroots.core.assessments.rules import VIEW
from grassroots.core.assessments.selectors.standards import compliance, figure_area
from grassroots.documents import selectors as documents
from grassroots.documents.models import Item, Kind


class ComplianceQuery(serializers.Serializer):
    year = serializers.IntegerField(
        required=False, min_value=2000, max_value=2100, help_text=_("年度（默认今年）")
    )
    area = serializers.IntegerField(required=False, help_text=_("统计的区域（默认当前工作区域）"))


class FindingRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    description = serializers.CharField()
    state = serializers.CharField()


class CommunityStatusSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    status = serializers.ChoiceField(
        choices=["meets", "not_meeting", "not_inspected"], help_text=_("达标、未达标或当年未督察")
    )
    open_findings = FindingRefSerializer(many=True)


class ComplianceLineSerializer(serializers.Serializer):
    area = serializers.IntegerField(allow_null=True, help_text=_("下级区域的 id（空：本区域自身）"))
    area_name = serializers.CharField()
    communities = serializers.IntegerField()
    meeting = serializers.IntegerField()
    not_meeting = serializers.IntegerField()
    not_inspected = serializers.IntegerField()


class ComplianceSerializer(serializers.Serializer):
    item = serializers.IntegerField()
    label = serializers.CharField()
    year = serializers.IntegerField()
    area = serializers.IntegerField()
    area_name = serializers.CharField()
    communities = serializers.IntegerField()
    meeting = serializers.IntegerField()
    not_meeting = serializers.IntegerField()
    not_inspected = serializers.IntegerField()
    rate = serializers.FloatField(allow_null=True, help_text=_("达标社区占全部社区的百分比"))
    lines = ComplianceLineSerializer(many=True, help_text=_("按下级区域汇总"))
    results = CommunityStatusSerializer(many=True, help_text=_("每个社区的分组"))


def as_data(item: Item, figure) -> dict:
    def line(child, values):
        area = child or figure.area
        return {"area": child.pk if child else None, "area_name": area.name, **values}

    return {
        "item": item.pk,
        "label": item.label,
        "year": figure.year,
        "area": figure.area.pk,
        "area_name": figure.area.name,
        "communities": len(figure.communities),
        "meeting": figure.meeting,
        "not_meeting": len(figure.not_meeting),
        "not_inspected": len(figure.not_inspected),
        "rate": figure.rate,
        "lines": [line(child, values) for child, values in figure.breakdown.lines()],
        "results": [
            {
                "id": c.pk,
                "name": c.name,
                "status": c.status,
                "open_findings": [
                    {"id": f.pk, "description": f.description, "state": f.state} for f in c.open_findings
                ],
            }
            for c in figure.communities
        ],
    }


class StandardItemViewSet(ScopedViewSetMixin, viewsets.GenericViewSet):
    """A standard's items, seen from assessments: only the figure of each (`compliance/`)."""

    view_permission = VIEW
    queryset = Item.objects.all()
    serializer_class = ComplianceSerializer
    pagination_class = None

    def get_object(self):
        item = documents.get_item_or_404(self.request.user, self.kwargs["pk"])
        if item.section.version.document.kind != Kind.STANDARD:
            raise Http404
        return item

    @extend_schema(parameters=[ComplianceQuery], responses=ComplianceSerializer, filters=False)
    @action(detail=True, methods=["get"])
    def compliance(self, request, pk=None):
        """达标情况: the communities under `area` meeting the item in `year`, not meeting it (open findings
        citing it) and not inspected that year, with the roll-up per child area — as the item's page."""
        item = self.get_object()  # another street's standard: 404 before anything else
        query = ComplianceQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        area = figure_area(request.user, item, area_from_request(request, VIEW, required=True))
        year = query.validated_data.get("year") or timezone.localdate().year
        return Response(ComplianceSerializer(as_data(item, compliance(request.user, item, area, year))).data)


def register(router) -> None:
    router.register("standard-items", StandardItemViewSet, basename="standard-item")
