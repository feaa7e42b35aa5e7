"""`/api/opinions/`, `/api/matters/`, `/api/hearings/`: every step of the self-governance pages, through the
services the pages call. Reads go through the selectors (`visible_opinions`, `visible_matters`): anything
else is 404. The workflow steps (reject an opinion; adopt, not_adopted, start_evaluation, finish, reopen a
matter) are `POST …/{id}/transitions/{name}/` (grassroots.api.transitions).

- `POST /api/opinions/` a verified resident's opinion (`quick: true` for a quick report, with a photo);
  `POST /api/opinions/record/` a grid worker's record on a resident's behalf; `POST …/{id}/support/` one
  support; `POST …/{id}/group/ {matter}` into a matter (community staff);
- `POST /api/matters/` (selfgov.manage), `POST …/{id}/hearing/` the hearing (with guests),
  `GET|POST …/{id}/comments/` online comments during the hearing, `POST …/{id}/decision/` the vote;
- `GET /api/opinions/?channel=` by channel (`filters.OpinionFilter`, as the page; unknown: 400);
- `GET /api/hearings/`: the hearings of the matters one sees, with their guests."""

from __future__ import annotations

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from grassroots.accounts.models import User
from grassroots.api.fields import ScopedPrimaryKeyRelatedField
from grassroots.api.scoping import ScopedViewSetMixin
from grassroots.areas.models import Area
from grassroots.gatherings.models import Gathering, Guest
from grassroots.portal.submissions import API_HELP, MAX_LENGTH
from grassroots.selfgov import api_execution, selectors
from grassroots.selfgov.api_awaiting import extra_urls  # noqa: F401  GET /api/awaiting-me/
from grassroots.selfgov.api_conventions import ConventionViewSet
from grassroots.selfgov.api_execution import ExecutionActions
from grassroots.selfgov.api_negotiations import NegotiationViewSet
from grassroots.selfgov.api_reports import QuickReportActions
from grassroots.selfgov.api_rulebooks import RulebookViewSet
from grassroots.selfgov.filters import OpinionFilter
from grassroots.selfgov.models import (
    MATTER_ELECTORATES,
    MATTER_MAJORITIES,
    Category,
    HearingComment,
    Matter,
    Opinion,
)
from grassroots.selfgov.services import matters, opinions
from grassroots.voting.models import Electorate, Majority


class OpinionSerializer(serializers.ModelSerializer):
    area_name = serializers.CharField(source="area.name", read_only=True)
    state_label = serializers.CharField(read_only=True)
    threshold_reached = serializers.SerializerMethodField()
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = Opinion
        fields = [
            "id",
            "community",
            "area",
            "area_name",
            "channel",
            "category",
            "text",
            "place",
            "latitude",
            "longitude",
            "state",
            "state_label",
            "support_count",
            "threshold_reached",
            "matter",
            "reject_reason",
            "created_at",
            "url",
        ]
        read_only_fields = fields

    def get_threshold_reached(self, opinion) -> bool:
        return opinion.threshold_reached_at is not None


class OpinionInput(serializers.Serializer):
    category = serializers.ChoiceField(choices=Category.choices)
    text = serializers.CharField(max_length=2000)
    area = serializers.PrimaryKeyRelatedField(
        queryset=Area.objects.filter(retired=False), required=False, allow_null=True
    )
    place = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    latitude = serializers.DecimalField(
        max_digits=9, decimal_places=6, required=False, allow_null=True, default=None
    )
    longitude = serializers.DecimalField(
        max_digits=9, decimal_places=6, required=False, allow_null=True, default=None
    )
    photo = serializers.FileField(required=False, allow_null=True)
    quick = serializers.BooleanField(required=False, default=False)
    submission = serializers.CharField(
        required=False, allow_blank=True, max_length=MAX_LENGTH, help_text=API_HELP
    )


class OpinionRecordInput(serializers.Serializer):
    resident = serializers.PrimaryKeyRelatedField(queryset=User.objects.filter(is_active=True))
    category = serializers.ChoiceField(choices=Category.choices)
    text = serializers.CharField(max_length=2000)
    place = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    photo = serializers.FileField(required=False, allow_null=True)
    submission = serializers.CharField(
        required=False, allow_blank=True, max_length=MAX_LENGTH, help_text=API_HELP
    )


class OpinionGroupInput(serializers.Serializer):
    matter = serializers.IntegerField()


