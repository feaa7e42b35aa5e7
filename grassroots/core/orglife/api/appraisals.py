"""`/api/appraisals/`: the democratic appraisal of members (民主评议党员)."""

from __future__ import annotations

from rest_framework import serializers, viewsets

from grassroots.api.scoping import ScopedViewSetMixin
from grassroots.core.orglife.filters import AppraisalFilter
from grassroots.core.orglife.models import Appraisal


class AppraisalSerializer(serializers.ModelSerializer):
    member_name = serializers.CharField(source="member.name", read_only=True)
    branch_name = serializers.CharField(source="branch.name", read_only=True)
    grade_label = serializers.CharField(source="get_grade_display", read_only=True)

    class Meta:
        model = Appraisal
        fields = [
            "id",
            "member",
            "member_name",
            "branch",
            "branch_name",
            "year",
            "grade",
            "grade_label",
            "note",
            "report",
        ]


class AppraisalViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    view_permission = "orglife.view"
    serializer_class = AppraisalSerializer
    filterset_class = AppraisalFilter
    queryset = Appraisal.objects.select_related("member", "branch").order_by(
        "-year", "branch_id", "member__name"
    )


def register(router) -> None:
    router.register("appraisals", AppraisalViewSet, basename="appraisal")
