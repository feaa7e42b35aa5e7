from django.urls import path

from grassroots.virtue import views

app_name = "virtue"
urlpatterns = [
    path("warning/", views.warning_list, name="warning_list"),
    path("venues/", views.venue_list, name="venue_list"),
    path("venues/coverage/", views.coverage, name="coverage"),
    path("venues/<int:pk>/", views.venue_detail, name="venue_detail"),
    path("venues/<int:pk>/photos/<int:photo_pk>/", views.venue_photo, name="venue_photo"),
    path(
        "venues/<int:pk>/photos/<int:photo_pk>/delete/", views.venue_photo_delete, name="venue_photo_delete"
    ),
]
