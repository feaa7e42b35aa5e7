"""The Django admin shows the audit trail read-only: nobody, superusers included, may add, change or
delete a row there (auditlog's own LogEntry admin would let cascades delete entries; it is replaced)."""

from auditlog.admin import LogEntryAdmin
from auditlog.models import LogEntry
from django.contrib import admin

from grassroots.admin_readonly import ReadOnlyAdminMixin
from grassroots.audit.models import AuditEvent


class ReadOnlyLogEntryAdmin(ReadOnlyAdminMixin, LogEntryAdmin):
    pass


if admin.site.is_registered(LogEntry):
    admin.site.unregister(LogEntry)
admin.site.register(LogEntry, ReadOnlyLogEntryAdmin)


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["timestamp", "kind", "username", "ip", "what", "count", "unmasked", "scope_path"]
    list_filter = ["kind", "unmasked"]
    search_fields = ["username", "what", "ip", "user_agent"]
    date_hierarchy = "timestamp"
    list_select_related = ["user"]
