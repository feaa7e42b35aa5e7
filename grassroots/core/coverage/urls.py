from django.urls import path

from grassroots.core.coverage import views

app_name = "coverage"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("gaps/", views.gaps, name="gaps"),
    path("entities/", views.entity_list, name="entity_list"),
    path("entities/new/", views.entity_form, name="entity_create"),
    path("entities/<int:pk>/", views.entity_detail, name="entity_detail"),
    path("entities/<int:pk>/edit/", views.entity_form, name="entity_edit"),
    path("instructors/", views.instructor_list, name="instructor_list"),
    path("instructors/new/", views.instructor_create, name="instructor_create"),
    path("instructors/<int:pk>/", views.instructor_detail, name="instructor_detail"),
    path("cross-appointments/", views.cross_list, name="cross_list"),
    path("cross-appointments/new/", views.cross_create, name="cross_create"),
    path("teams/", views.team_list, name="team_list"),
    path("teams/new/", views.team_create, name="team_create"),
    path("teams/<int:pk>/", views.team_detail, name="team_detail"),
]
