"""The API of the two-way service items, each page step also here (docs/cogov.md):

- `/api/service-items/` — the items the caller sees (`?year=`, `?kind=need|resource`, `?open=1`: needs with
  shares left); POST lists a need (`services_items.save_need`), PATCH changes one; `POST …/{id}/publish/`;
  `POST …/{id}/claim/` `{partner, shares, planned_on, note?}` (a representative's claim, 201 with the claim);
  `POST /api/service-items/commit/` `{partner, community, year, title?, category?, shares, unit?,
  planned_on, resource?}` (a representative's commitment of a resource, 201 with the claim).
- `/api/claims/` — claims and commitments the caller sees; the steps at `…/{id}/transitions/{name}/`:
  accept, decline (`comment` = the reason), withdraw, deliver (multipart: `delivered_on`, `beneficiaries`,
  `note?`, `evidence`), confirm; `POST …/{id}/rate/` `{score, verdict, comment?}`; `GET …/{id}/evidence/`
  the file."""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from grassroots.api.fields import ScopedPrimaryKeyRelatedField
from grassroots.api.filters import YEAR_MAX, YEAR_MIN, int_param
from grassroots.api.scoping import ScopedViewSetMixin
from grassroots.api.transitions import AvailableTransitionsField, StepForm
from grassroots.areas.models import Area, Level
from grassroots.cogov import selectors_items, services_items
from grassroots.cogov.forms_items import represented
from grassroots.cogov.models import Partner, Resource, ResourceKind
from grassroots.cogov.models_items import Claim, ItemKind, Rating, ServiceItem, Verdict
from grassroots.cogov.selectors import MANAGE, VIEW
from grassroots.files.serve import serve_file
from grassroots.portal.submissions import API_HELP, MAX_LENGTH


def _communities(user):
    from grassroots.access.scoping import scoped

    return scoped(Area.objects.filter(level=Level.COMMUNITY, retired=False), user, MANAGE, "path")


def _open_communities(user):
    ids = set()
    for partner in represented(user).select_related("area"):
        ids |= set(services_items.open_communities(partner).values_list("pk", flat=True))
    return Area.objects.filter(pk__in=ids)


def _own_resources(user):
    return Resource.objects.filter(partner__in=represented(user))


class ServiceItemSerializer(serializers.ModelSerializer):
    community_name = serializers.CharField(source="community.name", read_only=True)
    partner_name = serializers.CharField(source="partner.name", read_only=True, default=None)
    open_shares = serializers.IntegerField(read_only=True)

    class Meta:
        model = ServiceItem
        fields = [
            "id",
            "community",
            "community_name",
            "year",
            "kind",
            "title",
            "category",
            "description",
            "shares",
            "unit",
            "taken",
            "open_shares",
            "starts_on",
            "ends_on",
            "partner",
            "partner_name",
            "published",
            "published_at",
        ]


class NeedInput(serializers.Serializer):
    community = ScopedPrimaryKeyRelatedField(queryset=Area.objects.all(), scope=_communities, required=False)
    year = serializers.IntegerField(required=False)
    title = serializers.CharField(max_length=100)
    category = serializers.ChoiceField(choices=ResourceKind.choices)
    description = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")
    shares = serializers.IntegerField(min_value=1, max_value=100, default=1)
    unit = serializers.CharField(max_length=10, required=False, allow_blank=True, default="")
    starts_on = serializers.DateField(required=False, allow_null=True, default=None)
    ends_on = serializers.DateField(required=False, allow_null=True, default=None)
    submission = serializers.CharField(
        required=False, allow_blank=True, max_length=MAX_LENGTH, help_text=API_HELP
    )


class ClaimInput(serializers.Serializer):
    partner = ScopedPrimaryKeyRelatedField(queryset=Partner.objects.all(), scope=represented)
    shares = serializers.IntegerField(min_value=1, max_value=100, default=1)
    planned_on = serializers.DateField()
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class CommitInput(serializers.Serializer):
    partner = ScopedPrimaryKeyRelatedField(queryset=Partner.objects.all(), scope=represented)
    community = ScopedPrimaryKeyRelatedField(queryset=Area.objects.all(), scope=_open_communities)
    year = serializers.IntegerField()
    resource = ScopedPrimaryKeyRelatedField(
        queryset=Resource.objects.all(), scope=_own_resources, required=False, allow_null=True, default=None
    )
    title = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    category = serializers.ChoiceField(choices=ResourceKind.choices, required=False, default="")
    description = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")
    shares = serializers.IntegerField(min_value=1, max_value=100, default=1)
    unit = serializers.CharField(max_length=10, required=False, allow_blank=True, default="")
    planned_on = serializers.DateField()


class ServiceRatingSerializer(serializers.ModelSerializer):
    class Meta:
        model = Rating
        fields = ["id", "rater_kind", "score", "verdict", "comment", "rated_at"]


class ClaimSerializer(serializers.ModelSerializer):
    item_title = serializers.CharField(source="item.title", read_only=True)
    kind = serializers.CharField(source="item.kind", read_only=True)
    community = serializers.IntegerField(source="item.community_id", read_only=True)
    partner_name = serializers.CharField(source="partner.name", read_only=True)
    on_time = serializers.BooleanField(read_only=True, allow_null=True)
    evidence = serializers.SerializerMethodField()
    ratings = ServiceRatingSerializer(many=True, read_only=True)
    actions = AvailableTransitionsField()

    class Meta:
        model = Claim
        fields = [
            "id",
            "item",
            "item_title",
            "kind",
            "community",
            "partner",
            "partner_name",
            "shares",
            "planned_on",
            "note",
            "state",
            "decline_reason",
            "delivered_on",
            "beneficiaries",
            "delivery_note",
            "evidence",
            "on_time",
            "confirmed_at",
            "claimed_at",
            "ratings",
            "actions",
        ]

    def get_evidence(self, claim) -> str | None:
        return reverse("claim-evidence", args=[claim.pk]) if claim.evidence else None


