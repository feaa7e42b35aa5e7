"""`/api/admitted-affairs/` (the catalog a user reads; catalog keepers add affairs and end them) and
`/api/admission-requests/` (departments' requests; the steps review, refuse_at_street, approve, refuse at
`…/{id}/transitions/{name}/`, through the workflow service). Scoped like the pages: a row outside the
caller's view answers 404."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response

from grassroots.access.scoping import scoped
from grassroots.api.fields import ScopedPrimaryKeyRelatedField
from grassroots.api.idempotency import submission_input
from grassroots.api.scoping import ScopedViewSetMixin
from grassroots.api.transitions import AvailableTransitionsField, StepForm
from grassroots.areas.models import Area, Level
from grassroots.core.admission import selectors, services
from grassroots.core.admission.filters import AffairFilter, FundsFilter, RequestFilter
from grassroots.core.admission.models import AdmissionRequest, AdmittedAffair, FundsTransfer, RequestState

# --- the catalog --------------------------------------------------------------------------------------------


class AffairSerializer(serializers.ModelSerializer):
    submission = submission_input()  # the token; a repeat gives the first record (api/idempotency.py)
    area = ScopedPrimaryKeyRelatedField(queryset=Area.objects.all(), permission="admission.manage")
    area_name = serializers.CharField(source="area.name", read_only=True)
    request = serializers.PrimaryKeyRelatedField(read_only=True)
    complies = serializers.BooleanField(
        read_only=True, help_text=gettext_lazy("权随责走、费随事转：权力和经费齐备，或免除理由已经县级审批")
    )

    class Meta:
        model = AdmittedAffair
        fields = [
            "id",
            "area",
            "area_name",
            "name",
            "legal_basis",
            "department",
            "powers",
            "funds_per_community",
            "exemption_reason",
            "exemption_approved_by",
            "exemption_approved_at",
            "complies",
            "valid_from",
            "valid_to",
            "request",
            "created_at",
            "submission",
        ]
        read_only_fields = ["request", "created_at", "exemption_approved_by", "exemption_approved_at"]


class AffairEndInput(serializers.Serializer):
    valid_to = serializers.DateField()


class AdmittedAffairViewSet(ScopedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """The catalog: affairs of the areas at and above the caller's scope, and inside it. Catalog keepers
    ("admission.manage": county and city officials) add affairs with POST and end them at `…/{id}/end/`."""

    queryset = AdmittedAffair.objects.select_related("area").order_by("area__path", "name")
    serializer_class = AffairSerializer
    filterset_class = AffairFilter
    view_permission = "admission.view"
    change_permission = "admission.manage"

    def scope_queryset(self, queryset):
        return queryset.filter(pk__in=AdmittedAffair.visible_to(self.request.user).values("pk"))

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        try:
            serializer.instance = services.add_affair(actor=self.request.user, **data)
        except DjangoPermissionDenied as exc:
            raise PermissionDenied(str(exc)) from exc

    def get_serializer_class(self):
        return AffairEndInput if self.action == "end" else AffairSerializer

    @extend_schema(request=AffairEndInput, responses=AffairSerializer)
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        """End the affair's validity on `valid_to` (the affair page's 调整有效期, `services.end_affair`;
        `admission.manage` on its area, else 403)."""
        affair = self.get_object()
        services.end_affair(actor=request.user, affair=affair, **self.input_of(AffairEndInput))
        return self.answer(affair)


# --- requests -----------------------------------------------------------------------------------------------


class RequestSerializer(serializers.ModelSerializer):
    submission = submission_input()  # the token; a repeat gives the first record (api/idempotency.py)
    area = ScopedPrimaryKeyRelatedField(queryset=Area.objects.all(), permission="admission.request")
    area_name = serializers.CharField(source="area.name", read_only=True)
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    filed_by_name = serializers.CharField(source="filed_by.display_name", read_only=True)
    affair = serializers.SerializerMethodField()
    actions = AvailableTransitionsField()

    class Meta:
        model = AdmissionRequest
        fields = [
            "id",
            "area",
            "area_name",
            "department",
            "filed_by",
            "filed_by_name",
            "name",
            "legal_basis",
            "justification",
            "powers",
            "funds_per_community",
            "exemption_reason",
            "valid_from",
            "valid_to",
            "state",
            "state_label",
            "submitted_at",
            "submission",
            "reviewed_at",
            "decided_at",
            "refusal_reason",
            "affair",
            "actions",
        ]
        read_only_fields = [
            "filed_by",
            "state",
            "submitted_at",
            "reviewed_at",
            "decided_at",
            "refusal_reason",
        ]

    def get_affair(self, obj) -> int | None:
        affair = getattr(obj, "affair", None) if obj.state == RequestState.APPROVED else None
        return affair.pk if affair is not None else None


class AdmissionRequestViewSet(ScopedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Requests of departments to hand an affair to a street's communities. POST files one (county and city
    officials, "admission.request", on behalf of `department`); the steps are actions."""

    queryset = AdmissionRequest.objects.select_related("area", "filed_by", "affair").order_by(
        "-submitted_at", "-pk"
    )
    serializer_class = RequestSerializer
    filterset_class = RequestFilter
    view_permission = "admission.view"
    change_permission = "admission.request"

    def perform_create(self, serializer):
        try:
            serializer.instance = services.file_request(actor=self.request.user, **serializer.validated_data)
        except DjangoPermissionDenied as exc:
            raise PermissionDenied(str(exc)) from exc


