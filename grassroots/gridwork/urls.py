from django.urls import path

from grassroots.gridwork import views

app_name = "gridwork"
urlpatterns = [
    path("visits/", views.visit_list, name="visit_list"),
    path("visits/<int:pk>/", views.visit_detail, name="visit_detail"),
]
