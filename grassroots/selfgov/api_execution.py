"""Steps 4 and 5 in the API, through the services the matter's page calls:

- on `/api/matters/{id}/` (MatterViewSet): `POST …/plan/ {owner, owner_unit, budget, milestones: [{title,
  weight, planned_on}]}`; `GET …/milestones/`; `POST …/complete-milestone/ {milestone}`; `GET|POST
  …/updates/` (multipart, `photo`); `GET|POST …/spending/` (multipart, `evidence`); `GET|POST …/checks/`
  (supervision committee members; multipart, `photo`);
- `/api/evaluations/` (`?matter=`): each round's window, threshold, counts, rate and outcome;
  `POST …/{id}/ratings/ {level, comment}` a verified resident's rating (one per round);
- `/api/supervisors/` (`?community=`): the supervision committees; `POST` adds a member, `POST
  …/{id}/remove/`;
- `/api/selfgov-settings/`: the communities' numbers; `POST {community, …}` sets them."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from grassroots.access.scoping import scoped
from grassroots.accounts.models import User
from grassroots.api.fields import ScopedPrimaryKeyRelatedField
from grassroots.api.filters import int_param
from grassroots.api.scoping import ScopedViewSetMixin
from grassroots.areas.models import Area, Level
from grassroots.selfgov import selectors, selectors_execution
from grassroots.selfgov.forms_execution import owner_candidates
from grassroots.selfgov.models import (
    CommunitySetting,
    Evaluation,
    Milestone,
    ProgressUpdate,
    RatingLevel,
    Spending,
    SupervisionCheck,
    Supervisor,
)
from grassroots.selfgov.services import evaluation as evaluations
from grassroots.selfgov.services import execution


class MilestoneSerializer(serializers.ModelSerializer):
    class Meta:
        model = Milestone
        fields = ["id", "round", "title", "weight", "planned_on", "done_on", "overdue"]
        read_only_fields = fields


class ExecutionMilestoneInput(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    weight = serializers.IntegerField(min_value=1, max_value=100)
    planned_on = serializers.DateField()


class ExecutionPlanInput(serializers.Serializer):
    owner = serializers.IntegerField(help_text=_l("本社区的社区工作者、书记或居民的用户 id"))
    owner_unit = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    budget = serializers.DecimalField(
        max_digits=12, decimal_places=2, min_value=0, required=False, allow_null=True, default=None
    )
    milestones = ExecutionMilestoneInput(many=True)


class MilestoneCompleteInput(serializers.Serializer):
    milestone = serializers.IntegerField(min_value=1, help_text=_l("本事项本轮的一个执行节点的 id"))


class ProgressUpdateSerializer(serializers.ModelSerializer):
    author = serializers.CharField(source="author.display_name", read_only=True)
    photos = serializers.SerializerMethodField()
    photo = serializers.ImageField(write_only=True, required=False, allow_null=True)

    class Meta:
        model = ProgressUpdate
        fields = ["id", "round", "author", "text", "created_at", "photos", "photo"]
        read_only_fields = ["id", "round", "author", "created_at", "photos"]

    def get_photos(self, update) -> list[str]:
        from django.urls import reverse

        return [
            reverse("selfgov:matter_update_photo", args=[update.matter_id, p.pk]) for p in update.photos.all()
        ]


class SpendingSerializer(serializers.ModelSerializer):
    evidence = serializers.FileField(write_only=True, required=False, allow_null=True)
    evidence_url = serializers.SerializerMethodField()

    class Meta:
        model = Spending
        fields = ["id", "amount", "spent_on", "note", "evidence", "evidence_url", "created_at"]
        read_only_fields = ["id", "created_at", "evidence_url"]

    def get_evidence_url(self, spending) -> str:
        from django.urls import reverse

        if not spending.evidence:
            return ""
        return reverse("selfgov:matter_spending_evidence", args=[spending.matter_id, spending.pk])


class SupervisionCheckSerializer(serializers.ModelSerializer):
    supervisor = serializers.CharField(source="supervisor.display_name", read_only=True)
    photo = serializers.ImageField(write_only=True, required=False, allow_null=True)
    photo_url = serializers.SerializerMethodField()

    class Meta:
        model = SupervisionCheck
        fields = ["id", "supervisor", "finding", "photo", "photo_url", "created_at"]
        read_only_fields = ["id", "supervisor", "created_at", "photo_url"]

    def get_photo_url(self, check) -> str:
        from django.urls import reverse

        if not check.photo:
            return ""
        return reverse("selfgov:matter_check_photo", args=[check.matter_id, check.pk])


class ExecutionActions:
    """The matter's execution actions (mixed into MatterViewSet)."""

    def _execution_serializer(self):
        return {
            "plan": ExecutionPlanInput,
            "milestones": MilestoneSerializer,
            "complete_milestone": MilestoneCompleteInput,
            "updates": ProgressUpdateSerializer,
            "spending": SpendingSerializer,
            "checks": SupervisionCheckSerializer,
        }.get(self.action)

    @extend_schema(request=ExecutionPlanInput, responses=MilestoneSerializer(many=True))
    @action(detail=True, methods=["post"])
    def plan(self, request, pk=None):
        """The round's owner, budget and milestones (weights add up to 100; community staff)."""
        matter = self.get_object()
        data = self.input_of(ExecutionPlanInput)
        owner = owner_candidates(matter).filter(pk=data.pop("owner")).first()
        if owner is None:
            raise serializers.ValidationError(
                {"owner": [_("请选择本社区的社区工作者、书记或居民作为责任人。")]}
            )
        execution.set_plan(actor=request.user, matter=matter, owner=owner, **data)
        return Response(MilestoneSerializer(matter.milestones.filter(round=matter.round), many=True).data)

    @extend_schema(responses=MilestoneSerializer(many=True))
    @action(detail=True, methods=["get"])
    def milestones(self, request, pk=None):
        """Every round's milestones."""
        return Response(MilestoneSerializer(self.get_object().milestones.all(), many=True).data)

    @extend_schema(request=MilestoneCompleteInput, responses=MilestoneSerializer)
    @action(detail=True, methods=["post"], url_path="complete-milestone")
    def complete_milestone(self, request, pk=None):
        """Mark a milestone of the round done (community staff, the owner)."""
        matter = self.get_object()
        milestone = get_object_or_404(
            Milestone.objects.filter(matter=matter), pk=self.input_of(MilestoneCompleteInput)["milestone"]
        )
        return Response(
            MilestoneSerializer(
                execution.complete_milestone(actor=request.user, matter=matter, milestone=milestone)
            ).data
        )

    @extend_schema(methods=["GET"], responses=ProgressUpdateSerializer(many=True))
    @extend_schema(
        methods=["POST"], request=ProgressUpdateSerializer, responses={201: ProgressUpdateSerializer}
    )
    @action(detail=True, methods=["get", "post"], parser_classes=[JSONParser, MultiPartParser, FormParser])
    def updates(self, request, pk=None):
        """Progress updates; POST one with a photo (community staff, the owner)."""
        matter = self.get_object()
        if request.method == "POST":
            data = self.input_of(ProgressUpdateSerializer)
            photo = data.get("photo")
            update = execution.post_update(
                actor=request.user, matter=matter, text=data["text"], photos=[photo] if photo else []
            )
            return Response(ProgressUpdateSerializer(update).data, status=status.HTTP_201_CREATED)
        rows = matter.updates.select_related("author").prefetch_related("photos")
        return Response(ProgressUpdateSerializer(rows, many=True).data)

    @extend_schema(methods=["GET"], responses=SpendingSerializer(many=True))
    @extend_schema(methods=["POST"], request=SpendingSerializer, responses={201: SpendingSerializer})
    @action(detail=True, methods=["get", "post"], parser_classes=[JSONParser, MultiPartParser, FormParser])
    def spending(self, request, pk=None):
        """Spending against the budget; POST an entry with its evidence (community staff, the owner)."""
        matter = self.get_object()
        if request.method == "POST":
            data = self.input_of(SpendingSerializer)
            entry = execution.record_spending(actor=request.user, matter=matter, **data)
            return Response(SpendingSerializer(entry).data, status=status.HTTP_201_CREATED)
        return Response(SpendingSerializer(matter.spendings.all(), many=True).data)

    @extend_schema(methods=["GET"], responses=SupervisionCheckSerializer(many=True))
    @extend_schema(
        methods=["POST"], request=SupervisionCheckSerializer, responses={201: SupervisionCheckSerializer}
    )
    @action(detail=True, methods=["get", "post"], parser_classes=[JSONParser, MultiPartParser, FormParser])
    def checks(self, request, pk=None):
        """The supervision committee's checks; POST one (a member of the community's committee)."""
        matter = self.get_object()
        if request.method == "POST":
            data = self.input_of(SupervisionCheckSerializer)
            check = execution.record_check(user=request.user, matter=matter, **data)
            return Response(SupervisionCheckSerializer(check).data, status=status.HTTP_201_CREATED)
        return Response(
            SupervisionCheckSerializer(matter.checks.select_related("supervisor"), many=True).data
        )


