from django.urls import path

from grassroots.clock import views

app_name = "clock"
urlpatterns = [
    path("", views.overview, name="overview"),
]
