"""`/api/orglife-plans/` and `/api/orglife-guidance/`: filing forms (备案单), drafted (POST) and changed (PUT)
by the branch's side through `services.plans`; the guidance forms (指导单) the organization above writes with
the steps approve / return_plan; every step at `…/{id}/transitions/{name}/`."""

from __future__ import annotations

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets

from grassroots.api.fields import ScopedPrimaryKeyRelatedField
from grassroots.api.scoping import ScopedViewSetMixin
from grassroots.api.transitions import StepForm
from grassroots.areas.models import PartyOrg
from grassroots.core.orglife.filters import GuidanceFilter, PlanFilter
from grassroots.core.orglife.models import GuidanceDecision, OrgLifeGuidance, OrgLifePlan, PlannedGathering
from grassroots.core.orglife.selectors import forms as selectors
from grassroots.core.orglife.services import plans as plan_services


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


def plan_items(values: dict) -> list:
    return [plan_services.PlanItem(**item) for item in values["items"]]


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
    # who may write: the branch's side edits its plan (services.plans.update_plan)
    services_decide = True
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

    def get_serializer_class(self):
        return {"create": PlanInput, "update": PlanEdit}.get(self.action, PlanSerializer)

    @extend_schema(request=PlanInput, responses={201: PlanSerializer})
    def create(self, request, *args, **kwargs):
        """A new filing form (draft) of a branch for the month or quarter containing `period_start`."""
        values = self.input_of(PlanInput)
        plan = plan_services.create_plan(
            actor=request.user,
            branch=values["branch"],
            period_unit=values["period_unit"],
            period_start=values["period_start"],
            note=values["note"],
            items=plan_items(values),
        )
        return self.answer(plan, status.HTTP_201_CREATED)

    @extend_schema(request=PlanEdit, responses=PlanSerializer)
    def update(self, request, *args, **kwargs):
        """Change a draft or returned plan: its note and its whole list of planned gatherings."""
        plan = self.get_object()
        values = self.input_of(PlanEdit)
        plan_services.update_plan(
            actor=request.user, plan=plan, note=values["note"], items=plan_items(values)
        )
        return self.answer(plan)


class GuidanceViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Guidance forms (指导单) the organization above wrote on filed plans. Step: acknowledge (the branch)."""

    view_permission = "orglife.view"
    serializer_class = GuidanceRowSerializer
    filterset_class = GuidanceFilter
    queryset = selectors.guidance_rows()  # as the branch page's and a plan's page's guidance


def register(router) -> None:
    router.register("orglife-plans", PlanViewSet, basename="orglife-plan")
    router.register("orglife-guidance", GuidanceViewSet, basename="orglife-guidance")
