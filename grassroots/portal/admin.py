from django.contrib import admin

from grassroots.portal.models import Notice


@admin.register(Notice)
class NoticeAdmin(admin.ModelAdmin):
    list_display = ["title", "area", "published_at", "pinned", "author"]
    list_filter = ["pinned"]
    search_fields = ["title", "body"]
    raw_id_fields = ["area", "author"]
    date_hierarchy = "published_at"