class EvaluationSerializer(serializers.ModelSerializer):
    matter_title = serializers.CharField(source="matter.title", read_only=True)
    open = serializers.SerializerMethodField()
    rate = serializers.SerializerMethodField()

    class Meta:
        model = Evaluation
        fields = [
            "id",
            "matter",
            "matter_title",
            "round",
            "opens_at",
            "closes_at",
            "threshold",
            "open",
            "closed_at",
            "satisfied",
            "basic",
            "unsatisfied",
            "rate",
            "passed",
        ]
        read_only_fields = fields

    def get_open(self, evaluation) -> bool:
        return evaluation.is_open_at()

    def get_rate(self, evaluation) -> str | None:
        rate = evaluations.satisfaction(evaluation.satisfied, evaluation.basic, evaluation.unsatisfied)
        return None if rate is None else str(rate)


class MatterRatingInput(serializers.Serializer):
    level = serializers.ChoiceField(choices=RatingLevel.choices)
    comment = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")


class MatterRatingSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    level = serializers.CharField()
    comment = serializers.CharField()
    created_at = serializers.DateTimeField()


class EvaluationViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """The evaluation rounds of the matters one sees; residents rate the open one."""

    serializer_class = EvaluationSerializer
    queryset = Evaluation.objects.all()
    view_permission = "selfgov.view"
    services_decide = True

    def scope_queryset(self, queryset):
        rows = selectors_execution.visible_evaluations(self.request.user).select_related("matter")
        matter = int_param(self.request, "matter")
        if matter is not None:
            rows = rows.filter(matter_id=matter)
        return rows.order_by("-opens_at", "-pk")

    def get_serializer_class(self):
        return MatterRatingInput if self.action == "ratings" else EvaluationSerializer

    @extend_schema(request=MatterRatingInput, responses={201: MatterRatingSerializer})
    @action(detail=True, methods=["post"])
    def ratings(self, request, pk=None):
        """Rate the round while its window is open (verified residents of the matter's area; once)."""
        evaluation = self.get_object()
        rating = evaluations.rate(
            user=request.user, evaluation=evaluation, **self.input_of(MatterRatingInput)
        )
        return Response(MatterRatingSerializer(rating).data, status=status.HTTP_201_CREATED)


class SupervisorSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="user.display_name", read_only=True)
    community_name = serializers.CharField(source="community.name", read_only=True)

    class Meta:
        model = Supervisor
        fields = ["id", "community", "community_name", "user", "name", "added_at"]
        read_only_fields = fields


class SupervisorInput(serializers.Serializer):
    community = ScopedPrimaryKeyRelatedField(
        queryset=Area.objects.filter(level=Level.COMMUNITY, retired=False), permission="selfgov.manage"
    )
    user = serializers.IntegerField(help_text=_l("本社区已实名核验居民的用户 id"))


class SupervisorViewSet(ScopedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = SupervisorSerializer
    queryset = Supervisor.objects.all()
    view_permission = "selfgov.manage"
    services_decide = True
    http_method_names = ["get", "post", "head", "options"]

    def scope_queryset(self, queryset):
        rows = scoped(Supervisor.objects.all(), self.request.user, "selfgov.manage").select_related(
            "user", "community"
        )
        community = int_param(self.request, "community")
        if community is not None:
            rows = rows.filter(community_id=community)
        return rows.order_by("community__path", "added_at", "pk")

    def get_serializer_class(self):
        return SupervisorInput if self.action == "create" else SupervisorSerializer

    @extend_schema(request=SupervisorInput, responses={201: SupervisorSerializer})
    def create(self, request, *args, **kwargs):
        """Add a verified resident of the community to its supervision committee."""
        data = self.input_of(SupervisorInput)
        user = User.objects.filter(pk=data["user"]).select_related("home_area").first()
        seat = execution.add_supervisor(actor=request.user, community=data["community"], user=user)
        return self.answer(seat, status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={204: None})
    @action(detail=True, methods=["post"])
    def remove(self, request, pk=None):
        execution.remove_supervisor(actor=request.user, seat=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


class SelfgovSettingSerializer(serializers.Serializer):
    community = serializers.IntegerField(source="pk", read_only=True)
    name = serializers.CharField(read_only=True)
    support_percent = serializers.DecimalField(max_digits=5, decimal_places=2, read_only=True)
    hearing_notice_days = serializers.IntegerField(read_only=True)
    collection_days = serializers.IntegerField(read_only=True)
    evaluation_days = serializers.IntegerField(read_only=True)
    satisfaction_percent = serializers.DecimalField(max_digits=5, decimal_places=2, read_only=True)


class SelfgovSettingInput(serializers.ModelSerializer):
    community = ScopedPrimaryKeyRelatedField(
        queryset=Area.objects.filter(level=Level.COMMUNITY, retired=False), permission="selfgov.manage"
    )

    class Meta:
        model = CommunitySetting
        fields = [
            "community",
            "support_percent",
            "hearing_notice_days",
            "collection_days",
            "evaluation_days",
            "satisfaction_percent",
        ]


class SettingViewSet(ScopedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """The communities of one's scope with their numbers (the defaults where none were set)."""

    serializer_class = SelfgovSettingSerializer
    queryset = CommunitySetting.objects.all()  # what a POST writes; the rows listed are the communities
    view_permission = "selfgov.manage"
    services_decide = True
    http_method_names = ["get", "post", "head", "options"]

    def scope_queryset(self, queryset):
        return scoped(
            Area.objects.filter(level=Level.COMMUNITY, retired=False), self.request.user, "selfgov.manage"
        ).order_by("path")

    def get_serializer_class(self):
        return SelfgovSettingInput if self.action == "create" else SelfgovSettingSerializer

    def _with_values(self, areas):
        areas = list(areas)
        rows = {r.area_id: r for r in CommunitySetting.objects.filter(area__in=areas)}
        defaults = selectors.DEFAULTS
        for area in areas:
            row = rows.get(area.pk)
            for name in selectors.SETTINGS_FIELDS:
                setattr(area, name, getattr(row, name) if row else defaults[name])
        return areas

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(SelfgovSettingSerializer(self._with_values(page), many=True).data)

    def retrieve(self, request, *args, **kwargs):
        return Response(SelfgovSettingSerializer(self._with_values([self.get_object()])[0]).data)

    @extend_schema(request=SelfgovSettingInput, responses={201: SelfgovSettingSerializer})
    def create(self, request, *args, **kwargs):
        """Set a community's numbers (its staff and the officials above)."""
        data = self.input_of(SelfgovSettingInput)
        community = data.pop("community")
        evaluations.update_settings(actor=request.user, community=community, **data)
        return Response(
            SelfgovSettingSerializer(self._with_values([community])[0]).data, status=status.HTTP_201_CREATED
        )


def register(router) -> None:
    router.register("evaluations", EvaluationViewSet, basename="evaluation")
    router.register("supervisors", SupervisorViewSet, basename="supervisor")
    router.register("selfgov-settings", SettingViewSet, basename="selfgov-setting")