class OpinionViewSet(
    QuickReportActions, ScopedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet
):
    serializer_class = OpinionSerializer
    queryset = Opinion.objects.all()
    filterset_class = OpinionFilter  # ?channel=, as the page 居民意见
    view_permission = "selfgov.view"
    services_decide = True
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    http_method_names = ["get", "post", "head", "options"]

    def scope_queryset(self, queryset):
        return (
            selectors.visible_opinions(self.request.user)
            .select_related("area")
            .order_by("-created_at", "-pk")
        )

    def get_serializer_class(self):
        return {"create": OpinionInput, "record": OpinionRecordInput, "group": OpinionGroupInput}.get(
            self.action, OpinionSerializer
        )

    @extend_schema(request=OpinionInput, responses={201: OpinionSerializer})
    def create(self, request, *args, **kwargs):
        """Submit your own opinion (verified residents); `quick` for a quick report with a photo."""
        data = self.input_of(OpinionInput)
        photo = data.pop("photo", None)
        opinion = opinions.submit_opinion(author=request.user, photos=[photo] if photo else [], **data)
        return self.answer(opinion, status.HTTP_201_CREATED)

    @extend_schema(request=OpinionRecordInput, responses={201: OpinionSerializer})
    @action(detail=False, methods=["post"])
    def record(self, request):
        """Record what a resident said on your rounds, on their behalf (grid workers, community staff)."""
        data = self.input_of(OpinionRecordInput)
        photo = data.pop("photo", None)
        opinion = opinions.record_opinion(actor=request.user, photos=[photo] if photo else [], **data)
        return self.answer(opinion, status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=OpinionSerializer)
    @action(detail=True, methods=["post"])
    def support(self, request, pk=None):
        """Support the opinion (once per resident)."""
        return self.answer(opinions.support_opinion(user=request.user, opinion=self.get_object()))

    @extend_schema(request=OpinionGroupInput, responses=OpinionSerializer)
    @action(detail=True, methods=["post"])
    def group(self, request, pk=None):
        """Group the opinion into a matter of its community in collection (community staff)."""
        opinion = self.get_object()
        matter = selectors.get_matter_or_404(request.user, self.input_of(OpinionGroupInput)["matter"])
        opinions.group_opinions(actor=request.user, opinions=[opinion], matter=matter)
        return self.answer(opinion)


class MatterSerializer(serializers.ModelSerializer):
    area_name = serializers.CharField(source="area.name", read_only=True)
    state_label = serializers.CharField(read_only=True)
    result = serializers.SerializerMethodField()
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = Matter
        fields = [
            "id",
            "community",
            "area",
            "area_name",
            "title",
            "description",
            "category",
            "state",
            "state_label",
            "collection_ends_at",
            "step_since",
            "hearing",
            "vote",
            "result",
            "created_at",
            "url",
        ]
        read_only_fields = fields

    def get_result(self, matter) -> dict | None:
        vote = matter.vote
        return vote.result if vote is not None and vote.status == "closed" else None


class MatterInput(serializers.Serializer):
    area = ScopedPrimaryKeyRelatedField(
        queryset=Area.objects.filter(retired=False), permission="selfgov.manage"
    )
    title = serializers.CharField(max_length=200)
    category = serializers.ChoiceField(choices=Category.choices)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    collection_days = serializers.IntegerField(min_value=1, max_value=365, required=False, allow_null=True)
    submission = serializers.CharField(
        required=False, allow_blank=True, max_length=MAX_LENGTH, help_text=API_HELP
    )


class HearingGuestInput(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    role = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")


class HearingInput(serializers.Serializer):
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    place = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    description = serializers.CharField(required=False, allow_blank=True, default="")
    guests = HearingGuestInput(many=True, required=False, default=list)


class MatterDecisionInput(serializers.Serializer):
    electorate = serializers.ChoiceField(choices=MATTER_ELECTORATES, default=Electorate.RESIDENTS)
    area = serializers.PrimaryKeyRelatedField(
        queryset=Area.objects.filter(retired=False), required=False, allow_null=True
    )
    electors = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True), many=True, required=False, default=list
    )
    opens_at = serializers.DateTimeField()
    closes_at = serializers.DateTimeField()
    quorum_percent = serializers.IntegerField(min_value=0, max_value=100, default=50)
    majority = serializers.ChoiceField(choices=MATTER_MAJORITIES, default=Majority.SIMPLE)
    secret = serializers.BooleanField(default=True)


