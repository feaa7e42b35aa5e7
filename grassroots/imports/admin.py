"""Django admin (superusers only): the jobs, read-only. Officials use the job pages."""

from django.contrib import admin

from grassroots.imports.models import ExportJob, ImportJob


class _ReadOnly(admin.ModelAdmin):
    list_filter = ["kind", "status"]
    list_select_related = ["created_by"]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ImportJob)
class ImportJobAdmin(_ReadOnly):
    list_display = [
        "original_name",
        "kind",
        "created_by",
        "status",
        "total_rows",
        "error_count",
        "created_at",
    ]


@admin.register(ExportJob)
class ExportJobAdmin(_ReadOnly):
    list_display = ["filename", "kind", "created_by", "unmasked", "status", "total_rows", "created_at"]
