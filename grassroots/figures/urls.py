from django.urls import path

from grassroots.figures import views

app_name = "figures"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
]