# --- the funds ledger (费随事转) -------------------------------------------------------------------------


class FundsSerializer(serializers.ModelSerializer):
    affair = serializers.PrimaryKeyRelatedField(queryset=AdmittedAffair.objects.all())
    affair_name = serializers.CharField(source="affair.name", read_only=True)
    community = ScopedPrimaryKeyRelatedField(
        source="area", queryset=Area.objects.all(), permission="admission.manage"
    )
    community_name = serializers.CharField(source="area.name", read_only=True)
    amount = serializers.DecimalField(
        max_digits=12,
        decimal_places=2,
        required=False,
        allow_null=True,
        help_text=gettext_lazy("留空则按事项的工作经费标准"),
    )
    department = serializers.CharField(required=False, allow_blank=True, max_length=100)
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    actions = AvailableTransitionsField()

    class Meta:
        model = FundsTransfer
        fields = [
            "id",
            "affair",
            "affair_name",
            "community",
            "community_name",
            "year",
            "amount",
            "department",
            "state",
            "state_label",
            "allotted_by",
            "allotted_at",
            "allotted_on",
            "allot_document",
            "transferred_by",
            "transferred_at",
            "transferred_on",
            "transfer_document",
            "received_by",
            "received_at",
            "received_on",
            "source",
            "actions",
        ]
        read_only_fields = [
            "source",
            "state",
            "allotted_by",
            "allotted_at",
            "transferred_by",
            "transferred_at",
            "transferred_on",
            "transfer_document",
            "received_by",
            "received_at",
            "received_on",
        ]

    def validate_affair(self, affair):
        if not AdmittedAffair.visible_to(self.context["request"].user).filter(pk=affair.pk).exists():
            raise serializers.ValidationError(gettext_lazy("没有这个准入事项。"))
        return affair


class TransferInput(serializers.Serializer):
    transferred_on = serializers.DateField()
    transfer_document = serializers.CharField(max_length=100)


class ReceiveInput(serializers.Serializer):
    received_on = serializers.DateField()


def _step(service):
    """A ledger step's `take` for `StepForm`: the service the step's page calls, with the step's fields."""

    def take(view, entry, *, actor, comment, attachments, **fields):
        service(entry, actor=actor, comment=comment, attachments=attachments, **fields)

    return take


def _communities(user):
    return scoped(Area.objects.filter(level=Level.COMMUNITY), user, "areas.view")


def _streets(user):
    return selectors.allot_streets(user)


class BulkAllotInput(serializers.Serializer):
    """批量下达: the terms once, the communities as a list of ids (a community the caller cannot see is 400
    like a missing one; one they see but may not allot to is named in the service's answer)."""

    affair = serializers.PrimaryKeyRelatedField(queryset=AdmittedAffair.objects.all())
    communities = ScopedPrimaryKeyRelatedField(
        many=True, queryset=Area.objects.all(), scope=_communities, required=False
    )
    streets = ScopedPrimaryKeyRelatedField(
        many=True,
        queryset=Area.objects.all(),
        scope=_streets,
        required=False,
        help_text=gettext_lazy("整个街道：该街道中您可下达的全部社区（与 communities 合并）"),
    )
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    amount = serializers.DecimalField(
        max_digits=12,
        decimal_places=2,
        required=False,
        allow_null=True,
        help_text=gettext_lazy("留空则按事项的工作经费标准"),
    )
    department = serializers.CharField(required=False, allow_blank=True, max_length=100)
    allotted_on = serializers.DateField()
    allot_document = serializers.CharField(max_length=100)

    validate_affair = FundsSerializer.validate_affair


