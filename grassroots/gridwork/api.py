"""`/api/visits/`: the visit log (走访日志). GET lists the visits in the user's scope for `gridwork.view`
(`?mine=1`: only the user's own; `?month=YYYY-MM`); POST `{area, visited_on, heard, resident?, household?,
follow_up?, follow_up_note?}` logs the user's visit (`services.record_visit`: the area must lie within their
grant for `gridwork.record`, else 400 at `area`)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets

from grassroots.accounts.models import User
from grassroots.api.fields import ScopedPrimaryKeyRelatedField
from grassroots.api.scoping import ScopedViewSetMixin
from grassroots.areas.models import Area
from grassroots.gridwork import selectors, services
from grassroots.gridwork.models import Visit
from grassroots.voting.models import Household


class GridVisitSerializer(serializers.ModelSerializer):
    worker_name = serializers.StringRelatedField(source="worker")
    area_name = serializers.CharField(source="area.name", read_only=True)
    household_name = serializers.CharField(source="household.name", read_only=True, default=None)

    class Meta:
        model = Visit
        fields = [
            "id",
            "worker",
            "worker_name",
            "area",
            "area_name",
            "resident",
            "household",
            "household_name",
            "visited_on",
            "heard",
            "follow_up",
            "follow_up_note",
            "created_at",
        ]


class GridVisitInput(serializers.Serializer):
    area = ScopedPrimaryKeyRelatedField(
        queryset=Area.objects.all(),
        scope=selectors.recordable_areas,
        help_text=_("您负责的区域（网格、院落、楼栋）的 id"),
    )
    resident = ScopedPrimaryKeyRelatedField(
        queryset=User.objects.all(),
        scope=selectors.visitable_residents,
        required=False,
        allow_null=True,
        default=None,
    )
    household = ScopedPrimaryKeyRelatedField(
        queryset=Household.objects.all(),
        scope=selectors.visitable_households,
        required=False,
        allow_null=True,
        default=None,
    )
    visited_on = serializers.DateField()
    heard = serializers.CharField()
    follow_up = serializers.BooleanField(required=False, default=False)
    follow_up_note = serializers.CharField(required=False, allow_blank=True, default="")


class VisitViewSet(ScopedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    view_permission = selectors.VIEW
    change_permission = selectors.RECORD
    serializer_class = GridVisitSerializer
    queryset = Visit.objects.select_related("area", "worker", "household").order_by("-visited_on", "-pk")

    def get_serializer_class(self):
        return GridVisitInput if self.action == "create" else GridVisitSerializer

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.request.query_params.get("mine"):
            queryset = queryset.filter(worker=self.request.user)
        month = self.request.query_params.get("month", "")
        if len(month) == 7 and month[4] == "-" and month[:4].isdigit() and month[5:].isdigit():
            queryset = queryset.filter(visited_on__year=int(month[:4]), visited_on__month=int(month[5:]))
        return queryset

    @extend_schema(
        parameters=[
            OpenApiParameter("mine", OpenApiTypes.BOOL, description="只看我的走访"),
            OpenApiParameter("month", OpenApiTypes.STR, description="月份，如 2026-05"),
        ]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=GridVisitInput, responses={201: GridVisitSerializer})
    def create(self, request, *args, **kwargs):
        visit = services.record_visit(actor=request.user, **self.input_of(GridVisitInput))
        return self.answer(visit, status.HTTP_201_CREATED)


def register(router) -> None:
    router.register("visits", VisitViewSet, basename="visit")
