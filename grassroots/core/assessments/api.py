"""`/api/work-reports/`, `/api/inspections/`, `/api/findings/`, `/api/assessments/`, `/api/agency-reviews/`.
Scoped like the pages (the same `visible_to` rules and the same scoping function: outside → 404), filtered,
paginated (50 a page, at most 500), a fixed number of queries a page. Work report scores are shown only once
published, or to the organizers. Writes go through the same services as the pages: work reports (draft,
edit, a reviewer's score), inspections and their findings, agency reviews; the steps of work reports and
findings at `…/{id}/transitions/{name}/`."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from grassroots.accounts.models import User
from grassroots.api.fields import ScopedPrimaryKeyRelatedField
from grassroots.api.filters import SubtreeFilter, YearFilter
from grassroots.api.scoping import ScopedViewSetMixin
from grassroots.api.transitions import StepForm
from grassroots.areas.models import Area, PartyOrg
from grassroots.core.assessments.models import (
    AgencyHeadReview,
    Assessment,
    AssessmentScore,
    Finding,
    FindingState,
    Inspection,
    StationedAgency,
    WorkReport,
)
from grassroots.core.assessments.selectors import inspections as inspection_selectors
from grassroots.core.assessments.selectors import people as people_selectors
from grassroots.core.assessments.selectors.reports import can_see_scores
from grassroots.core.assessments.services import inspections as inspection_services
from grassroots.core.assessments.services import people as people_services
from grassroots.core.assessments.services import reports as report_services
from grassroots.gatherings.models import Gathering

VIEW = "assessments.view"


# --- work reports ------------------------------------------------------------------------------------------
class WorkReportSerializer(serializers.ModelSerializer):
    party_org_name = serializers.CharField(source="party_org.name", read_only=True)
    area_name = serializers.CharField(source="area.name", read_only=True)
    reporter_name = serializers.CharField(source="reporter.display_name", read_only=True)
    state_label = serializers.CharField(read_only=True)
    average_score = serializers.SerializerMethodField()
    grade = serializers.SerializerMethodField()

    class Meta:
        model = WorkReport
        fields = [
            "id",
            "year",
            "party_org",
            "party_org_name",
            "area",
            "area_name",
            "reviewing_area",
            "reporter",
            "reporter_name",
            "title",
            "content",
            "state",
            "state_label",
            "review_meeting",
            "submitted_at",
            "scored_at",
            "published_at",
            "average_score",
            "grade",
        ]
        read_only_fields = fields

    def _visible(self, report) -> bool:
        return can_see_scores(self.context["request"].user, report)

    @extend_schema_field(serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True))
    def get_average_score(self, report):
        """The average of the reviewers' scores: null until published (organizers see it once scored)."""
        if not self._visible(report) or report.average_score is None:
            return None
        return str(report.average_score)

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_grade(self, report):
        """好 / 较好 / 一般 / 差 (good / fairly_good / average / poor): null until published."""
        return report.grade or None if self._visible(report) else None


class WorkReportFilter(filters.FilterSet):
    area = SubtreeFilter(label=_("述职组织所在区域（含下级）"))

    class Meta:
        model = WorkReport
        fields = ["year", "state", "party_org"]


class StartReviewInput(serializers.Serializer):
    meeting = serializers.PrimaryKeyRelatedField(
        queryset=Gathering.objects.select_related("area"), help_text=_("述职评议会（活动）的 id")
    )
    reviewers = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.all(), many=True, help_text=_("评议人（用户 id）")
    )


def _start_review(view, report, *, actor, comment, attachments, meeting, reviewers):
    report_services.start_review(actor=actor, report=report, meeting=meeting, reviewers=reviewers)


class WorkReportInput(serializers.Serializer):
    party_org = ScopedPrimaryKeyRelatedField(
        queryset=PartyOrg.objects.select_related("area"), permission="party_orgs.view"
    )
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    title = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    content = serializers.CharField(required=False, allow_blank=True, default="")


