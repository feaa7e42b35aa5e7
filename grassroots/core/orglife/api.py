"""`/api/orglife-plans/`, `/api/orglife-reports/`, `/api/appraisals/` (scoped by `orglife.view`, with the
organization secretaries' clause) and `/api/meetings/` (gatherings of organizational life: the gatherings
selector filtered by kind). All read-only: the forms move through the pages and the workflow view."""

from __future__ import annotations

import django_filters
from django.db.models import Count, Prefetch, Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response

from grassroots.api.fields import ScopedPrimaryKeyRelatedField
from grassroots.api.filters import IdFilter, YearFilter
from grassroots.api.scoping import ScopedViewSetMixin
from grassroots.api.transitions import StepForm
from grassroots.areas.models import PartyOrg
from grassroots.core.orglife import kinds
from grassroots.core.orglife.models import (
    Appraisal,
    GuidanceDecision,
    OrgLifeGuidance,
    OrgLifePlan,
    OrgLifeReport,
    PlannedGathering,
    ReportAttendance,
)
from grassroots.core.orglife.selectors import forms as selectors
from grassroots.core.orglife.services import plans as plan_services
from grassroots.gatherings.api import GatheringSerializer
from grassroots.gatherings.filters import GatheringFilter


class PlannedGatheringSerializer(serializers.ModelSerializer):
    # A plain string (one of the orglife_* gathering kinds), so that the schema's "kind" enums stay unique.
    kind = serializers.CharField(read_only=True)
    kind_label = serializers.CharField(read_only=True)

    class Meta:
        model = PlannedGathering
        fields = [
            "id",
            "kind",
            "kind_label",
            "topic",
            "starts_at",
            "ends_at",
            "place",
            "lecturer",
            "gathering",
        ]


class GuidanceSerializer(serializers.ModelSerializer):
    author_name = serializers.CharField(source="author.display_name", read_only=True)

    class Meta:
        model = OrgLifeGuidance
        fields = [
            "id",
            "decision",
            "comments",
            "required_changes",
            "author",
            "author_name",
            "author_org",
            "state",
            "created_at",
        ]


class GuidanceRowSerializer(GuidanceSerializer):
    plan = serializers.PrimaryKeyRelatedField(read_only=True)
    branch = serializers.IntegerField(source="plan.branch_id", read_only=True)

    class Meta(GuidanceSerializer.Meta):
        fields = [*GuidanceSerializer.Meta.fields, "plan", "branch", "acknowledged_at"]
        read_only_fields = fields


class PlanSerializer(serializers.ModelSerializer):
    branch_name = serializers.CharField(source="branch.name", read_only=True)
    state_label = serializers.CharField(read_only=True)
    period = serializers.CharField(source="period.key", read_only=True)
    items = PlannedGatheringSerializer(many=True, read_only=True)
    guidance = GuidanceSerializer(many=True, read_only=True)

    class Meta:
        model = OrgLifePlan
        fields = [
            "id",
            "branch",
            "branch_name",
            "period_unit",
            "period_start",
            "period",
            "note",
            "state",
            "state_label",
            "filed_at",
            "decided_at",
            "items",
            "guidance",
        ]


class AttendanceSerializer(serializers.ModelSerializer):
    member_name = serializers.CharField(source="member.name", read_only=True)

    class Meta:
        model = ReportAttendance
        fields = ["member", "member_name", "present", "absence_reason"]


class ReportSerializer(serializers.ModelSerializer):
    branch_name = serializers.CharField(source="branch.name", read_only=True)
    kind = serializers.CharField(read_only=True)
    kind_label = serializers.CharField(read_only=True)
    state_label = serializers.CharField(read_only=True)
    title = serializers.CharField(source="gathering.title", read_only=True)
    present_count = serializers.IntegerField(read_only=True)
    absent_count = serializers.IntegerField(read_only=True)
    attendance = AttendanceSerializer(many=True, read_only=True)

    class Meta:
        model = OrgLifeReport
        fields = [
            "id",
            "branch",
            "branch_name",
            "gathering",
            "title",
            "kind",
            "kind_label",
            "held_on",
            "minutes",
            "resolutions",
            "state",
            "state_label",
            "submitted_at",
            "decided_at",
            "review_comment",
            "present_count",
            "absent_count",
            "attendance",
        ]


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


class PlanFilter(django_filters.FilterSet):
    branch = IdFilter(field_name="branch_id")
    year = YearFilter(field_name="period_start", lookup_expr="year")

    class Meta:
        model = OrgLifePlan
        fields = ["branch", "state", "period_unit", "year"]


class ReportFilter(django_filters.FilterSet):
    branch = IdFilter(field_name="branch_id")
    year = YearFilter(field_name="held_on", lookup_expr="year")
    held_after = django_filters.DateFilter(field_name="held_on", lookup_expr="gte")
    held_before = django_filters.DateFilter(field_name="held_on", lookup_expr="lte")

    class Meta:
        model = OrgLifeReport
        fields = ["branch", "state", "kind", "year", "held_after", "held_before"]


class AppraisalFilter(django_filters.FilterSet):
    branch = IdFilter(field_name="branch_id")

    class Meta:
        model = Appraisal
        fields = ["branch", "year", "grade"]


class ApproveInput(serializers.Serializer):
    """The guidance form of an approval: `comment` is its comments (default "同意备案。")."""

    required_changes = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)


class ReturnInput(serializers.Serializer):
    """The guidance form of a return: `comment` is its comments."""

    required_changes = serializers.CharField(max_length=5000, help_text=_("需修改的事项"))


def _decide(decision: str):
    def take(view, plan, *, actor, comment, attachments, required_changes=""):
        plan_services.decide_plan(
            actor=actor,
            plan=plan,
            decision=decision,
            comments=comment,
            required_changes=required_changes,
            attachments=attachments,
        )

    return take


