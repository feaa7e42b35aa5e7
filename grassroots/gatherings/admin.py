from django.contrib import admin

from grassroots.gatherings.models import Decision, Gathering, Participant, Photo


class ParticipantInline(admin.TabularInline):
    model = Participant
    extra = 0
    raw_id_fields = ["user", "invited_by", "attendance_recorded_by"]


class DecisionInline(admin.TabularInline):
    model = Decision
    extra = 0
    raw_id_fields = ["owner", "created_by"]


class PhotoInline(admin.TabularInline):
    model = Photo
    extra = 0
    raw_id_fields = ["uploaded_by"]


@admin.register(Gathering)
class GatheringAdmin(admin.ModelAdmin):
    """For system administrators only; day-to-day work goes through the pages and their services."""

    list_display = ["title", "kind", "area", "starts_at", "status", "visibility"]
    list_filter = ["status", "visibility", "kind"]
    search_fields = ["title", "place"]
    date_hierarchy = "starts_at"
    raw_id_fields = ["area", "organizer", "party_org"]
    list_select_related = ["area"]
    inlines = [ParticipantInline, DecisionInline, PhotoInline]
