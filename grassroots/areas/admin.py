"""Django admin (for superusers only; officials use the pages). The tree fields are read-only here: moves
go through `services.move_area`, which rewrites the subtree's paths."""

from django.contrib import admin

from grassroots.areas.models import Area, PartyOrg


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ["name", "level", "code", "depth", "numchild", "retired"]
    list_filter = ["level", "retired"]
    search_fields = ["name", "code"]
    ordering = ["path"]
    readonly_fields = ["path", "depth", "numchild", "level", "created_at"]
    fields = ["name", "code", "level", "retired", "path", "depth", "numchild", "created_at"]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PartyOrg)
class PartyOrgAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "area", "parent", "code", "retired"]
    list_filter = ["kind", "retired"]
    search_fields = ["name", "code"]
    raw_id_fields = ["area", "parent", "secretary"]
    list_select_related = ["area", "parent"]
    show_full_result_count = False

    def has_delete_permission(self, request, obj=None):
        return False