class PlanItemInput(serializers.Serializer):
    kind = serializers.CharField(help_text=_("会议类型代码（orglife_general、orglife_lesson 等）"))
    topic = serializers.CharField(max_length=200)
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    place = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    lecturer = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")


class PlanEdit(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")
    items = PlanItemInput(many=True)

    def plan_items(self) -> list:
        return [plan_services.PlanItem(**item) for item in self.validated_data["items"]]


class PlanInput(PlanEdit):
    branch = ScopedPrimaryKeyRelatedField(
        queryset=PartyOrg.objects.all(), scope=lambda user: selectors.visible_branches(user)
    )
    period_unit = serializers.CharField(help_text=_("month 或 quarter"))
    period_start = serializers.DateField(help_text=_("周期内的任一天"))


class PlanViewSet(
    ScopedViewSetMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet
):
    """Filing forms (备案单). Steps: file, refile (the branch's side); approve (`comment`, optional
    `required_changes`) and return_plan (`required_changes`), each writing the guidance form (the
    organization above)."""

    view_permission = "orglife.view"
    transition_forms = {
        "approve": StepForm(ApproveInput, _decide(GuidanceDecision.APPROVE)),
        "return_plan": StepForm(ReturnInput, _decide(GuidanceDecision.RETURN)),
    }
    serializer_class = PlanSerializer
    filterset_class = PlanFilter
    queryset = (
        OrgLifePlan.objects.select_related("branch")
        .prefetch_related(
            Prefetch("items", queryset=PlannedGathering.objects.order_by("starts_at", "pk")),
            Prefetch("guidance", queryset=OrgLifeGuidance.objects.select_related("author")),
        )
        .order_by("-period_start", "pk")
    )
    http_method_names = ["get", "post", "put", "head", "options"]

    def check_object_permissions(self, request, obj):
        # The branch's side edits its plan: the service decides (services.plans.update_plan).
        viewsets.GenericViewSet.check_object_permissions(self, request, obj)

    def get_serializer_class(self):
        return {"create": PlanInput, "update": PlanEdit}.get(self.action, PlanSerializer)

    def _answer(self, plan, code=status.HTTP_200_OK):
        fresh = self.get_queryset().get(pk=plan.pk)
        return Response(PlanSerializer(fresh, context=self.get_serializer_context()).data, status=code)

    @extend_schema(request=PlanInput, responses={201: PlanSerializer})
    def create(self, request, *args, **kwargs):
        """A new filing form (draft) of a branch for the month or quarter containing `period_start`."""
        data = PlanInput(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        values = data.validated_data
        plan = plan_services.create_plan(
            actor=request.user,
            branch=values["branch"],
            period_unit=values["period_unit"],
            period_start=values["period_start"],
            note=values["note"],
            items=data.plan_items(),
        )
        return self._answer(plan, status.HTTP_201_CREATED)

    @extend_schema(request=PlanEdit, responses=PlanSerializer)
    def update(self, request, *args, **kwargs):
        """Change a draft or returned plan: its note and its whole list of planned gatherings."""
        plan = self.get_object()
        data = PlanEdit(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        plan_services.update_plan(
            actor=request.user, plan=plan, note=data.validated_data["note"], items=data.plan_items()
        )
        return self._answer(plan)


class ReportViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    view_permission = "orglife.view"
    serializer_class = ReportSerializer
    filterset_class = ReportFilter
    queryset = (
        OrgLifeReport.objects.select_related("branch", "gathering")
        .annotate(
            present_count=Count("attendance", filter=Q(attendance__present=True)),
            absent_count=Count("attendance", filter=Q(attendance__present=False)),
        )
        .prefetch_related(Prefetch("attendance", queryset=ReportAttendance.objects.select_related("member")))
        .order_by("-held_on", "-pk")
    )


class GuidanceFilter(django_filters.FilterSet):
    plan = django_filters.NumberFilter(field_name="plan_id")
    branch = django_filters.NumberFilter(field_name="plan__branch_id")

    class Meta:
        model = OrgLifeGuidance
        fields = ["plan", "branch", "state", "decision"]


class GuidanceViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Guidance forms (指导单) the organization above wrote on filed plans. Step: acknowledge (the branch)."""

    view_permission = "orglife.view"
    serializer_class = GuidanceRowSerializer
    filterset_class = GuidanceFilter
    queryset = OrgLifeGuidance.objects.select_related("author", "plan", "plan__branch").order_by(
        "-created_at", "-pk"
    )


class AppraisalViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    view_permission = "orglife.view"
    serializer_class = AppraisalSerializer
    filterset_class = AppraisalFilter
    queryset = Appraisal.objects.select_related("member", "branch").order_by(
        "-year", "branch_id", "member__name"
    )


class MeetingFilter(GatheringFilter):
    class Meta(GatheringFilter.Meta):
        pass

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["kind"].extra["choices"] = kinds.choices


class MeetingViewSet(viewsets.ReadOnlyModelViewSet):
    """Gatherings of organizational life (三会一课, 组织生活会, 主题党日) the user may see: the gatherings
    selector (its visibility rule) filtered to these kinds, with the gatherings filter."""

    serializer_class = GatheringSerializer
    filterset_class = MeetingFilter

    def get_queryset(self):
        return selectors.meetings_for(self.request.user)


def register(router) -> None:
    router.register("orglife-plans", PlanViewSet, basename="orglife-plan")
    router.register("orglife-guidance", GuidanceViewSet, basename="orglife-guidance")
    router.register("orglife-reports", ReportViewSet, basename="orglife-report")
    router.register("appraisals", AppraisalViewSet, basename="appraisal")
    router.register("meetings", MeetingViewSet, basename="meeting")
