"""`/api/offices/`: the offices of an area (a street's 党建办, 服务办, 综治办), added (POST) and retired
(`…/{id}/retire/`) through `services.create_office` / `retire_office` as the offices page (`duties.issue` on
the area, else 403 naming it); `…/workload/?area=&year=` the offices' workloads side by side (三办工作量).
`/api/office-members/`: their staff, added and removed as on the offices page. Like the pages (and their menu
entries), all of it asks `duties.offices`: the street and the levels above."""

from __future__ import annotations

from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from grassroots.access.scoping import area_from_request
from grassroots.accounts.models import User
from grassroots.api.fields import ScopedPrimaryKeyRelatedField
from grassroots.api.filters import IdFilter
from grassroots.api.scoping import ScopedViewSetMixin
from grassroots.areas.models import Area
from grassroots.core.duties import selectors, services
from grassroots.core.duties.models import Office, OfficeKind, OfficeMember, OfficePost
from grassroots.pages import year_param


class OfficeSerializer(serializers.ModelSerializer):
    area_name = serializers.CharField(source="area.name", read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Office
        fields = ["id", "area", "area_name", "kind", "kind_label", "name", "retired"]
        read_only_fields = fields


class OfficeInput(serializers.Serializer):
    area = ScopedPrimaryKeyRelatedField(queryset=Area.objects.all(), permission="duties.offices")
    kind = serializers.ChoiceField(choices=OfficeKind.choices)
    name = serializers.CharField(max_length=50)


class WorkloadQuery(serializers.Serializer):
    area = serializers.IntegerField(
        required=False, help_text="the offices' area (default: your working area)"
    )
    year = serializers.IntegerField(required=False, help_text="the tasks' year (default: this year)")


class FiguresSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    open = serializers.IntegerField()
    submitted = serializers.IntegerField()
    overdue = serializers.IntegerField()
    approved = serializers.IntegerField()
    on_time = serializers.IntegerField()
    completion_rate = serializers.FloatField(allow_null=True)


class OfficeMemberSerializer(serializers.ModelSerializer):
    office_name = serializers.CharField(source="office.name", read_only=True)
    user_name = serializers.CharField(source="user.display_name", read_only=True)
    post_label = serializers.CharField(source="get_post_display", read_only=True)

    class Meta:
        model = OfficeMember
        fields = ["id", "office", "office_name", "user", "user_name", "post", "post_label"]
        read_only_fields = fields


class WorkloadSerializer(serializers.Serializer):
    office = OfficeSerializer(allow_null=True, help_text="null: received work without an office")
    members = OfficeMemberSerializer(many=True)
    tasks = serializers.IntegerField(help_text="issued tasks the office leads")
    received = FiguresSerializer(help_text="the assignments its area received that the office handles")
    issued = FiguresSerializer(help_text="the targets of the tasks the office leads")


class OfficeFilter(filters.FilterSet):
    area = IdFilter(field_name="area_id", label="the office's area (exactly)")

    class Meta:
        model = Office
        fields = ["area", "kind", "retired"]


class OfficeViewSet(ScopedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Offices of the areas in the caller's "duties.offices" scope (the street and the levels above)."""

    view_permission = "duties.offices"
    change_permission = "duties.offices"
    serializer_class = OfficeSerializer
    filterset_class = OfficeFilter
    queryset = Office.objects.select_related("area").order_by("area__path", "kind", "name", "pk")

    def get_serializer_class(self):
        if self.action == "create":
            return OfficeInput
        if self.action == "workload":
            return WorkloadSerializer
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

    @extend_schema(parameters=[WorkloadQuery], responses=WorkloadSerializer(many=True), filters=False)
    @action(detail=False, methods=["get"], pagination_class=None, filterset_class=None)
    def workload(self, request):
        """三办工作量: each live office of `area` (default: your working area) with its staff, the received
        assignments it handles and the tasks it leads (their targets' figures), of `year` (default: this
        year); a last row without office for received work no office was named for."""
        area = area_from_request(request, "duties.offices", required=True)
        loads = selectors.office_workloads(area, year=year_param(request))
        return Response(WorkloadSerializer(loads, many=True).data)


class OfficeMemberInput(serializers.Serializer):
    office = ScopedPrimaryKeyRelatedField(
        queryset=Office.objects.select_related("area"), permission="duties.offices"
    )
    user = serializers.PrimaryKeyRelatedField(queryset=User.objects.all())
    post = serializers.ChoiceField(choices=OfficePost.choices, default=OfficePost.STAFF)


class OfficeMemberFilter(filters.FilterSet):
    area = IdFilter(field_name="office__area_id", label="the office's area (exactly)")

    class Meta:
        model = OfficeMember
        fields = ["office", "user", "post"]


class OfficeMemberViewSet(
    ScopedViewSetMixin, mixins.CreateModelMixin, mixins.DestroyModelMixin, viewsets.ReadOnlyModelViewSet
):
    """The staff of the offices in your "duties.offices" scope. POST puts an official of the office's area on
    its staff, DELETE takes them off (`services.add_office_member` / `remove_office_member`: `duties.issue`
    on the area, else 403)."""

    view_permission = "duties.offices"
    change_permission = "duties.offices"
    serializer_class = OfficeMemberSerializer
    filterset_class = OfficeMemberFilter
    queryset = OfficeMember.objects.select_related("office", "user").order_by("office__area__path", "pk")

    def area_of(self, obj):
        return obj.office.area

    def get_serializer_class(self):
        return OfficeMemberInput if self.action == "create" else OfficeMemberSerializer

    @extend_schema(request=OfficeMemberInput, responses={201: OfficeMemberSerializer})
    def create(self, request, *args, **kwargs):
        member = services.add_office_member(actor=request.user, **self.input_of(OfficeMemberInput))
        return self.answer(member, status.HTTP_201_CREATED)

    def destroy(self, request, *args, **kwargs):
        services.remove_office_member(actor=request.user, member=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


def register(router) -> None:
    router.register("offices", OfficeViewSet, basename="office")
    router.register("office-members", OfficeMemberViewSet, basename="office-member")
