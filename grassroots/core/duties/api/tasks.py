"""`/api/duty-tasks/`: tasks issued in the caller's scope, with the progress of their targets. The task list
pages' forms, through the same services (`duties.issue` on the issuing area, else 403 naming it):

- `POST /api/duty-tasks/` issues a task (`services.issue_task`, THE RULE of 社区事务准入制 included; with
  `parent`, the breakdown of a received assignment);
- `POST /api/duty-tasks/copy/ {area, year}` starts the year's task list from last year's (drafts);
- `POST /api/duty-tasks/{id}/issue/` issues a draft, `DELETE /api/duty-tasks/{id}/` deletes one.

Scoped like the pages: rows outside answer 404."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from grassroots.api.fields import ScopedPrimaryKeyRelatedField
from grassroots.api.idempotency import submission_input
from grassroots.api.pagination import KeysFirstMixin
from grassroots.api.scoping import ScopedViewSetMixin
from grassroots.areas.models import Area, Level
from grassroots.core.admission.models import AdmittedAffair
from grassroots.core.duties import selectors, services
from grassroots.core.duties.filters import DutyTaskFilter
from grassroots.core.duties.models import DutyAssignment, DutyTask, Office
from grassroots.core.duties.selectors.lists import TASK_ORDER
from grassroots.core.duties.services.tasks import TARGET_LEVELS

# The levels a task is issued to (named in the schema by SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"]).
TARGET_LEVEL_CHOICES = [(lv, Level(lv).label) for lv in TARGET_LEVELS]


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

    submission = submission_input()  # the token; a repeat gives the first record (api/idempotency.py)

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
    target_level = serializers.ChoiceField(choices=TARGET_LEVEL_CHOICES)
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


class DraftIssueSerializer(IssueSerializer):
    """What POST /api/duty-tasks/{id}/issue/ takes: the issue form of a draft (its area and year are the
    draft's)."""

    area = None
    parent = None
    year = None


class CopyInput(serializers.Serializer):
    area = ScopedPrimaryKeyRelatedField(queryset=Area.objects.all(), permission="duties.issue")
    year = serializers.IntegerField(min_value=2000, max_value=2100)


class CopyAnswer(serializers.Serializer):
    area = serializers.IntegerField()
    year = serializers.IntegerField()
    drafts = serializers.IntegerField(help_text=_("复制出的草稿数"))


class DutyTaskViewSet(
    KeysFirstMixin, ScopedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet
):
    """Tasks issued by areas in the caller's "duties.view" scope, with the counts of their targets
    (`progress`). POST issues a task (see IssueSerializer); a task to communities without an admitted affair
    answers 400 {"affair": ["不在社区事务准入目录内"]}."""

    serializer_class = DutyTaskSerializer
    filterset_class = DutyTaskFilter
    view_permission = "duties.view"
    change_permission = "duties.issue"

    queryset = DutyTask.objects.all()

    def get_queryset(self):
        return super().get_queryset().order_by(*TASK_ORDER)  # the page's order

    def row_extras(self, queryset):
        # The targets' figures (an aggregate over the assignments) and the related rows: for the page's tasks
        # only (KeysFirstMixin), as the page's rows (`listed_tasks`).
        return selectors.listed_tasks(queryset)

    http_method_names = ["get", "post", "delete", "head", "options"]

    def get_serializer_class(self):
        inputs = {"create": IssueSerializer, "issue": DraftIssueSerializer, "copy": CopyInput}
        return inputs.get(self.action, DutyTaskSerializer)

    def create(self, request, *args, **kwargs):
        task = services.issue_task(actor=request.user, **self.input_of(IssueSerializer))
        return self.answer(task, status.HTTP_201_CREATED)

    @extend_schema(request=DraftIssueSerializer, responses=DutyTaskSerializer)
    @action(detail=True, methods=["post"])
    def issue(self, request, pk=None):
        """Issue a draft of the task list (copied from last year) with these values (the draft's 下发 form);
        a task issued already answers 400."""
        draft = self.get_object()
        values = self.input_of(DraftIssueSerializer)
        task = services.issue_task(
            actor=request.user, area=draft.area, year=draft.task_list.year, draft=draft, **values
        )
        return self.answer(task)

    def destroy(self, request, *args, **kwargs):
        """Delete a draft (a task issued already answers 400)."""
        services.delete_draft(actor=request.user, task=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=CopyInput, responses={201: CopyAnswer})
    @action(detail=False, methods=["post"])
    def copy(self, request):
        """Start `year`'s task list of `area` from last year's: its own tasks become drafts (listed with
        `?draft=true&issuer={area}&year={year}`)."""
        values = self.input_of(CopyInput)
        task_list = services.copy_task_list(actor=request.user, **values)
        body = {"area": values["area"].pk, "year": task_list.year, "drafts": task_list.tasks.count()}
        return Response(body, status=status.HTTP_201_CREATED)


def register(router) -> None:
    router.register("duty-tasks", DutyTaskViewSet, basename="duty-task")
