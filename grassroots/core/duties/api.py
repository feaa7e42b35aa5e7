"""`/api/duty-tasks/` (tasks issued in the caller's scope, with the progress of their targets; POST issues
one through `services.issue_task`, THE RULE of 社区事务准入制 included) and `/api/duty-assignments/` (the
assignments of the caller's areas; steps accept, start, submit, approve, return, rework through the workflow
service at `…/{id}/transitions/{name}/`). Scoped like the pages: rows outside answer 404."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from rest_framework import mixins, serializers, viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from grassroots.api.fields import ScopedPrimaryKeyRelatedField
from grassroots.api.filters import IdFilter, SubtreeFilter, YearFilter
from grassroots.api.scoping import ScopedViewSetMixin
from grassroots.api.transitions import AvailableTransitionsField
from grassroots.areas.models import Area, Level
from grassroots.core.admission.models import AdmittedAffair
from grassroots.core.duties import selectors, services
from grassroots.core.duties.models import AssignmentState, DutyAssignment, DutyTask, Office
from grassroots.core.duties.rules import checker, doer
from grassroots.core.duties.services.tasks import TARGET_LEVELS

# --- tasks --------------------------------------------------------------------------------------------------


class ProgressSerializer(serializers.Serializer):
    total = serializers.IntegerField(source="fig_total")
    approved = serializers.IntegerField(source="fig_approved")
    on_time = serializers.IntegerField(source="fig_on_time")
    overdue = serializers.IntegerField(source="fig_overdue")
    submitted = serializers.IntegerField(source="fig_submitted")
    open = serializers.IntegerField(source="fig_open")


class DutyTaskSerializer(serializers.ModelSerializer):
    year = serializers.IntegerField(source="task_list.year", read_only=True)
    area_name = serializers.CharField(source="area.name", read_only=True)
    target_level_label = serializers.CharField(source="get_target_level_display", read_only=True)
    office_name = serializers.CharField(source="office.name", read_only=True, default=None)
    affair_name = serializers.CharField(source="affair.name", read_only=True, default=None)
    is_draft = serializers.BooleanField(read_only=True)
    progress = ProgressSerializer(source="*", read_only=True)

    class Meta:
        model = DutyTask
        fields = [
            "id",
            "area",
            "area_name",
            "year",
            "title",
            "description",
            "deadline",
            "evidence_required",
            "weight",
            "office",
            "office_name",
            "target_level",
            "target_level_label",
            "affair",
            "affair_name",
            "parent",
            "root",
            "is_draft",
            "issued_at",
            "progress",
        ]
        read_only_fields = fields


class IssueSerializer(serializers.Serializer):
    """What POST /api/duty-tasks/ takes. Give `area` (the issuer) or `parent` (a received assignment being
    broken down)."""

    area = ScopedPrimaryKeyRelatedField(
        queryset=Area.objects.all(), permission="duties.issue", required=False
    )
    parent = ScopedPrimaryKeyRelatedField(
        queryset=DutyAssignment.objects.all(), permission="duties.view", required=False, allow_null=True
    )
    year = serializers.IntegerField(required=False, min_value=2000, max_value=2100)
    title = serializers.CharField(max_length=150)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    deadline = serializers.DateField()
    evidence_required = serializers.CharField(required=False, allow_blank=True, default="")
    weight = serializers.DecimalField(max_digits=5, decimal_places=2, required=False, default=Decimal("1"))
    target_level = serializers.ChoiceField(choices=[(lv, Level(lv).label) for lv in TARGET_LEVELS])
    office = ScopedPrimaryKeyRelatedField(
        queryset=Office.objects.all(), permission="duties.issue", required=False, allow_null=True
    )
    affair = ScopedPrimaryKeyRelatedField(
        queryset=AdmittedAffair.objects.all(),
        scope=AdmittedAffair.visible_to,
        required=False,
        allow_null=True,
        help_text=_("下发到社区（target_level=4）时必填：社区事务准入目录中在完成时限当天有效的事项。"),
    )
    targets = serializers.ListField(
        child=ScopedPrimaryKeyRelatedField(queryset=Area.objects.all(), permission="duties.issue"),
        required=False,
        allow_empty=False,
        help_text=_("只下发给这些区域（默认：本区域下该层级的全部区域）。"),
    )


class DutyTaskFilter(filters.FilterSet):
    year = YearFilter(field_name="task_list__year")
    area = SubtreeFilter(path_field="area__path")
    issuer = IdFilter(field_name="area_id", label="issuing area (exactly)")
    parent = IdFilter(field_name="parent_id")
    root = IdFilter(field_name="root_id")
    draft = filters.BooleanFilter(field_name="issued_at", lookup_expr="isnull")

    class Meta:
        model = DutyTask
        fields = ["target_level", "office", "affair"]


class DutyTaskViewSet(ScopedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Tasks issued by areas in the caller's "duties.view" scope, with the counts of their targets
    (`progress`). POST issues a task (see IssueSerializer); a task to communities without an admitted affair
    answers 400 {"affair": ["不在社区事务准入目录内"]}."""

    serializer_class = DutyTaskSerializer
    filterset_class = DutyTaskFilter
    view_permission = "duties.view"
    change_permission = "duties.issue"

    queryset = DutyTask.objects.select_related("area", "task_list", "office", "affair")

    def get_queryset(self):
        qs = selectors.annotate_figures(super().get_queryset())
        return qs.order_by("-task_list__year", "deadline", "pk")

    def get_serializer_class(self):
        return IssueSerializer if self.action == "create" else DutyTaskSerializer

    def create(self, request, *args, **kwargs):
        data = IssueSerializer(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        try:
            task = services.issue_task(actor=request.user, **values)
        except DjangoPermissionDenied as exc:
            raise PermissionDenied(str(exc)) from exc
        fresh = self.get_queryset().get(pk=task.pk)
        return Response(DutyTaskSerializer(fresh, context=self.get_serializer_context()).data, status=201)


# --- assignments --------------------------------------------------------------------------------------------


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


class DutyAssignmentFilter(filters.FilterSet):
    task = IdFilter(field_name="task_id")
    area = SubtreeFilter(path_field="area__path")
    year = YearFilter(field_name="task__task_list__year")
    state = filters.ChoiceFilter(
        method="filter_state",
        choices=[*AssignmentState.choices, ("overdue", _("逾期")), ("open", _("未提交"))],
    )
    mine = filters.ChoiceFilter(
        method="filter_mine",
        choices=[("todo", _("待我办理")), ("check", _("待我审核"))],
        label="todo | check",
    )

    class Meta:
        model = DutyAssignment
        fields = ["office"]

    def filter_state(self, queryset, name, value):
        return selectors.filter_state(queryset, value)

    def filter_mine(self, queryset, name, value):
        user = self.request.user
        if value == "todo":
            return queryset.filter(doer.q(user)).exclude(state=AssignmentState.APPROVED)
        return queryset.filter(checker.q(user), state=AssignmentState.SUBMITTED)


class DutyAssignmentViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Assignments whose target lies in the caller's "duties.view" scope. Steps at
    `…/{id}/transitions/{name}/` (optional `comment` and `attachments`): accept, begin, submit (the evidence
    text as `comment`), send_back (`comment` = the reason), rework, resubmit (after a return), approve. Who
    may take each is the workflow's rule (the target's own officials do, the issuer's officials check): 403
    otherwise."""

    serializer_class = DutyAssignmentSerializer
    filterset_class = DutyAssignmentFilter
    view_permission = "duties.view"
    queryset = DutyAssignment.objects.filter(task__issued_at__isnull=False)

    def get_queryset(self):
        qs = super().get_queryset().select_related("task", "task__area", "area", "office")
        return selectors.with_children(qs).order_by("task__deadline", "area__path", "pk")


def register(router) -> None:
    router.register("duty-tasks", DutyTaskViewSet, basename="duty-task")
    router.register("duty-assignments", DutyAssignmentViewSet, basename="duty-assignment")