def _street_communities(user):
    return scoped(Area.objects.filter(level=Level.COMMUNITY), user, "admission.view")


class StreetAllotInput(serializers.Serializer):
    """街道下达: communities of the street (ids; one the caller cannot see is 400 like a missing one, one of
    another street is named in the service's answer), the amount per community, the street's document."""

    communities = ScopedPrimaryKeyRelatedField(
        many=True, queryset=Area.objects.all(), scope=_street_communities, allow_empty=False
    )
    amount = serializers.DecimalField(
        max_digits=12,
        decimal_places=2,
        required=False,
        allow_null=True,
        help_text=gettext_lazy("留空则按事项的工作经费标准"),
    )
    allotted_on = serializers.DateField()
    allot_document = serializers.CharField(max_length=100)


class FundsTransferViewSet(ScopedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """The funds ledger: per affair, community and year, allotted → transferred → received. POST allots
    (county and city officials, "admission.manage" on the community: `services.allot_funds`); the steps
    `…/{id}/transitions/transfer/ {transferred_on, transfer_document}` (county) and `…/receive/
    {received_on}` (the community's staff)."""

    queryset = FundsTransfer.objects.select_related("area", "affair").order_by(
        "-year", "area__path", "affair__name", "pk"
    )
    serializer_class = FundsSerializer
    filterset_class = FundsFilter
    view_permission = "admission.view"
    change_permission = "admission.manage"
    transition_forms = {
        "transfer": StepForm(TransferInput, _step(services.transfer_funds)),
        "receive": StepForm(ReceiveInput, _step(services.confirm_funds_received)),
    }

    def get_serializer_class(self):
        return {"bulk": BulkAllotInput, "allot": StreetAllotInput}.get(self.action, FundsSerializer)

    @extend_schema(request=StreetAllotInput, responses={201: FundsSerializer(many=True)})
    @action(detail=True, methods=["post"])
    def allot(self, request, pk=None):
        """街道下达: the street's officials allot the funds their street received (this row, allotted to the
        street) on to communities of the street (`services.allot_from_street`), all or nothing: 201 with
        the communities' new records; 400 with nothing written (funds not received, more than is left, a
        community of another street named in `errors.communities`); 403 for anyone but an official of that
        street; 404 outside the caller's scope."""
        source = get_object_or_404(self.get_queryset(), pk=pk)
        data = self.input_of(StreetAllotInput)
        try:
            entries = services.allot_from_street(actor=request.user, source=source, **data)
        except DjangoPermissionDenied as exc:
            raise PermissionDenied(str(exc)) from exc
        fresh = self.get_queryset().filter(pk__in=[e.pk for e in entries])
        return Response(
            FundsSerializer(fresh, many=True, context=self.get_serializer_context()).data, status=201
        )

    @extend_schema(request=BulkAllotInput, responses={201: FundsSerializer(many=True)})
    @action(detail=False, methods=["post"])
    def bulk(self, request):
        """批量下达: one affair's funds of a year to many communities by one document
        (`services.allot_funds_to_many`), all or nothing: 201 with the new records, or 400 with nothing
        written, a refused community named in `errors.communities` ("桥楼社区：…")."""
        data = self.input_of(BulkAllotInput)
        communities = list(data.get("communities") or [])
        streets = selectors.street_allot_communities(request.user, data.pop("streets", None) or [])
        data["communities"] = communities + [c for c in streets if c not in communities]
        if data.get("department") is None:
            data.pop("department", None)
        entries = services.allot_funds_to_many(actor=request.user, **data)
        fresh = self.get_queryset().filter(pk__in=[e.pk for e in entries])
        return Response(
            FundsSerializer(fresh, many=True, context=self.get_serializer_context()).data, status=201
        )

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        data["community"] = data.pop("area")
        if data.get("department") is None:
            data.pop("department", None)
        try:
            serializer.instance = services.allot_funds(actor=self.request.user, **data)
        except DjangoPermissionDenied as exc:
            raise PermissionDenied(str(exc)) from exc


def register(router) -> None:
    router.register("admitted-affairs", AdmittedAffairViewSet, basename="admitted-affair")
    router.register("admission-requests", AdmissionRequestViewSet, basename="admission-request")
    router.register("funds-transfers", FundsTransferViewSet, basename="funds-transfer")
