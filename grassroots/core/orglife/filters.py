"""The organizational-life lists' FilterSets, each for its page and its API alike: a branch's page lists its
plans, reports and appraisals of a year through them, `/api/orglife-plans/`, `/api/orglife-reports/` and
`/api/appraisals/` filter with them. Every parameter is bounded (ids, years: `grassroots.api.filters`)."""

from __future__ import annotations

import django_filters

from grassroots.api.filters import IdFilter, YearFilter
from grassroots.core.orglife.models import Appraisal, OrgLifePlan, OrgLifeReport


class PlanFilter(django_filters.FilterSet):
    branch = IdFilter(field_name="branch_id")
    year = YearFilter(field_name="period_start", lookup_expr="year")

    class Meta:
        model = OrgLifePlan
        fields = ["branch", "state", "period_unit", "year"]


class ReportFilter(django_filters.FilterSet):
    branch = IdFilter(field_name="branch_id")
    year = YearFilter(field_name="held_on", lookup_expr="year")
    held_after = django_filters.DateFilter(field_name="held_on", lookup_expr="gte")
    held_before = django_filters.DateFilter(field_name="held_on", lookup_expr="lte")

    class Meta:
        model = OrgLifeReport
        fields = ["branch", "state", "kind", "year", "held_after", "held_before"]


class AppraisalFilter(django_filters.FilterSet):
    branch = IdFilter(field_name="branch_id")
    year = YearFilter()

    class Meta:
        model = Appraisal
        fields = ["branch", "year", "grade"]
