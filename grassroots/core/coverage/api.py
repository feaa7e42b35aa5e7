"""`/api/entities/`, `/api/instructors/`, `/api/cross-appointments/`, `/api/service-teams/`: scoped by
`coverage.view` like the pages. Entities carry `should_form_branch` (the 3-full-member rule); they are
created (POST) and changed (PATCH) through the same services as the entity form (`coverage.change`)."""

from __future__ import annotations

import django_filters
from django.db.models import Count, Prefetch
from django.utils.translation import gettext_lazy as _
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response

from grassroots.api.fields import ScopedPrimaryKeyRelatedField
from grassroots.api.filters import SubtreeFilter
from grassroots.api.scoping import ScopedViewSetMixin
from grassroots.areas.models import Area, PartyOrg
from grassroots.core.coverage import services
from grassroots.core.coverage.models import (
    CoverageStatus,
    CrossAppointment,
    Entity,
    EntityKind,
    Instructor,
    InstructorAssignment,
    ServiceTeam,
)
from grassroots.core.coverage.selectors import with_flag


class EntitySerializer(serializers.ModelSerializer):
    # Plain strings (the choices are listed in docs/coverage.md), so that the schema's enums named "kind" and
    # "status" do not collide with other parts'.
    kind = serializers.CharField(read_only=True)
    status = serializers.CharField(read_only=True)
    area_name = serializers.CharField(source="area.name", read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    covered = serializers.BooleanField(read_only=True)
    should_form_branch = serializers.BooleanField(read_only=True)

    class Meta:
        model = Entity
        fields = [
            "id",
            "name",
            "kind",
            "kind_label",
            "area",
            "area_name",
            "address",
            "floor_area",
            "employees",
            "party_members",
            "full_members",
            "status",
            "status_label",
            "party_org",
            "covered",
            "should_form_branch",
        ]


class AssignmentSerializer(serializers.ModelSerializer):
    entity_name = serializers.CharField(source="entity.name", read_only=True)

    class Meta:
        model = InstructorAssignment
        fields = ["entity", "entity_name", "starts_on", "ends_on"]


class InstructorSerializer(serializers.ModelSerializer):
    sent_by_name = serializers.CharField(source="sent_by.name", read_only=True)
    assignments = AssignmentSerializer(many=True, read_only=True)
    visit_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Instructor
        fields = [
            "id",
            "name",
            "sent_by",
            "sent_by_name",
            "area",
            "position",
            "appointed_on",
            "ended_on",
            "assignments",
            "visit_count",
        ]


class CrossAppointmentSerializer(serializers.ModelSerializer):
    org_name = serializers.CharField(source="org.name", read_only=True)
    other_label = serializers.CharField(read_only=True)

    class Meta:
        model = CrossAppointment
        fields = [
            "id",
            "person_name",
            "org",
            "org_name",
            "position",
            "other_org",
            "other_entity",
            "other_name",
            "other_label",
            "other_position",
            "starts_on",
            "ends_on",
        ]


class TeamMemberSerializer(serializers.Serializer):
    name = serializers.CharField()
    role = serializers.CharField()


class ServiceTeamSerializer(serializers.ModelSerializer):
    members = TeamMemberSerializer(many=True, read_only=True)
    record_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = ServiceTeam
        fields = ["id", "name", "area", "leader", "description", "members", "entities", "record_count"]


class EntityFilter(django_filters.FilterSet):
    under = SubtreeFilter()
    should_form_branch = django_filters.BooleanFilter(method="filter_flag")

    class Meta:
        model = Entity
        fields = ["kind", "status", "under", "should_form_branch"]

    def filter_flag(self, queryset, name, value):
        return queryset.filter(flagged=1 if value else 0)


class EntityInput(serializers.Serializer):
    """What the entity form takes. `kind` and `status` are the codes listed in docs/coverage.md."""

    name = serializers.CharField(max_length=150)
    kind = serializers.CharField(help_text=_("类型代码（见 docs/coverage.md）"))
    area = ScopedPrimaryKeyRelatedField(queryset=Area.objects.all(), permission="coverage.change")
    address = serializers.CharField(max_length=200, required=False, allow_blank=True)
    floor_area = serializers.DecimalField(max_digits=12, decimal_places=2, required=False, allow_null=True)
    employees = serializers.IntegerField(min_value=0, required=False)
    party_members = serializers.IntegerField(min_value=0, required=False)
    full_members = serializers.IntegerField(min_value=0, required=False)
    status = serializers.CharField(required=False, help_text=_("党组织覆盖状态代码（见 docs/coverage.md）"))
    party_org = ScopedPrimaryKeyRelatedField(
        queryset=PartyOrg.objects.all(), permission="coverage.view", required=False, allow_null=True
    )
    note = serializers.CharField(required=False, allow_blank=True)

    def validate_kind(self, value):
        if value not in EntityKind.values:
            raise serializers.ValidationError(_("请选择类型。"))
        return value

    def validate_status(self, value):
        if value not in CoverageStatus.values:
            raise serializers.ValidationError(_("请选择党组织覆盖状态。"))
        return value


class EntityViewSet(
    ScopedViewSetMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet
):
    """Entities of the emerging sectors. POST creates one, PATCH changes one (`coverage.change` on its area,
    else 403), through `services.create_entity` / `update_entity` as the page's form."""

    view_permission = "coverage.view"
    change_permission = "coverage.change"
    serializer_class = EntitySerializer
    filterset_class = EntityFilter
    queryset = with_flag(Entity.objects.select_related("area")).order_by("area__path", "name", "pk")
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_serializer_class(self):
        if self.action in ("create", "partial_update"):
            return EntityInput
        return EntitySerializer

    def _answer(self, entity, code=status.HTTP_200_OK):
        fresh = self.get_queryset().get(pk=entity.pk)
        return Response(EntitySerializer(fresh, context=self.get_serializer_context()).data, status=code)

    def create(self, request, *args, **kwargs):
        data = EntityInput(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        return self._answer(services.create_entity(actor=request.user, **data.validated_data), 201)

    def partial_update(self, request, *args, **kwargs):
        entity = self.get_object()
        data = EntityInput(data=request.data, partial=True, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        return self._answer(services.update_entity(actor=request.user, entity=entity, **data.validated_data))


class InstructorViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    view_permission = "coverage.view"
    serializer_class = InstructorSerializer
    queryset = (
        Instructor.objects.select_related("sent_by")
        .annotate(visit_count=Count("visits", distinct=True))
        .prefetch_related(
            Prefetch("assignments", queryset=InstructorAssignment.objects.select_related("entity"))
        )
        .order_by("area__path", "name", "pk")
    )


class CrossAppointmentViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    view_permission = "coverage.view"
    serializer_class = CrossAppointmentSerializer
    queryset = CrossAppointment.objects.select_related("org", "other_org", "other_entity").order_by(
        "-starts_on", "pk"
    )


class ServiceTeamViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    view_permission = "coverage.view"
    serializer_class = ServiceTeamSerializer
    queryset = (
        ServiceTeam.objects.annotate(record_count=Count("records", distinct=True))
        .prefetch_related("members", "entities")
        .order_by("area__path", "name", "pk")
    )


def register(router) -> None:
    router.register("entities", EntityViewSet, basename="entity")
    router.register("instructors", InstructorViewSet, basename="instructor")
    router.register("cross-appointments", CrossAppointmentViewSet, basename="cross-appointment")
    router.register("service-teams", ServiceTeamViewSet, basename="service-team")
