from django.contrib import admin

from grassroots.admin_readonly import ReadOnlyAdminMixin
from grassroots.workflow.models import Notification, TransitionAttachment, TransitionLog


class AttachmentInline(admin.TabularInline):
    model = TransitionAttachment
    fields = ["name", "file", "size"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(TransitionLog)
class TransitionLogAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["at", "content_type", "object_id", "transition", "from_state", "to_state", "actor"]
    list_filter = ["content_type", "transition"]
    list_select_related = ["actor", "content_type"]
    search_fields = ["comment", "actor__username", "actor__full_name"]
    date_hierarchy = "at"
    inlines = [AttachmentInline]


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["created_at", "recipient", "verb", "read_at"]
    list_select_related = ["recipient"]
    search_fields = ["verb", "recipient__username"]
