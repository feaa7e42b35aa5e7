"""The clock's rows in the Django admin, read-only: a run is the record that its moment was enqueued, and
deleting it would let the scheduler enqueue that moment again."""

from django.contrib import admin

from grassroots.clock.models import PeriodicRun, SchedulerBeat


class ReadOnly(admin.ModelAdmin):
    actions = None

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PeriodicRun)
class PeriodicRunAdmin(ReadOnly):
    list_display = ["name", "slot", "enqueued_at", "status", "finished_at", "result", "error"]
    list_filter = ["name", "status"]
    date_hierarchy = "slot"


@admin.register(SchedulerBeat)
class SchedulerBeatAdmin(ReadOnly):
    list_display = ["scheduler", "beat_at"]
