"""For system administrators only; day-to-day work goes through the pages and their services (steps only
through the workflow service, so the admin shows assignments read-only)."""

from django.contrib import admin

from grassroots.admin_readonly import ReadOnlyAdminMixin
from grassroots.core.duties.models import DutyAssignment, DutyTask, Office, TaskList


@admin.register(Office)
class OfficeAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "area", "retired"]
    list_filter = ["kind", "retired"]
    search_fields = ["name", "area__name"]
    raw_id_fields = ["area"]


@admin.register(TaskList)
class TaskListAdmin(admin.ModelAdmin):
    list_display = ["area", "year", "copied_from"]
    list_filter = ["year"]
    search_fields = ["area__name"]
    raw_id_fields = ["area", "copied_from", "created_by"]


@admin.register(DutyTask)
class DutyTaskAdmin(admin.ModelAdmin):
    list_display = ["title", "area", "target_level", "deadline", "issued_at"]
    list_filter = ["target_level", "task_list__year"]
    search_fields = ["title", "area__name"]
    raw_id_fields = [
        "task_list",
        "area",
        "office",
        "affair",
        "parent",
        "root",
        "copied_from",
        "created_by",
        "issued_by",
    ]


@admin.register(DutyAssignment)
class DutyAssignmentAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["task", "area", "state", "submitted_at", "completed_on"]
    list_filter = ["state"]
    search_fields = ["task__title", "area__name"]
    list_select_related = ["task", "area"]
