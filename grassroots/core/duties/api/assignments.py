"""`/api/duty-assignments/`: the assignments of the caller's areas; steps accept, begin, submit, approve,
send_back, rework, resubmit through the workflow service at `…/{id}/transitions/{name}/`; `…/{id}/office/`
names the office that handles one (the assignment page's 承办科室 form, `services.assign_office`)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action

from grassroots.api.fields import ChoiceOfRecordField
from grassroots.api.scoping import ScopedViewSetMixin
from grassroots.api.transitions import AvailableTransitionsField
from grassroots.core.duties import selectors, services
from grassroots.core.duties.filters import DutyAssignmentFilter
from grassroots.core.duties.models import DutyAssignment, Office


class DutyAssignmentSerializer(serializers.ModelSerializer):
    task_title = serializers.CharField(source="task.title", read_only=True)
    deadline = serializers.DateField(source="task.deadline", read_only=True)
    issuer = serializers.IntegerField(source="task.area_id", read_only=True)
    issuer_name = serializers.CharField(source="task.area.name", read_only=True)
    area_name = serializers.CharField(source="area.name", read_only=True)
    office_name = serializers.CharField(source="office.name", read_only=True, default=None)
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    overdue = serializers.SerializerMethodField()
    children = serializers.SerializerMethodField()
    actions = AvailableTransitionsField()

    class Meta:
        model = DutyAssignment
        fields = [
            "id",
            "task",
            "task_title",
            "deadline",
            "issuer",
            "issuer_name",
            "area",
            "area_name",
            "office",
            "office_name",
            "state",
            "state_label",
            "overdue",
            "returned_count",
            "accepted_at",
            "submitted_at",
            "approved_at",
            "completed_on",
            "evidence",
            "return_reason",
            "children",
            "actions",
        ]
        read_only_fields = fields

    def get_overdue(self, obj) -> bool:
        return obj.is_overdue(self.context.setdefault("today", timezone.localdate()))

    def get_children(self, obj) -> dict:
        """Progress of the tasks broken down from this assignment: {"total": n, "approved": m}."""
        return {"total": getattr(obj, "child_total", 0), "approved": getattr(obj, "child_approved", 0)}


def _offices_of_the_area(context):
    return Office.objects.filter(area=context["assignment"].area, retired=False)


class HandlingOfficeInput(serializers.Serializer):
    office = ChoiceOfRecordField(
        choices=_offices_of_the_area, allow_null=True, help_text=_("本单位的科室 id（null：不指定）")
    )


class DutyAssignmentViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Assignments whose target lies in the caller's "duties.view" scope. Steps at
    `…/{id}/transitions/{name}/` (optional `comment` and `attachments`): accept, begin, submit (the evidence
    text as `comment`), send_back (`comment` = the reason), rework, resubmit (after a return), approve. Who
    may take each is the workflow's rule (the target's own officials do, the issuer's officials check): 403
    otherwise."""

    serializer_class = DutyAssignmentSerializer
    filterset_class = DutyAssignmentFilter
    view_permission = "duties.view"
    # who may write: the steps are the workflow's, the office the target's officials' (assign_office)
    services_decide = True
    queryset = DutyAssignment.objects.filter(task__issued_at__isnull=False)

    def get_queryset(self):
        qs = super().get_queryset().select_related("task", "task__area", "area", "office")
        return selectors.with_children(qs).order_by("task__deadline", "area__path", "pk")

    def get_serializer_class(self):
        return HandlingOfficeInput if self.action == "office" else DutyAssignmentSerializer

    @extend_schema(request=HandlingOfficeInput, responses=DutyAssignmentSerializer)
    @action(detail=True, methods=["post"])
    def office(self, request, pk=None):
        """Name the office of the receiving area that handles the assignment (the target's officials)."""
        assignment = self.get_object()
        values = self.input_of(HandlingOfficeInput, assignment=assignment)
        services.assign_office(actor=request.user, assignment=assignment, **values)
        return self.answer(assignment)


def register(router) -> None:
    router.register("duty-assignments", DutyAssignmentViewSet, basename="duty-assignment")
