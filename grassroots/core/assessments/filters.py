"""One FilterSet per assessments list, used by its page and its API alike (the page adds only what a page
shows: the area's name, tabs and their counts)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters

from grassroots.api.filters import SubtreeFilter, YearFilter
from grassroots.core.assessments.models import Finding, Inspection, SiteMeeting, WorkReport


class InspectionFilter(filters.FilterSet):
    """`/assessments/inspections/` and `/api/inspections/`."""

    area = SubtreeFilter(label=_("督察对象所在区域（含下级）"))
    year = YearFilter(field_name="inspected_on__year", label=_("年度"))

    class Meta:
        model = Inspection
        fields = ["party_org"]


class FindingFilter(filters.FilterSet):
    """`/assessments/findings/` and `/api/findings/`. Overdue is Finding.overdue_q, nowhere else."""

    area = SubtreeFilter(label=_("问题所在区域（含下级）"))
    year = YearFilter(field_name="deadline__year", label=_("整改期限所在年度"))
    overdue = filters.BooleanFilter(method="filter_overdue", label=_("逾期未整改"))
    mine = filters.BooleanFilter(method="filter_mine", label=_("我负责整改的"))

    class Meta:
        model = Finding
        fields = ["state", "inspection", "owner"]

    def filter_overdue(self, queryset, name, value):
        return queryset.filter(Finding.overdue_q()) if value else queryset.exclude(Finding.overdue_q())

    def filter_mine(self, queryset, name, value):
        return queryset.filter(owner=self.request.user) if value else queryset


class WorkReportFilter(filters.FilterSet):
    """`/assessments/reports/` and `/api/work-reports/`."""

    area = SubtreeFilter(label=_("述职组织所在区域（含下级）"))

    class Meta:
        model = WorkReport
        fields = ["year", "state", "party_org"]


class SiteMeetingFilter(filters.FilterSet):
    """`/assessments/site-meetings/` and `/api/site-meetings/`."""

    area = SubtreeFilter(path_field="gathering__area__path", label=_("组织单位所在区域（含下级）"))
    host_area = SubtreeFilter(path_field="host_area__path", label=_("承办区域（含下级）"))
    year = YearFilter(field_name="gathering__starts_at__year", label=_("年度"))

    class Meta:
        model = SiteMeeting
        fields = ["shows", "task", "inspection"]