class RateInput(serializers.Serializer):
    score = serializers.IntegerField(min_value=1, max_value=5)
    verdict = serializers.ChoiceField(choices=Verdict.choices)
    comment = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class DeliverInput(serializers.Serializer):
    delivered_on = serializers.DateField()
    beneficiaries = serializers.IntegerField(min_value=0)
    note = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")
    evidence = serializers.FileField()


def _deliver(view, record, *, actor, comment, attachments, **fields):
    services_items.deliver(actor=actor, claim=record, comment=comment, attachments=attachments, **fields)


YEAR = OpenApiParameter("year", OpenApiTypes.INT, description="年度")
KIND = OpenApiParameter("kind", OpenApiTypes.STR, enum=ItemKind.values, description="need 或 resource")
OPEN = OpenApiParameter("open", OpenApiTypes.BOOL, description="只列尚有份数可认领的已发布需求")


@extend_schema(parameters=[YEAR, KIND, OPEN])
class ServiceItemViewSet(
    ScopedViewSetMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet
):
    view_permission = VIEW
    services_decide = True
    serializer_class = ServiceItemSerializer
    queryset = ServiceItem.objects.all()
    http_method_names = ["get", "post", "patch", "head", "options"]

    def scope_queryset(self, queryset):
        if self.action != "list":  # the list's filters never hide the record an action reads back
            return selectors_items.item_list(self.request.user)
        params = self.request.query_params
        return selectors_items.item_list(
            self.request.user,
            year=int_param(self.request, "year", min_value=YEAR_MIN, max_value=YEAR_MAX),
            kind=params.get("kind", "") if params.get("kind") in ItemKind.values else "",
            open_only=params.get("open") in ("1", "true"),
        )

    def get_serializer_class(self):
        return {
            "create": NeedInput,
            "partial_update": NeedInput,
            "claim": ClaimInput,
            "commit": CommitInput,
        }.get(self.action, ServiceItemSerializer)

    @extend_schema(request=NeedInput, responses={201: ServiceItemSerializer}, parameters=[])
    def create(self, request, *args, **kwargs):
        item = services_items.save_need(actor=request.user, **self.input_of(NeedInput))
        return self.answer(item, status.HTTP_201_CREATED)

    @extend_schema(request=NeedInput, responses={200: ServiceItemSerializer}, parameters=[])
    def partial_update(self, request, *args, **kwargs):
        item = self.get_object()
        data = self.input_of(NeedInput, partial=True)
        data.pop("community", None), data.pop("year", None)
        current = {f: getattr(item, f) for f in ("title", "category", "description", "shares", "unit")}
        current |= {"starts_on": item.starts_on, "ends_on": item.ends_on}
        item = services_items.save_need(actor=request.user, item=item, **(current | data))
        return self.answer(item)

    @extend_schema(request=None, responses={200: ServiceItemSerializer}, parameters=[])
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        item = services_items.publish_item(actor=request.user, item=self.get_object())
        return self.answer(item)

    @extend_schema(request=ClaimInput, responses={201: ClaimSerializer}, parameters=[])
    @action(detail=True, methods=["post"])
    def claim(self, request, pk=None):
        claim = services_items.claim_need(
            actor=request.user, item=self.get_object(), **self.input_of(ClaimInput)
        )
        return _claim_answer(request, claim)

    @extend_schema(request=CommitInput, responses={201: ClaimSerializer}, parameters=[])
    @action(detail=False, methods=["post"])
    def commit(self, request):
        claim = services_items.commit_resource(actor=request.user, **self.input_of(CommitInput))
        return _claim_answer(request, claim)


def _claim_answer(request, claim) -> Response:
    fresh = selectors_items.visible_claims(request.user).prefetch_related("ratings").get(pk=claim.pk)
    return Response(ClaimSerializer(fresh, context={"request": request}).data, status=status.HTTP_201_CREATED)


class ClaimViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    view_permission = VIEW
    services_decide = True
    serializer_class = ClaimSerializer
    queryset = Claim.objects.all()
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    transition_forms = {"deliver": StepForm(DeliverInput, _deliver)}

    def scope_queryset(self, queryset):
        return (
            selectors_items.visible_claims(self.request.user)
            .prefetch_related("ratings")
            .order_by("-claimed_at", "-pk")
        )

    def get_serializer_class(self):
        return RateInput if self.action == "rate" else ClaimSerializer

    @extend_schema(request=RateInput, responses={201: ClaimSerializer})
    @action(detail=True, methods=["post"])
    def rate(self, request, pk=None):
        claim = self.get_object()
        services_items.rate(actor=request.user, claim=claim, **self.input_of(RateInput))
        return self.answer(claim, status.HTTP_201_CREATED)

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def evidence(self, request, pk=None):
        claim = self.get_object()
        return serve_file(claim.evidence, filename=claim.evidence_name or "evidence")


def register(router) -> None:
    router.register("service-items", ServiceItemViewSet, basename="service-item")
    router.register("claims", ClaimViewSet, basename="claim")
