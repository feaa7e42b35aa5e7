from django.urls import path

from grassroots.lawgov import views_disputes, views_filing

app_name = "lawgov"

urlpatterns = [
    path("disputes/mine/", views_disputes.my_disputes, name="my_disputes"),
    path("disputes/new/", views_filing.dispute_new, name="dispute_new"),
    path("disputes/intake/", views_filing.dispute_intake, name="dispute_intake"),
    path("residents/options/", views_filing.resident_options, name="resident_options"),
    path("disputes/caseload/", views_disputes.caseload, name="caseload"),
    path("disputes/<int:pk>/", views_disputes.dispute_detail, name="dispute_detail"),
    path("disputes/<int:pk>/steps/<slug:step>/", views_disputes.dispute_step, name="dispute_step"),
    path("disputes/<int:pk>/agreement-file/", views_disputes.dispute_file, name="dispute_file"),
    path(
        "disputes/<int:pk>/documents/<slug:document>/",
        views_disputes.dispute_document,
        name="dispute_document",
    ),
]

from grassroots.lawgov import views_stations  # noqa: E402

urlpatterns += [
    path("stations/", views_stations.station_list, name="station_list"),
    path("stations/<int:pk>/", views_stations.station_detail, name="station_detail"),
    path("stations/<int:pk>/consultations/", views_stations.consultations, name="station_consultations"),
    path("stations/<int:pk>/disputes/new/", views_filing.station_dispute_new, name="station_dispute_new"),
    path("sessions/<int:pk>/book/", views_stations.occurrence_book, name="occurrence_book"),
    path("sessions/<int:pk>/cancel/", views_stations.occurrence_cancel, name="occurrence_cancel"),
    path("consultations/<int:pk>/", views_stations.consultation_detail, name="consultation_detail"),
]

from grassroots.lawgov import views_figures  # noqa: E402

urlpatterns += [path("figures/", views_figures.figures, name="figures")]

from grassroots.lawgov import views_setup  # noqa: E402

urlpatterns += [
    path("stations/new/", views_setup.station_create, name="station_create"),
    path("stations/<int:pk>/edit/", views_setup.station_edit, name="station_edit"),
    path("stations/<int:pk>/workers/", views_setup.station_workers, name="station_workers"),
    path("workers/<int:pk>/remove/", views_setup.worker_remove, name="worker_remove"),
    path("stations/<int:pk>/sessions/new/", views_setup.session_create, name="session_create"),
    path("stations/<int:pk>/education/new/", views_setup.education_create, name="education_create"),
]

from grassroots.lawgov import views_pairings  # noqa: E402

urlpatterns += [
    path("pairings/", views_pairings.pairing_list, name="pairing_list"),
    path("pairings/new/", views_pairings.pairing_new, name="pairing_new"),
    path("pairings/register/", views_pairings.unit_register, name="unit_register"),
    path("pairings/<int:pk>/", views_pairings.pairing_detail, name="pairing_detail"),
    path("pairings/<int:pk>/steps/<slug:step>/", views_pairings.pairing_step, name="pairing_step"),
]
