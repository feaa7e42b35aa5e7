"""`/api/work-reports/`: work reports (党建述职) — draft (POST), edit (PUT), a reviewer's score
(`…/{id}/score/`), the steps at `…/{id}/transitions/{name}/`; through the pages' services."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action

from grassroots.accounts.models import User
from grassroots.api.fields import ScopedPrimaryKeyRelatedField
from grassroots.api.scoping import ScopedViewSetMixin
from grassroots.api.transitions import StepForm
from grassroots.areas.models import PartyOrg
from grassroots.core.assessments.api._common import VIEW
from grassroots.core.assessments.filters import WorkReportFilter
from grassroots.core.assessments.models import WorkReport
from grassroots.core.assessments.selectors.reports import can_see_scores
from grassroots.core.assessments.services import reports as report_services
from grassroots.gatherings.models import Gathering


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
    # who may write: the reporter edits, the named reviewers score (services.reports)
    services_decide = True
    transition_forms = {"start_review": StepForm(StartReviewInput, _start_review)}
    queryset = WorkReport.objects.select_related("party_org", "area", "reviewing_area", "reporter").order_by(
        "-year", "area__path", "pk"
    )
    serializer_class = WorkReportSerializer
    filterset_class = WorkReportFilter

    http_method_names = ["get", "post", "put", "head", "options"]

    def scope_queryset(self, queryset):
        return queryset & WorkReport.visible_to(self.request.user)

    def get_serializer_class(self):
        return {"create": WorkReportInput, "update": WorkReportEdit, "score": ScoreInput}.get(
            self.action, WorkReportSerializer
        )

    @extend_schema(request=WorkReportInput, responses={201: WorkReportSerializer})
    def create(self, request, *args, **kwargs):
        """Draft the year's report of a Party organization (its secretary, or the organization above)."""
        report = report_services.create_report(actor=request.user, **self.input_of(WorkReportInput))
        return self.answer(report, status.HTTP_201_CREATED)

    @extend_schema(request=WorkReportEdit, responses=WorkReportSerializer)
    def update(self, request, *args, **kwargs):
        """The reporter edits the draft (also after it was sent back)."""
        report = self.get_object()
        report_services.update_report(actor=request.user, report=report, **self.input_of(WorkReportEdit))
        return self.answer(report)

    @extend_schema(request=ScoreInput, responses=WorkReportSerializer)
    @action(detail=True, methods=["post"])
    def score(self, request, pk=None):
        """A named reviewer scores the report (0–100; again to correct it while the review lasts); the last
        missing score concludes the review."""
        report = self.get_object()
        report_services.score_report(reviewer=request.user, report=report, **self.input_of(ScoreInput))
        return self.answer(report)


def register(router) -> None:
    router.register("work-reports", WorkReportViewSet, basename="work-report")
