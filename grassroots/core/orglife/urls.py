from django.urls import path

from grassroots.core.orglife.views import pages, plans, reports

app_name = "orglife"

urlpatterns = [
    path("", pages.compliance_page, name="compliance"),
    path("worklist/", pages.worklist_page, name="worklist"),
    path("branches/<int:pk>/", pages.branch_page, name="branch"),
    path("branches/<int:branch_pk>/plans/new/", plans.plan_create, name="plan_create"),
    path("branches/<int:branch_pk>/reports/new/", reports.report_unplanned, name="report_unplanned"),
    path("branches/<int:branch_pk>/study/<int:year>/", reports.study_plan, name="study_plan"),
    path("plans/<int:pk>/", plans.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/edit/", plans.plan_edit, name="plan_edit"),
    path("plans/<int:pk>/guidance/", plans.plan_decide, name="plan_decide"),
    path("gatherings/<int:gathering_pk>/report/", reports.report_start, name="report_start"),
    path("reports/<int:pk>/", reports.report_detail, name="report_detail"),
    path("reports/<int:pk>/edit/", reports.report_edit, name="report_edit"),
    path("reports/<int:pk>/photos/", reports.report_photo, name="report_photo"),
]
