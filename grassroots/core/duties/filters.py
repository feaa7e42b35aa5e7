"""One FilterSet per duties list, used by its page and its API alike: the tasks (`/api/duty-tasks/`) and the
assignments (`/api/duty-assignments/`, the 我的任务 page's 待办 tab and a task page's targets)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters

from grassroots.api.filters import IdFilter, SubtreeFilter, YearFilter
from grassroots.core.duties.models import OPEN_STATES, AssignmentState, DutyAssignment, DutyTask, overdue_q
from grassroots.core.duties.rules import checker, doer

ASSIGNMENT_STATES = [*AssignmentState.choices, ("overdue", _("逾期")), ("open", _("未提交"))]


class DutyTaskFilter(filters.FilterSet):
    year = YearFilter(field_name="task_list__year")
    area = SubtreeFilter(path_field="area__path")
    issuer = IdFilter(field_name="area_id", label="issuing area (exactly)")
    parent = IdFilter(field_name="parent_id")
    root = IdFilter(field_name="root_id")
    draft = filters.BooleanFilter(field_name="issued_at", lookup_expr="isnull")

    class Meta:
        model = DutyTask
        fields = ["target_level", "office", "affair"]


class DutyAssignmentFilter(filters.FilterSet):
    """`?state=` a state, `overdue` or `open`; `?mine=todo` what the user must do (not yet approved unless a
    `state` says otherwise, as on 我的任务), `?mine=check` what they must check (submitted to their area)."""

    task = IdFilter(field_name="task_id")
    area = SubtreeFilter(path_field="area__path")
    year = YearFilter(field_name="task__task_list__year")
    state = filters.ChoiceFilter(method="filter_state", choices=ASSIGNMENT_STATES)
    mine = filters.ChoiceFilter(
        method="filter_mine",
        choices=[("todo", _("待我办理")), ("check", _("待我审核"))],
        label="todo | check",
    )

    class Meta:
        model = DutyAssignment
        fields = ["office"]

    def filter_state(self, queryset, name, value):
        if value == "overdue":
            return queryset.filter(overdue_q())
        if value == "open":
            return queryset.filter(state__in=OPEN_STATES)
        return queryset.filter(state=value)

    def filter_mine(self, queryset, name, value):
        user = self.request.user
        if value == "todo":
            mine = queryset.filter(doer.q(user))
            return (
                mine if self.form.cleaned_data.get("state") else mine.exclude(state=AssignmentState.APPROVED)
            )
        return queryset.filter(checker.q(user), state=AssignmentState.SUBMITTED)
