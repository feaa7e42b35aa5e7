from django.contrib import admin

from grassroots.selfgov.models import CommunitySetting


@admin.register(CommunitySetting)
class CommunitySettingAdmin(admin.ModelAdmin):
    list_display = ["area", "support_percent", "hearing_notice_days", "collection_days"]
    raw_id_fields = ["area"]