class CommentSerializer(serializers.ModelSerializer):
    author = serializers.CharField(source="author.display_name", read_only=True)

    class Meta:
        model = HearingComment
        fields = ["id", "author", "text", "created_at"]
        read_only_fields = ["id", "author", "created_at"]


class MatterViewSet(
    ExecutionActions, ScopedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet
):
    serializer_class = MatterSerializer
    queryset = Matter.objects.all()
    view_permission = "selfgov.view"
    services_decide = True
    http_method_names = ["get", "post", "head", "options"]

    def scope_queryset(self, queryset):
        queryset = selectors.visible_matters(self.request.user).select_related("area", "vote", "hearing")
        state = self.request.query_params.get("state")
        if state:
            queryset = queryset.filter(state=state)
        return queryset.order_by("-created_at", "-pk")

    def get_serializer_class(self):
        return self._execution_serializer() or {
            "create": MatterInput,
            "hearing": HearingInput,
            "decision": MatterDecisionInput,
            "comments": CommentSerializer,
        }.get(self.action, MatterSerializer)

    @extend_schema(request=MatterInput, responses={201: MatterSerializer})
    def create(self, request, *args, **kwargs):
        """Open a matter in its collection period (selfgov.manage on `area`)."""
        return self.answer(
            matters.create_matter(actor=request.user, **self.input_of(MatterInput)), status.HTTP_201_CREATED
        )

    @extend_schema(request=HearingInput, responses=MatterSerializer)
    @action(detail=True, methods=["post"])
    def hearing(self, request, pk=None):
        """Announce the public hearing (at least the community's notice days ahead), with its guests."""
        return self.answer(
            matters.schedule_hearing(
                actor=request.user, matter=self.get_object(), **self.input_of(HearingInput)
            )
        )

    @extend_schema(request=MatterDecisionInput, responses=MatterSerializer)
    @action(detail=True, methods=["post"])
    def decision(self, request, pk=None):
        """Call the decision vote once the hearing was held; the matter moves to the decision step."""
        return self.answer(
            matters.call_vote(
                actor=request.user, matter=self.get_object(), **self.input_of(MatterDecisionInput)
            )
        )

    @extend_schema(methods=["GET"], responses=CommentSerializer(many=True))
    @extend_schema(methods=["POST"], request=CommentSerializer, responses={201: CommentSerializer})
    @action(detail=True, methods=["get", "post"])
    def comments(self, request, pk=None):
        """The online comments of the hearing; POST: comment during the hearing period."""
        matter = self.get_object()
        if request.method == "POST":
            text = self.input_of(CommentSerializer)["text"]
            comment = matters.comment_on_hearing(user=request.user, matter=matter, text=text)
            return Response(CommentSerializer(comment).data, status=status.HTTP_201_CREATED)
        return Response(CommentSerializer(matter.hearing_comments.select_related("author"), many=True).data)


class GuestSerializer(serializers.ModelSerializer):
    class Meta:
        model = Guest
        fields = ["name", "role"]


class HearingSerializer(serializers.ModelSerializer):
    matter = serializers.IntegerField(source="matter.pk", read_only=True)
    guests = GuestSerializer(many=True, read_only=True)
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = Gathering
        fields = [
            "id",
            "matter",
            "title",
            "starts_at",
            "ends_at",
            "place",
            "status",
            "minutes",
            "guests",
            "url",
        ]
        read_only_fields = fields


class HearingViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """The hearings of the matters one sees (gatherings of the hearing kind), with their guests."""

    serializer_class = HearingSerializer
    queryset = Gathering.objects.all()
    view_permission = "selfgov.view"

    def scope_queryset(self, queryset):
        visible = selectors.visible_matters(self.request.user).values("pk")
        return (
            Gathering.objects.filter(kind="hearing", matter__in=visible)
            .select_related("matter")
            .prefetch_related(Prefetch("guests", queryset=Guest.objects.order_by("pk")))
            .order_by("-starts_at", "-pk")
        )


def register(router) -> None:
    router.register("opinions", OpinionViewSet, basename="opinion")
    router.register("matters", MatterViewSet, basename="matter")
    router.register("hearings", HearingViewSet, basename="hearing")
    router.register("rulebooks", RulebookViewSet, basename="rulebook")
    router.register("conventions", ConventionViewSet, basename="convention")
    api_execution.register(router)
    router.register("negotiations", NegotiationViewSet, basename="negotiation")
