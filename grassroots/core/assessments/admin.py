"""For system administrators only, read-only: day-to-day work goes through the pages and their services
(workflow states change only through transitions, totals and ranks only through the computation)."""

from django.contrib import admin

from grassroots.admin_readonly import ReadOnlyAdminMixin
from grassroots.core.assessments.models import (
    AgencyHeadReview,
    Assessment,
    AssessmentItem,
    AssessmentScheme,
    Finding,
    GridRating,
    Inspection,
    StationedAgency,
    WorkReport,
)


class ItemInline(admin.TabularInline):
    model = AssessmentItem
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(WorkReport)
class WorkReportAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["title", "year", "party_org", "state", "average_score", "grade"]
    list_filter = ["year", "state", "grade"]
    search_fields = ["title", "party_org__name"]
    list_select_related = ["party_org"]


@admin.register(Inspection)
class InspectionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["title", "area", "by_area", "inspected_on"]
    list_select_related = ["area", "by_area"]
    date_hierarchy = "inspected_on"


@admin.register(Finding)
class FindingAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["description", "area", "owner", "deadline", "state", "sent_back_count"]
    list_filter = ["state"]
    list_select_related = ["area", "owner"]


@admin.register(AssessmentScheme)
class AssessmentSchemeAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["name", "year", "area", "level", "compute_status", "computed_at"]
    list_filter = ["year", "level", "compute_status"]
    list_select_related = ["area"]
    inlines = [ItemInline]


@admin.register(Assessment)
class AssessmentAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["scheme", "area", "total", "rank_in_peers", "rank"]
    list_select_related = ["scheme", "area"]


@admin.register(StationedAgency)
class StationedAgencyAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["name", "department", "street", "head", "active"]
    list_select_related = ["street", "head"]


@admin.register(AgencyHeadReview)
class AgencyHeadReviewAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["agency", "head", "year", "score", "reviewed_by"]
    list_select_related = ["agency", "head", "reviewed_by"]


@admin.register(GridRating)
class GridRatingAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["worker", "grid", "year", "score"]
    list_select_related = ["worker", "grid"]
