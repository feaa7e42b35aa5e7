"""`/api/instructors/`: Party-building instructors (党建指导员), with their assignments and visit count. The
instructor page's forms, through the same services:

- `POST /api/instructors/ {name, sent_by, area, position?, appointed_on?}` (`services.appoint_instructor`);
- `POST …/{id}/assignments/ {entity, starts_on?}` sends them to an entity (`assign_instructor`);
- `POST …/{id}/end-assignment/ {assignment}` ends one (`end_assignment`);
- `POST …/{id}/visits/ {entity, visited_on, content, issues?}` logs a visit (`log_visit`: the instructor
  themself, or `coverage.change`).
"""

from __future__ import annotations

from django.db.models import Count, Prefetch
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action

from grassroots.api.fields import ChoiceOfRecordField, ScopedPrimaryKeyRelatedField
from grassroots.api.idempotency import submission_input
from grassroots.api.scoping import ScopedViewSetMixin
from grassroots.areas.models import Area, PartyOrg
from grassroots.core.coverage import services
from grassroots.core.coverage.api._common import CHANGE, VIEW, visible_entities, visible_orgs
from grassroots.core.coverage.models import Entity, Instructor, InstructorAssignment


class AssignmentSerializer(serializers.ModelSerializer):
    entity_name = serializers.CharField(source="entity.name", read_only=True)

    class Meta:
        model = InstructorAssignment
        fields = ["id", "entity", "entity_name", "starts_on", "ends_on"]


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


class InstructorInput(serializers.Serializer):
    submission = submission_input()  # the token; a repeat gives the first record (api/idempotency.py)
    name = serializers.CharField(max_length=50)
    sent_by = ScopedPrimaryKeyRelatedField(
        queryset=PartyOrg.objects.all(), scope=visible_orgs, help_text=_("选派党组织的 id")
    )
    area = ScopedPrimaryKeyRelatedField(queryset=Area.objects.all(), permission=CHANGE)
    position = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    appointed_on = serializers.DateField(required=False, default=None)


class AssignInput(serializers.Serializer):
    entity = ScopedPrimaryKeyRelatedField(queryset=Entity.objects.all(), scope=visible_entities)
    starts_on = serializers.DateField(required=False, default=None)


def _open_assignments(context):
    return context["instructor"].assignments.filter(ends_on__isnull=True).select_related("entity__area")


def _assigned_entities(context):
    return context["instructor"].entities.order_by("name").distinct()


class AssignmentEndInput(serializers.Serializer):
    assignment = ChoiceOfRecordField(choices=_open_assignments, help_text=_("进行中的指导关系的 id"))


class VisitInput(serializers.Serializer):
    entity = ChoiceOfRecordField(choices=_assigned_entities, help_text=_("指导员被选派到的单位的 id"))
    visited_on = serializers.DateField()
    content = serializers.CharField()
    issues = serializers.CharField(required=False, allow_blank=True, default="")


class InstructorViewSet(ScopedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Instructors. POST appoints one; `assignments/`, `end-assignment/` and `visits/` are the instructor
    page's forms (`coverage.change` on the entity's area; a visit also by the instructor themself): 403
    with the reason otherwise."""

    view_permission = VIEW
    change_permission = CHANGE
    # who may write: coverage.change on the entity's area, or the instructor's own visit
    services_decide = True
    serializer_class = InstructorSerializer
    queryset = (
        Instructor.objects.select_related("sent_by")
        .annotate(visit_count=Count("visits", distinct=True))
        .prefetch_related(
            Prefetch("assignments", queryset=InstructorAssignment.objects.select_related("entity"))
        )
        .order_by("area__path", "name", "pk")
    )

    def get_serializer_class(self):
        inputs = {
            "create": InstructorInput,
            "assignments": AssignInput,
            "end_assignment": AssignmentEndInput,
            "visits": VisitInput,
        }
        return inputs.get(self.action, InstructorSerializer)

    @extend_schema(request=InstructorInput, responses={201: InstructorSerializer})
    def create(self, request, *args, **kwargs):
        instructor = services.appoint_instructor(actor=request.user, **self.input_of(InstructorInput))
        return self.answer(instructor, status.HTTP_201_CREATED)

    @extend_schema(request=AssignInput, responses={201: InstructorSerializer})
    @action(detail=True, methods=["post"])
    def assignments(self, request, pk=None):
        """Send the instructor to an entity under their area (an uncovered one becomes covered by them)."""
        instructor = self.get_object()
        services.assign_instructor(actor=request.user, instructor=instructor, **self.input_of(AssignInput))
        return self.answer(instructor, status.HTTP_201_CREATED)

    @extend_schema(request=AssignmentEndInput, responses=InstructorSerializer)
    @action(detail=True, methods=["post"], url_path="end-assignment")
    def end_assignment(self, request, pk=None):
        """End an open assignment today (an entity left without instructors becomes uncovered)."""
        instructor = self.get_object()
        services.end_assignment(
            actor=request.user, **self.input_of(AssignmentEndInput, instructor=instructor)
        )
        return self.answer(instructor)

    @extend_schema(request=VisitInput, responses={201: InstructorSerializer})
    @action(detail=True, methods=["post"])
    def visits(self, request, pk=None):
        """Log a visit to one of the instructor's entities."""
        instructor = self.get_object()
        values = self.input_of(VisitInput, instructor=instructor)
        services.log_visit(actor=request.user, instructor=instructor, **values)
        return self.answer(instructor, status.HTTP_201_CREATED)


def register(router) -> None:
    router.register("instructors", InstructorViewSet, basename="instructor")
