"""`/api/admitted-affairs/` (the catalog a user reads; catalog keepers add affairs) and
`/api/admission-requests/` (departments' requests; steps review, refuse-at-street, approve, refuse through
the workflow service). Scoped like the pages: a row outside the caller's view answers 404."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from grassroots.api.fields import ScopedPrimaryKeyRelatedField
from grassroots.api.filters import SubtreeFilter
from grassroots.api.scoping import ScopedViewSetMixin
from grassroots.areas.models import Area
from grassroots.core.admission import services
from grassroots.core.admission.models import AdmissionRequest, AdmittedAffair, RequestState
from grassroots.workflow.selectors import available_transitions
from grassroots.workflow.services import TransitionRefused, transition

# --- shared by the workflow actions of this app and of duties ---------------------------------------------


class StepSerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, default="")
    attachments = serializers.ListField(child=serializers.FileField(), required=False, default=list)


def run_transition(viewset, record, name: str, *, comment: str = "", attachments=()):
    """Take a workflow step for the API: 403 when the caller may not, 409 when someone else was faster, 400
    (on the field when it is the comment or a file) for the rest; else the record as its serializer shows
    it."""
    try:
        transition(record, name, actor=viewset.request.user, comment=comment, attachments=attachments)
    except TransitionRefused as refused:
        if refused.code == "permission":
            raise PermissionDenied(refused.message) from refused
        if refused.code == "comment_required":
            return Response({"comment": [refused.message]}, status=status.HTTP_400_BAD_REQUEST)
        if refused.code == "attachment":
            return Response({"attachments": [refused.message]}, status=status.HTTP_400_BAD_REQUEST)
        code = status.HTTP_409_CONFLICT if refused.code == "concurrent" else status.HTTP_400_BAD_REQUEST
        return Response({"detail": refused.message, "code": refused.code}, status=code)
    fresh = viewset.get_queryset().get(pk=record.pk)
    return Response(viewset.get_serializer(fresh).data)


def step_action(name: str, url_path: str | None = None, doc: str = "", attr: str | None = None):
    """A detail POST action taking workflow step `name` with an optional `comment` and `attachments` (files,
    multipart). The viewset's `step_name(record, name)` may map it to another step (duties: "submit" →
    "resubmit" after a return)."""
    attribute = attr or name

    def act(self, request, pk=None):
        record = self.get_object()
        data = StepSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        files = request.FILES.getlist("attachments")
        comment = data.validated_data["comment"]
        return run_transition(self, record, self.step_name(record, name), comment=comment, attachments=files)

    act.__name__ = attribute
    act.__doc__ = doc
    path = url_path or name.replace("_", "-")
    return extend_schema(request=StepSerializer, description=doc)(
        action(detail=True, methods=["post"], url_path=path, url_name=path)(act)
    )


class TransitionNamesField(serializers.SerializerMethodField):
    """The steps the caller may take on the row now (no query: the row's areas are joined)."""

    def __init__(self, **kwargs):
        super().__init__(method_name="get_actions", **kwargs)


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


class AffairFilter(filters.FilterSet):
    valid_on = filters.DateFilter(method="filter_valid_on", label="valid on this date")
    q = filters.CharFilter(method="filter_q")
    area = SubtreeFilter(path_field="area__path")

    class Meta:
        model = AdmittedAffair
        fields = ["department"]

    def filter_valid_on(self, queryset, name, value):
        return queryset.valid_on(value)

    def filter_q(self, queryset, name, value):
        return queryset.filter(name__icontains=value)


class AdmittedAffairViewSet(ScopedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """The catalog: affairs of the areas at and above the caller's scope, and inside it. Catalog keepers
    ("admission.manage": county and city officials) add affairs with POST."""

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


# --- requests -----------------------------------------------------------------------------------------------


class RequestSerializer(serializers.ModelSerializer):
    area = ScopedPrimaryKeyRelatedField(queryset=Area.objects.all(), permission="admission.request")
    area_name = serializers.CharField(source="area.name", read_only=True)
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    filed_by_name = serializers.CharField(source="filed_by.display_name", read_only=True)
    affair = serializers.SerializerMethodField()
    actions = TransitionNamesField()

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

    def get_actions(self, obj) -> list[str]:
        request = self.context.get("request")
        return [t.name for t in available_transitions(obj, request.user)] if request else []


class RequestFilter(filters.FilterSet):
    area = SubtreeFilter(path_field="area__path")

    class Meta:
        model = AdmissionRequest
        fields = ["state", "department"]


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

    def check_object_permissions(self, request, obj):
        # Steps are decided by the workflow (roles on the request's street or county), not by a permission.
        super(ScopedViewSetMixin, self).check_object_permissions(request, obj)

    def perform_create(self, serializer):
        try:
            serializer.instance = services.file_request(actor=self.request.user, **serializer.validated_data)
        except DjangoPermissionDenied as exc:
            raise PermissionDenied(str(exc)) from exc

    def step_name(self, record, name: str) -> str:
        return name

    review = step_action("review", doc="街道审核通过，报县级审批（街道干部）。")
    refuse_at_street = step_action("refuse_at_street", doc="街道审核不同意（须填写理由 comment）。")
    approve = step_action("approve", doc="县级批准，纳入准入目录（县（区）干部，非申请经办人）。")
    refuse = step_action("refuse", doc="县级不予准入（须填写理由 comment）。")


def register(router) -> None:
    router.register("admitted-affairs", AdmittedAffairViewSet, basename="admitted-affair")
    router.register("admission-requests", AdmissionRequestViewSet, basename="admission-request")
