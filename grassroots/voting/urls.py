from django.urls import path

from grassroots.voting import election_views, import_views, paper_views, people_views, views

app_name = "voting"
urlpatterns = [
    path("", views.vote_list, name="list"),
    path("new/", views.vote_create, name="create"),
    path("code/", paper_views.code_entry, name="code"),
    path("households/", people_views.household_list, name="households"),
    path("households/new/", people_views.household_create, name="household_create"),
    path("households/import/", import_views.household_import, name="household_import"),
    path(
        "households/import/template/",
        import_views.household_import_template,
        name="household_import_template",
    ),
    path("households/<int:pk>/", people_views.household_detail, name="household"),
    path("representatives/", people_views.representative_list, name="representatives"),
    path(
        "representatives/<int:pk>/retire/", people_views.representative_retire, name="representative_retire"
    ),
    path("representatives/elections/", election_views.election_list, name="elections"),
    path("representatives/elections/<int:pk>/", election_views.election_detail, name="election"),
    path(
        "representatives/elections/<int:pk>/correct/",
        election_views.election_correct,
        name="election_correct",
    ),
    path(
        "representatives/elections/<int:pk>/document/",
        election_views.election_document,
        name="election_document",
    ),
    path("<int:pk>/", views.vote_detail, name="detail"),
    path("<int:pk>/cast/", views.vote_cast, name="cast"),
    path("<int:pk>/results/", views.vote_results, name="results"),
    path("<int:pk>/receipt/", views.vote_receipt, name="receipt"),
    path("<int:pk>/publish/", views.vote_publish, name="publish"),
    path("<int:pk>/close/", views.vote_close, name="close"),
    path("<int:pk>/paper-codes/", paper_views.paper_codes, name="paper_codes"),
    path("<int:pk>/witnessed/", paper_views.witnessed, name="witnessed"),
]
