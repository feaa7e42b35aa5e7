"""`/api/assessments/`: assessment results (考核结果) with each item's score and evidence (computed from the
scheme, docs/assessments.md); `POST …/{id}/score/` scores a manual item as the assessment page's form."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action

from grassroots.api.fields import ChoiceOfRecordField
from grassroots.api.filters import IntegerFilter, SubtreeFilter, YearFilter
from grassroots.api.scoping import ScopedViewSetMixin
from grassroots.core.assessments.api._common import VIEW
from grassroots.core.assessments.models import Assessment, AssessmentScore, Method
from grassroots.core.assessments.services import schemes as services


class ScoreSerializer(serializers.ModelSerializer):
    item_name = serializers.CharField(source="item.name", read_only=True)
    weight = serializers.DecimalField(source="item.weight", max_digits=6, decimal_places=2, read_only=True)
    method = serializers.CharField(source="item.method", read_only=True)

    class Meta:
        model = AssessmentScore
        fields = [
            "item",
            "item_name",
            "weight",
            "method",
            "source",
            "figure",
            "score",
            "detail",
            "evidence_url",
            "reason",
        ]
        read_only_fields = fields


class AssessmentSerializer(serializers.ModelSerializer):
    scheme_name = serializers.CharField(source="scheme.name", read_only=True)
    year = serializers.IntegerField(source="scheme.year", read_only=True)
    area_name = serializers.CharField(source="area.name", read_only=True)
    scores = ScoreSerializer(many=True, read_only=True)

    class Meta:
        model = Assessment
        fields = [
            "id",
            "scheme",
            "scheme_name",
            "year",
            "area",
            "area_name",
            "party_org",
            "total",
            "max_total",
            "rank",
            "rank_in_peers",
            "peers",
            "computed_at",
            "scores",
        ]
        read_only_fields = fields


class AssessmentFilter(filters.FilterSet):
    area = SubtreeFilter(label=_("考核对象所在区域（含下级）"))
    year = YearFilter(field_name="scheme__year", label=_("年度"))
    level = IntegerFilter(field_name="scheme__level", label=_("考核对象层级"), min_value=1, max_value=8)

    class Meta:
        model = Assessment
        fields = ["scheme"]


def _manual_items(context):
    return context["assessment"].scheme.items.filter(method=Method.MANUAL)


class HandScoreInput(serializers.Serializer):
    item = ChoiceOfRecordField(choices=_manual_items, help_text=_("本方案中人工评分的考核项目 id"))
    score = serializers.DecimalField(max_digits=6, decimal_places=2)
    reason = serializers.CharField(allow_blank=True)


class AssessmentViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Assessment results (考核结果) of the targets in the caller's scope, with each item's score and
    evidence; ordered by scheme and rank."""

    view_permission = VIEW
    # who may write: scoring needs assessments.manage on the scheme's area (score_by_hand)
    services_decide = True
    queryset = (
        Assessment.objects.select_related("scheme", "area")
        .prefetch_related("scores__item")
        .order_by("-scheme__year", "scheme_id", "rank", "area__path")
    )
    serializer_class = AssessmentSerializer
    filterset_class = AssessmentFilter

    def get_serializer_class(self):
        return HandScoreInput if self.action == "score" else AssessmentSerializer

    @extend_schema(request=HandScoreInput, responses=AssessmentSerializer)
    @action(detail=True, methods=["post"])
    def score(self, request, pk=None):
        """Score a manual item of this target (0 to the item's weight, with the reason; the assessment page's
        form, `services.schemes.score_by_hand`); totals and ranks follow."""
        assessment = self.get_object()
        values = self.input_of(HandScoreInput, assessment=assessment)
        services.score_by_hand(actor=request.user, assessment=assessment, **values)
        return self.answer(assessment)


def register(router) -> None:
    router.register("assessments", AssessmentViewSet, basename="assessment")
