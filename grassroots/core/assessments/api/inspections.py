"""`/api/inspections/` and `/api/findings/`: inspections (工作督察) and their findings as rectification items;
POST records either through the inspection services the pages call; the findings' steps at
`…/{id}/transitions/{name}/`."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets

from grassroots.accounts.models import User
from grassroots.api.fields import ScopedPrimaryKeyRelatedField
from grassroots.api.idempotency import submission_input
from grassroots.api.scoping import ScopedViewSetMixin
from grassroots.areas.models import Area, PartyOrg
from grassroots.core.assessments.api._common import VIEW
from grassroots.core.assessments.filters import FindingFilter, InspectionFilter
from grassroots.core.assessments.models import Finding, Inspection
from grassroots.core.assessments.selectors import inspections as inspection_selectors
from grassroots.core.assessments.services import inspections as inspection_services
from grassroots.documents.models import Item
from grassroots.documents.selectors import citable_items


class InspectionSerializer(serializers.ModelSerializer):
    area_name = serializers.CharField(source="area.name", read_only=True)
    by_area_name = serializers.CharField(source="by_area.name", read_only=True)
    led_by_name = serializers.CharField(source="led_by.display_name", read_only=True)
    finding_count = serializers.IntegerField(read_only=True)
    open_count = serializers.IntegerField(read_only=True)
    overdue_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Inspection
        fields = [
            "id",
            "title",
            "area",
            "area_name",
            "party_org",
            "by_area",
            "by_area_name",
            "inspected_on",
            "inspectors",
            "led_by",
            "led_by_name",
            "summary",
            "finding_count",
            "open_count",
            "overdue_count",
        ]
        read_only_fields = fields


class InspectionInput(serializers.Serializer):
    submission = submission_input()  # the token; a repeat gives the first record (api/idempotency.py)
    area = ScopedPrimaryKeyRelatedField(queryset=Area.objects.all(), permission=VIEW)
    title = serializers.CharField(max_length=200)
    inspected_on = serializers.DateField()
    party_org = ScopedPrimaryKeyRelatedField(
        queryset=PartyOrg.objects.select_related("area"), permission="party_orgs.view", required=False
    )
    inspectors = serializers.CharField(required=False, allow_blank=True, default="")
    summary = serializers.CharField(required=False, allow_blank=True, default="")


class InspectionViewSet(ScopedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Inspections (工作督察) with the count of their findings, open ones and overdue ones. POST records one
    (the areas above the inspected one, `services.inspections.create_inspection`)."""

    view_permission = VIEW
    queryset = Inspection.objects.all()
    serializer_class = InspectionSerializer
    filterset_class = InspectionFilter

    def scope_queryset(self, queryset):
        return inspection_selectors.inspections_for(self.request.user)

    def get_serializer_class(self):
        return InspectionInput if self.action == "create" else InspectionSerializer

    @extend_schema(request=InspectionInput, responses={201: InspectionSerializer})
    def create(self, request, *args, **kwargs):
        inspection = inspection_services.create_inspection(
            actor=request.user, **self.input_of(InspectionInput)
        )
        return self.answer(inspection, status.HTTP_201_CREATED)


class FindingSerializer(serializers.ModelSerializer):
    area_name = serializers.CharField(source="area.name", read_only=True)
    owner_name = serializers.CharField(source="owner.display_name", read_only=True)
    inspection_title = serializers.CharField(source="inspection.title", read_only=True)
    state_label = serializers.CharField(read_only=True)
    overdue = serializers.BooleanField(read_only=True)
    standard_item_label = serializers.CharField(source="standard_item.label", read_only=True, default=None)

    class Meta:
        model = Finding
        fields = [
            "id",
            "inspection",
            "inspection_title",
            "area",
            "area_name",
            "description",
            "requirement",
            "standard_item",
            "standard_item_label",
            "owner",
            "owner_name",
            "deadline",
            "state",
            "state_label",
            "overdue",
            "rectification",
            "rectified_at",
            "verified_at",
            "sent_back_count",
        ]
        read_only_fields = fields


class FindingInput(serializers.Serializer):
    inspection = ScopedPrimaryKeyRelatedField(
        queryset=Inspection.objects.select_related("area", "party_org"),
        scope=lambda user: inspection_selectors.visible_inspections(user),
    )
    description = serializers.CharField()
    requirement = serializers.CharField(required=False, allow_blank=True, default="")
    owner = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.all(), help_text=_("整改责任人（该区域的工作人员或被督察党组织的书记）")
    )
    deadline = serializers.DateField()
    area = ScopedPrimaryKeyRelatedField(queryset=Area.objects.all(), permission=VIEW, required=False)
    standard_item = ScopedPrimaryKeyRelatedField(
        queryset=Item.objects.all(),
        scope=citable_items,
        required=False,
        allow_null=True,
        help_text=_("对照的标准条目（/api/document-items/ 的 id，须适用于问题所在区域）"),
    )


class FindingViewSet(ScopedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Findings (督察问题) as rectification items: rectifying → rectified → verified (or sent back), at
    `…/{id}/transitions/{name}/` (report_rectified by the owner with `comment` and `attachments`)."""

    view_permission = VIEW
    queryset = Finding.objects.select_related(
        "area", "owner", "inspection", "standard_item__section__version__document"
    ).order_by("deadline", "pk")
    serializer_class = FindingSerializer
    filterset_class = FindingFilter

    def scope_queryset(self, queryset):
        return queryset & Finding.visible_to(self.request.user)

    def get_serializer_class(self):
        return FindingInput if self.action == "create" else FindingSerializer

    @extend_schema(request=FindingInput, responses={201: FindingSerializer})
    def create(self, request, *args, **kwargs):
        """Record a finding of an inspection (the inspecting side); its owner is notified."""
        finding = inspection_services.add_finding(actor=request.user, **self.input_of(FindingInput))
        return self.answer(finding, status.HTTP_201_CREATED)


def register(router) -> None:
    router.register("inspections", InspectionViewSet, basename="inspection")
    router.register("findings", FindingViewSet, basename="finding")
