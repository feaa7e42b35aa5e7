from django.urls import path

from grassroots.cogov import views, views_activities, views_board, views_items, views_meetings

app_name = "cogov"
urlpatterns = [
    path("partners/", views.partner_list, name="partner_list"),
    path("partners/new/", views.partner_form, name="partner_create"),
    path("partners/<int:pk>/", views.partner_detail, name="partner_detail"),
    path("partners/<int:pk>/edit/", views.partner_form, name="partner_edit"),
    path(
        "partners/<int:pk>/resources/<int:resource_pk>/remove/", views.resource_remove, name="resource_remove"
    ),
    path("agreements/", views.agreement_list, name="agreement_list"),
    path("agreements/new/", views.agreement_create, name="agreement_create"),
    path("agreements/<int:pk>/", views.agreement_detail, name="agreement_detail"),
    path("agreements/<int:pk>/file/", views.agreement_file, name="agreement_file"),
    path("items/", views_items.item_list, name="item_list"),
    path("items/new/", views_items.need_form, name="need_create"),
    path("items/commit/", views_items.commit, name="commit"),
    path("items/<int:pk>/", views_items.item_detail, name="item_detail"),
    path("items/<int:pk>/edit/", views_items.need_form, name="need_edit"),
    path("claims/<int:pk>/", views_items.claim_detail, name="claim_detail"),
    path("claims/<int:pk>/deliver/", views_items.claim_deliver, name="claim_deliver"),
    path("claims/<int:pk>/evidence/", views_items.claim_evidence, name="claim_evidence"),
    path("worklist/", views_items.worklist, name="worklist"),
    path("services/rate/", views_items.rate_services, name="rate_services"),
    path("volunteers/", views.volunteer_list, name="volunteer_list"),
    path("volunteers/<int:pk>/", views.volunteer_detail, name="volunteer_detail"),
    path("volunteering/", views.my_volunteering, name="my_volunteering"),
    path("activities/", views_activities.my_activities, name="activities"),
    path("activities/organize/", views_activities.organizer_list, name="activity_organizer"),
    path("activities/<int:pk>/", views_activities.activity_detail, name="activity_detail"),
    path("activities/<int:pk>/roster/", views_activities.activity_roster, name="activity_roster"),
    path("board/", views_board.board, name="board"),
    path("joint-meetings/", views_meetings.joint_meetings, name="joint_meetings"),
    path("joint-meetings/bodies/new/", views_meetings.body_form, name="joint_body_create"),
    path("joint-meetings/bodies/<int:pk>/", views_meetings.body_detail, name="joint_body_detail"),
    path("joint-meetings/bodies/<int:pk>/edit/", views_meetings.body_form, name="joint_body_edit"),
    path(
        "joint-meetings/bodies/<int:pk>/schedule/", views_meetings.meeting_create, name="joint_meeting_create"
    ),
    path("joint-meetings/<int:pk>/", views_meetings.meeting_detail, name="joint_meeting_detail"),
    path("action-items/", views_meetings.action_items, name="action_items"),
    path("action-items/<int:pk>/", views_meetings.action_item_detail, name="action_item_detail"),
]