class WorkReportEdit(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    content = serializers.CharField(allow_blank=True)


class ScoreInput(serializers.Serializer):
    score = serializers.DecimalField(max_digits=4, decimal_places=1, min_value=0, max_value=100)
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class WorkReportViewSet(
    ScopedViewSetMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet
):
    """Work reports (党建述职) the caller may see: assessments.view on the organization's area, the
    organization's secretary (and those above), the reporter and the named reviewers. Steps: submit,
    send_back, start_review (`meeting`, `reviewers`; the organization above), conclude, publish."""

    view_permission = VIEW
    transition_forms = {"start_review": StepForm(StartReviewInput, _start_review)}
    queryset = WorkReport.objects.select_related("party_org", "area", "reviewing_area", "reporter").order_by(
        "-year", "area__path", "pk"
    )
    serializer_class = WorkReportSerializer
    filterset_class = WorkReportFilter

    http_method_names = ["get", "post", "put", "head", "options"]

    def scope_queryset(self, queryset):
        return queryset & WorkReport.visible_to(self.request.user)

    def check_object_permissions(self, request, obj):
        # The reporter edits, the named reviewers score, the workflow decides the steps: the services say.
        viewsets.GenericViewSet.check_object_permissions(self, request, obj)

    def get_serializer_class(self):
        return {"create": WorkReportInput, "update": WorkReportEdit, "score": ScoreInput}.get(
            self.action, WorkReportSerializer
        )

    def _answer(self, report, code=status.HTTP_200_OK):
        fresh = self.get_queryset().get(pk=report.pk)
        return Response(WorkReportSerializer(fresh, context=self.get_serializer_context()).data, status=code)

    def _input(self, serializer_class):
        data = serializer_class(data=self.request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        return dict(data.validated_data)

    @extend_schema(request=WorkReportInput, responses={201: WorkReportSerializer})
    def create(self, request, *args, **kwargs):
        """Draft the year's report of a Party organization (its secretary, or the organization above)."""
        report = report_services.create_report(actor=request.user, **self._input(WorkReportInput))
        return self._answer(report, status.HTTP_201_CREATED)

    @extend_schema(request=WorkReportEdit, responses=WorkReportSerializer)
    def update(self, request, *args, **kwargs):
        """The reporter edits the draft (also after it was sent back)."""
        report = self.get_object()
        report_services.update_report(actor=request.user, report=report, **self._input(WorkReportEdit))
        return self._answer(report)

    @extend_schema(request=ScoreInput, responses=WorkReportSerializer)
    @action(detail=True, methods=["post"])
    def score(self, request, pk=None):
        """A named reviewer scores the report (0–100; again to correct it while the review lasts); the last
        missing score concludes the review."""
        report = self.get_object()
        report_services.score_report(reviewer=request.user, report=report, **self._input(ScoreInput))
        return self._answer(report)


# --- inspections and findings ------------------------------------------------------------------------------
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


class InspectionFilter(filters.FilterSet):
    area = SubtreeFilter(label=_("督察对象所在区域（含下级）"))
    year = YearFilter(field_name="inspected_on__year", label=_("年度"))

    class Meta:
        model = Inspection
        fields = ["party_org"]


class InspectionInput(serializers.Serializer):
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
        data = InspectionInput(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        inspection = inspection_services.create_inspection(actor=request.user, **data.validated_data)
        fresh = self.get_queryset().get(pk=inspection.pk)
        return Response(InspectionSerializer(fresh, context=self.get_serializer_context()).data, status=201)


class FindingSerializer(serializers.ModelSerializer):
    area_name = serializers.CharField(source="area.name", read_only=True)
    owner_name = serializers.CharField(source="owner.display_name", read_only=True)
    inspection_title = serializers.CharField(source="inspection.title", read_only=True)
    state_label = serializers.CharField(read_only=True)
    overdue = serializers.BooleanField(read_only=True)

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


class FindingFilter(filters.FilterSet):
    area = SubtreeFilter(label=_("问题所在区域（含下级）"))
    year = YearFilter(field_name="deadline__year", label=_("整改期限所在年度"))
    overdue = filters.BooleanFilter(method="filter_overdue", label=_("逾期未整改"))
    mine = filters.BooleanFilter(method="filter_mine", label=_("我负责整改的"))

    class Meta:
        model = Finding
        fields = ["state", "inspection", "owner"]

    def filter_overdue(self, queryset, name, value):
        overdue = {"state": FindingState.RECTIFYING, "deadline__lt": timezone.localdate()}
        return queryset.filter(**overdue) if value else queryset.exclude(**overdue)

    def filter_mine(self, queryset, name, value):
        return queryset.filter(owner=self.request.user) if value else queryset


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


class FindingViewSet(ScopedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Findings (督察问题) as rectification items: rectifying → rectified → verified (or sent back), at
    `…/{id}/transitions/{name}/` (report_rectified by the owner with `comment` and `attachments`)."""

    view_permission = VIEW
    queryset = Finding.objects.select_related("area", "owner", "inspection").order_by("deadline", "pk")
    serializer_class = FindingSerializer
    filterset_class = FindingFilter

    def scope_queryset(self, queryset):
        return queryset & Finding.visible_to(self.request.user)

    def get_serializer_class(self):
        return FindingInput if self.action == "create" else FindingSerializer

    @extend_schema(request=FindingInput, responses={201: FindingSerializer})
    def create(self, request, *args, **kwargs):
        """Record a finding of an inspection (the inspecting side); its owner is notified."""
        data = FindingInput(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        finding = inspection_services.add_finding(actor=request.user, **data.validated_data)
        fresh = self.get_queryset().get(pk=finding.pk)
        return Response(FindingSerializer(fresh, context=self.get_serializer_context()).data, status=201)


# --- assessments -------------------------------------------------------------------------------------------
class ScoreSerializer(serializers.ModelSerializer):
    item_name = serializers.CharField(source="item.name", read_only=True)
    weight = serializers.DecimalField(source="item.weight", max_digits=6, decimal_places=2, read_only=True)
    method = serializers.CharField(source="item.method", read_only=True)

    class Meta:
        model = AssessmentScore
        fields = [
            "item",
            "item_name",
            "weight",
            "method",
            "source",
            "figure",
            "score",
            "detail",
            "evidence_url",
            "reason",
        ]
        read_only_fields = fields


class AssessmentSerializer(serializers.ModelSerializer):
    scheme_name = serializers.CharField(source="scheme.name", read_only=True)
    year = serializers.IntegerField(source="scheme.year", read_only=True)
    area_name = serializers.CharField(source="area.name", read_only=True)
    scores = ScoreSerializer(many=True, read_only=True)

    class Meta:
        model = Assessment
        fields = [
            "id",
            "scheme",
            "scheme_name",
            "year",
            "area",
            "area_name",
            "party_org",
            "total",
            "max_total",
            "rank",
            "rank_in_peers",
            "peers",
            "computed_at",
            "scores",
        ]
        read_only_fields = fields


class AssessmentFilter(filters.FilterSet):
    area = SubtreeFilter(label=_("考核对象所在区域（含下级）"))
    year = YearFilter(field_name="scheme__year", label=_("年度"))
    level = filters.NumberFilter(field_name="scheme__level", label=_("考核对象层级"))

    class Meta:
        model = Assessment
        fields = ["scheme"]


class AssessmentViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Assessment results (考核结果) of the targets in the caller's scope, with each item's score and
    evidence; ordered by scheme and rank."""

    view_permission = VIEW
    queryset = (
        Assessment.objects.select_related("scheme", "area")
        .prefetch_related("scores__item")
        .order_by("-scheme__year", "scheme_id", "rank", "area__path")
    )
    serializer_class = AssessmentSerializer
    filterset_class = AssessmentFilter


# --- agency head reviews -----------------------------------------------------------------------------------
class AgencyReviewSerializer(serializers.ModelSerializer):
    agency_name = serializers.CharField(source="agency.name", read_only=True)
    street = serializers.IntegerField(source="agency.street_id", read_only=True)
    head_name = serializers.CharField(source="head.display_name", read_only=True)

    class Meta:
        model = AgencyHeadReview
        fields = [
            "id",
            "agency",
            "agency_name",
            "street",
            "head",
            "head_name",
            "year",
            "score",
            "grade",
            "comments",
            "reviewed_by",
            "reviewed_at",
        ]
        read_only_fields = fields


class AgencyReviewInput(serializers.Serializer):
    agency = ScopedPrimaryKeyRelatedField(
        queryset=StationedAgency.objects.select_related("street"),
        permission=VIEW,
        help_text=_("派驻机构的 id"),
    )
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    score = serializers.DecimalField(max_digits=4, decimal_places=1, min_value=0, max_value=100)
    comments = serializers.CharField(max_length=5000)


class AgencyReviewFilter(filters.FilterSet):
    area = SubtreeFilter(path_field="agency__street__path", label=_("所在街道（含上级区域筛选）"))

    class Meta:
        model = AgencyHeadReview
        fields = ["year", "agency", "head"]


class AgencyReviewViewSet(
    ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """The street Party committee's reviews of stationed agencies' heads. POST reviews the agency's
    current head for a year (assessments.review_agency on the street, else 403; again: the review is
    changed)."""

    view_permission = VIEW
    queryset = AgencyHeadReview.objects.select_related("agency", "head").order_by("-year", "agency__name")
    serializer_class = AgencyReviewSerializer
    filterset_class = AgencyReviewFilter

    def scope_queryset(self, queryset):
        return queryset & people_selectors.visible_reviews(self.request.user)

    def get_serializer_class(self):
        return AgencyReviewInput if self.action == "create" else AgencyReviewSerializer

    def create(self, request, *args, **kwargs):
        data = self.get_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        review = people_services.review_agency_head(actor=request.user, **data.validated_data)
        fresh = self.get_queryset().get(pk=review.pk)
        return Response(AgencyReviewSerializer(fresh, context=self.get_serializer_context()).data, status=201)


def register(router) -> None:
    router.register("work-reports", WorkReportViewSet, basename="work-report")
    router.register("inspections", InspectionViewSet, basename="inspection")
    router.register("findings", FindingViewSet, basename="finding")
    router.register("assessments", AssessmentViewSet, basename="assessment")
    router.register("agency-reviews", AgencyReviewViewSet, basename="agency-review")
