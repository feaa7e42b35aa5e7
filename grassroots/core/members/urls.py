from django.urls import path

from grassroots.core.members.views import care as care_views
from grassroots.core.members.views import dues as dues_views
from grassroots.core.members.views import educate as educate_views
from grassroots.core.members.views import find as find_views
from grassroots.core.members.views import manage as manage_views
from grassroots.core.members.views import worklist as worklist_views

app_name = "members"

# --- records, identify, 我的, dual registration (views/records.py, views/mine.py, views/registration.py) ---
from grassroots.core.members.views import mine as mine_views  # noqa: E402
from grassroots.core.members.views import records as record_views  # noqa: E402
from grassroots.core.members.views import registration as registration_views  # noqa: E402

record_urls: list = [
    path("", record_views.member_list, name="list"),
    path("new/", record_views.member_create, name="create"),
    path("<int:pk>/", record_views.member_detail, name="detail"),
    path("<int:pk>/edit/", record_views.member_edit, name="edit"),
    path("<int:pk>/tags/", record_views.member_tags, name="tags"),
    path("<int:pk>/account/", record_views.member_account, name="account"),
    path("branches/", record_views.branch_overview, name="branches"),
    path("mine/", mine_views.mine, name="mine"),
    path("mine/edit/", mine_views.mine_edit, name="mine_edit"),
    path("mine/register/", registration_views.register_me, name="register_me"),
    path("<int:pk>/register/", registration_views.registration_member, name="registration_member"),
    path("registrations/", registration_views.registration_list, name="registrations"),
    path("registrations/org/new/", registration_views.registration_org, name="registration_org"),
    path("registrations/<int:pk>/", registration_views.registration_detail, name="registration_detail"),
]

# --- find, educate, manage, care, worklist (views/find.py, educate.py, manage.py, care.py, worklist.py) ---
precision_urls: list = [
    path("worklist/", worklist_views.worklist, name="worklist"),
    path("find/", find_views.find_list, name="find"),
    path("<int:pk>/contact-attempts/new/", find_views.contact_attempt_add, name="contact_attempt_add"),
    path("<int:pk>/mobile/", find_views.mark_mobile, name="mark_mobile"),
    path("mine/whereabouts/", find_views.mine_whereabouts, name="mine_whereabouts"),
    path("study/", educate_views.study_list, name="study"),
    path("<int:pk>/study/new/", educate_views.study_add, name="study_add"),
    path("study/<int:pk>/delete/", educate_views.study_delete, name="study_delete"),
    path("conversions/", manage_views.conversions, name="conversions"),
    path("transfers/", manage_views.transfers, name="transfers"),
    path("<int:pk>/transfers/new/", manage_views.transfer_request, name="transfer_request"),
    path("transfers/<int:pk>/", manage_views.transfer_detail, name="transfer_detail"),
    path("transfers/<int:pk>/release/", manage_views.transfer_release, name="transfer_release"),
    path("dues/", dues_views.dues_list, name="dues"),
    path("dues/brackets/", dues_views.dues_brackets, name="dues_brackets"),
    path("<int:pk>/dues/amount/", dues_views.dues_set, name="dues_set"),
    path("<int:pk>/dues/payments/new/", dues_views.dues_pay, name="dues_pay"),
    path("care/", care_views.care_list, name="care"),
    path("<int:pk>/care-visits/new/", care_views.care_visit_add, name="care_visit_add"),
    path("anniversaries/", care_views.anniversaries, name="anniversaries"),
]

# --- import and export (views/transfer.py) ---
from grassroots.core.members.views import transfer as transfer_views  # noqa: E402

transfer_urls: list = [
    path("import/", transfer_views.import_upload, name="import"),
    path("import/template/", transfer_views.import_template, name="import_template"),
    path("export/", transfer_views.export, name="export"),
]

urlpatterns = record_urls + precision_urls + transfer_urls
