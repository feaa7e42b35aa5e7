"""`/api/entities/`, `/api/instructors/`, `/api/cross-appointments/`, `/api/service-teams/`: read-only,
scoped by `coverage.view` like the pages. Entities carry `should_form_branch` (the 3-full-member rule)."""

from __future__ import annotations

import django_filters
from django.db.models import Count, Prefetch
from rest_framework import serializers, viewsets

from grassroots.api.filters import SubtreeFilter
from grassroots.api.scoping import ScopedViewSetMixin
from grassroots.core.coverage.models import (
    CrossAppointment,
    Entity,
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


class EntityViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    view_permission = "coverage.view"
    serializer_class = EntitySerializer
    filterset_class = EntityFilter
    queryset = with_flag(Entity.objects.select_related("area")).order_by("area__path", "name", "pk")


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
