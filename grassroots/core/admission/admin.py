"""For system administrators only; the catalog is kept and requests decided through the pages (requests'
steps only through the workflow service, so they are read-only here)."""

from django.contrib import admin

from grassroots.admin_readonly import ReadOnlyAdminMixin
from grassroots.core.admission.models import AdmissionRequest, AdmittedAffair, CarriedAffair


@admin.register(AdmittedAffair)
class AdmittedAffairAdmin(admin.ModelAdmin):
    list_display = ["name", "area", "department", "funds_per_community", "valid_from", "valid_to"]
    search_fields = ["name", "department"]
    raw_id_fields = ["area", "request", "created_by"]


@admin.register(AdmissionRequest)
class AdmissionRequestAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["name", "department", "area", "state", "submitted_at"]
    list_filter = ["state"]
    search_fields = ["name", "department"]


@admin.register(CarriedAffair)
class CarriedAffairAdmin(admin.ModelAdmin):
    list_display = ["area", "affair", "year", "funds"]
    list_filter = ["year"]
    raw_id_fields = ["area", "affair"]
