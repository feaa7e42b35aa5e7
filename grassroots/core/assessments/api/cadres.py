"""`/api/cadre-scores/`: the stored grid cadre scores (网格干部考察得分) with their ranks within the street —
the officials' scope (assessments.view) and everyone's own; `POST …/compute/ {street, year}` recomputes a
street's, as the page's 计算 button (`services.cadres.compute_cadre_scores`)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from grassroots.access.scoping import area_from_request
from grassroots.api.fields import ScopedPrimaryKeyRelatedField
from grassroots.api.filters import IntegerFilter, YearFilter
from grassroots.api.scoping import ScopedViewSetMixin
from grassroots.areas.models import Area, Level
from grassroots.core.assessments.api._common import VIEW
from grassroots.core.assessments.models import CadreScore
from grassroots.core.assessments.selectors import people as selectors
from grassroots.core.assessments.services import cadres as services


class GridSerializer(serializers.ModelSerializer):
    class Meta:
        model = Area
        fields = ["id", "name"]
        read_only_fields = fields


class CadreScoreSerializer(serializers.ModelSerializer):
    person_name = serializers.CharField(source="person.display_name", read_only=True)
    street_name = serializers.CharField(source="street.name", read_only=True)
    grids = GridSerializer(many=True, read_only=True)

    class Meta:
        model = CadreScore
        fields = [
            "id",
            "person",
            "person_name",
            "year",
            "street",
            "street_name",
            "grids",
            *CadreScore.COMPUTED,
        ]
        read_only_fields = fields


class CadreScoreFilter(filters.FilterSet):
    area = IntegerFilter(
        method="in_area", label=_("街道（含上级：其下各街道）或社区、网格（服务其下网格的干部）"), min_value=1
    )
    year = YearFilter(label=_("年度"))

    class Meta:
        model = CadreScore
        fields = ["person", "street"]

    def in_area(self, queryset, name, value):
        return selectors.in_area(queryset, area_from_request(self.request, "areas.view"))


class ComputeInput(serializers.Serializer):
    street = ScopedPrimaryKeyRelatedField(queryset=Area.objects.filter(level=Level.STREET), permission=VIEW)
    year = serializers.IntegerField(min_value=2000, max_value=2100)


class CadreScoreViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Grid cadre scores: those of the streets in your assessments.view scope, and your own (a grid worker
    sees their score and rank only). Ranked within each street, unranked last."""

    view_permission = VIEW
    services_decide = True  # computing needs assessments.manage on the street (compute_cadre_scores)
    queryset = CadreScore.objects.all()
    serializer_class = CadreScoreSerializer
    filterset_class = CadreScoreFilter

    def scope_queryset(self, queryset):
        return selectors.cadre_scores_base(self.request.user)

    def get_serializer_class(self):
        return ComputeInput if self.action == "compute" else CadreScoreSerializer

    @extend_schema(
        request=ComputeInput,
        responses=inline_serializer("CadreComputeResult", {"count": serializers.IntegerField()}),
    )
    @action(detail=False, methods=["post"])
    def compute(self, request):
        """Recompute a street's grid cadre scores for a year (assessments.manage on the street, else 403)."""
        values = self.input_of(ComputeInput)
        return Response({"count": services.compute_cadre_scores(actor=request.user, **values)})


def register(router) -> None:
    router.register("cadre-scores", CadreScoreViewSet, basename="cadre-score")
