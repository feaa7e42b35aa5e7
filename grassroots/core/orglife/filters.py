"""The organizational-life lists' FilterSets, each for its page and its API alike: a branch's page lists its
plans (with their guidance), reports, appraisals and study plan of a year through them, and
`/api/orglife-plans/`, `/api/orglife-guidance/`, `/api/orglife-reports/`, `/api/appraisals/` and
`/api/study-plans/` filter with them, over the same querysets (`selectors/forms.py`: `guidance_rows`,
`study_plans`). Every parameter is bounded (ids, years: `grassroots.api.filters`)."""

from __future__ import annotations

import django_filters

from grassroots.api.filters import IdFilter, YearFilter
from grassroots.core.orglife.models import Appraisal, OrgLifeGuidance, OrgLifePlan, OrgLifeReport, StudyPlan


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


class GuidanceFilter(django_filters.FilterSet):
    plan = IdFilter(field_name="plan_id")
    branch = IdFilter(field_name="plan__branch_id")

    class Meta:
        model = OrgLifeGuidance
        fields = ["plan", "branch", "state", "decision"]


class StudyPlanFilter(django_filters.FilterSet):
    branch = IdFilter(field_name="branch_id")
    year = YearFilter()

    class Meta:
        model = StudyPlan
        fields = ["branch", "year"]
