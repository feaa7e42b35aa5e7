"""The clock's rows in the Django admin, read-only: a run is the record that its moment was enqueued, and
deleting it would let the scheduler enqueue that moment again."""

from django.contrib import admin

from grassroots.admin_readonly import ReadOnlyAdminMixin
from grassroots.clock.models import PeriodicRun, SchedulerBeat


@admin.register(PeriodicRun)
class PeriodicRunAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["name", "slot", "enqueued_at", "status", "finished_at", "result", "error"]
    list_filter = ["name", "status"]
    date_hierarchy = "slot"


@admin.register(SchedulerBeat)
class SchedulerBeatAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["scheduler", "beat_at"]
