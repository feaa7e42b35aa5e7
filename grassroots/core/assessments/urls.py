from django.urls import path

from grassroots.core.assessments.views import cadres, inspections, meetings, people, reports, schemes

app_name = "assessments"

urlpatterns = [
    # work reports (述职评议)
    path("reports/", reports.report_list, name="report_list"),
    path("reports/worklist/", reports.worklist, name="worklist"),
    path("reports/new/", reports.report_create, name="report_create"),
    path("reports/<int:pk>/", reports.report_detail, name="report_detail"),
    path("reports/<int:pk>/edit/", reports.report_edit, name="report_edit"),
    path("reports/<int:pk>/review/", reports.report_start_review, name="report_start_review"),
    path("reports/<int:pk>/score/", reports.report_score, name="report_score"),
    # inspections and findings (督察整改)
    path("inspections/", inspections.inspection_list, name="inspection_list"),
    path("inspections/new/", inspections.inspection_create, name="inspection_create"),
    path("inspections/<int:pk>/", inspections.inspection_detail, name="inspection_detail"),
    path("findings/", inspections.finding_list, name="finding_list"),
    path("findings/<int:pk>/", inspections.finding_detail, name="finding_detail"),
    # on-site meetings (现场会, with their gatherings) and review meetings (gatherings of their kind)
    path("site-meetings/", meetings.site_meetings, name="site_meetings"),
    path("site-meetings/new/", meetings.site_meeting_create, name="site_meeting_create"),
    path("site-meetings/<int:pk>/", meetings.site_meeting_detail, name="site_meeting_detail"),
    path("site-meetings/<int:pk>/edit/", meetings.site_meeting_edit, name="site_meeting_edit"),
    path("site-meetings/lessons/<int:pk>/task/", meetings.lesson_task, name="lesson_task"),
    # assessments (考核)
    path("schemes/", schemes.scheme_list, name="scheme_list"),
    path("schemes/new/", schemes.scheme_create, name="scheme_create"),
    path("schemes/<int:pk>/", schemes.scheme_detail, name="scheme_detail"),
    path("schemes/<int:pk>/status/", schemes.scheme_status, name="scheme_status"),
    path("schemes/<int:pk>/compute/", schemes.scheme_compute, name="scheme_compute"),
    path("schemes/<int:pk>/items/new/", schemes.item_add, name="item_add"),
    path("schemes/<int:pk>/items/<int:item_pk>/delete/", schemes.item_remove, name="item_remove"),
    path("schemes/<int:pk>/copy/", schemes.scheme_copy, name="scheme_copy"),
    path("results/<int:pk>/", schemes.assessment_detail, name="assessment_detail"),
    # people: grid extension, personnel view, residents' ratings, stationed agencies
    path("grid-extension/", cadres.grid_extension, name="grid_extension"),
    path("grid-extension/compute/", cadres.grid_extension_compute, name="grid_extension_compute"),
    path("people/<int:pk>/", people.person_detail, name="person_detail"),
    path("rate/", people.rate, name="rate"),
    path("agencies/", people.agency_list, name="agency_list"),
    path("agencies/new/", people.agency_create, name="agency_create"),
    path("agencies/<int:pk>/", people.agency_detail, name="agency_detail"),
    path("agencies/<int:pk>/edit/", people.agency_edit, name="agency_edit"),
]
