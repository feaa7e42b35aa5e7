"""`/api/offices/`: the offices of an area (a street's 党建办, 服务办, 综治办), added (POST) and retired
(`…/{id}/retire/`) through `services.create_office` / `retire_office` as the offices page (`duties.issue` on
the area, else 403 naming it)."""

from __future__ import annotations

from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action

from grassroots.api.fields import ScopedPrimaryKeyRelatedField
from grassroots.api.filters import IdFilter
from grassroots.api.scoping import ScopedViewSetMixin
from grassroots.areas.models import Area
from grassroots.core.duties import services
from grassroots.core.duties.models import Office, OfficeKind


class OfficeSerializer(serializers.ModelSerializer):
    area_name = serializers.CharField(source="area.name", read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Office
        fields = ["id", "area", "area_name", "kind", "kind_label", "name", "retired"]
        read_only_fields = fields


class OfficeInput(serializers.Serializer):
    area = ScopedPrimaryKeyRelatedField(queryset=Area.objects.all(), permission="duties.issue")
    kind = serializers.ChoiceField(choices=OfficeKind.choices)
    name = serializers.CharField(max_length=50)


class OfficeFilter(filters.FilterSet):
    area = IdFilter(field_name="area_id", label="the office's area (exactly)")

    class Meta:
        model = Office
        fields = ["area", "kind", "retired"]


class OfficeViewSet(ScopedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Offices of the areas in the caller's "duties.view" scope."""

    view_permission = "duties.view"
    change_permission = "duties.issue"
    serializer_class = OfficeSerializer
    filterset_class = OfficeFilter
    queryset = Office.objects.select_related("area").order_by("area__path", "kind", "name", "pk")

    def get_serializer_class(self):
        if self.action == "create":
            return OfficeInput
        return serializers.Serializer if self.action == "retire" else OfficeSerializer

    @extend_schema(request=OfficeInput, responses={201: OfficeSerializer})
    def create(self, request, *args, **kwargs):
        office = services.create_office(actor=request.user, **self.input_of(OfficeInput))
        return self.answer(office, status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=OfficeSerializer)
    @action(detail=True, methods=["post"])
    def retire(self, request, pk=None):
        """Retire the office (it keeps its tasks; it is no longer offered)."""
        office = self.get_object()
        return self.answer(services.retire_office(actor=request.user, office=office))


def register(router) -> None:
    router.register("offices", OfficeViewSet, basename="office")
