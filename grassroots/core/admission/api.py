"""`/api/admitted-affairs/` (the catalog a user reads; catalog keepers add affairs and end them) and
`/api/admission-requests/` (departments' requests; the steps review, refuse_at_street, approve, refuse at
`…/{id}/transitions/{name}/`, through the workflow service). Scoped like the pages: a row outside the
caller's view answers 404."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied

from grassroots.api.fields import ScopedPrimaryKeyRelatedField
from grassroots.api.scoping import ScopedViewSetMixin
from grassroots.api.transitions import AvailableTransitionsField
from grassroots.areas.models import Area
from grassroots.core.admission import services
from grassroots.core.admission.filters import AffairFilter, RequestFilter
from grassroots.core.admission.models import AdmissionRequest, AdmittedAffair, RequestState

# --- the catalog --------------------------------------------------------------------------------------------


class AffairSerializer(serializers.ModelSerializer):
    area = ScopedPrimaryKeyRelatedField(queryset=Area.objects.all(), permission="admission.manage")
    area_name = serializers.CharField(source="area.name", read_only=True)
    request = serializers.PrimaryKeyRelatedField(read_only=True)

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
            "valid_from",
            "valid_to",
            "request",
            "created_at",
        ]
        read_only_fields = ["request", "created_at"]


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
            "valid_from",
            "valid_to",
            "state",
            "state_label",
            "submitted_at",
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


def register(router) -> None:
    router.register("admitted-affairs", AdmittedAffairViewSet, basename="admitted-affair")
    router.register("admission-requests", AdmissionRequestViewSet, basename="admission-request")
