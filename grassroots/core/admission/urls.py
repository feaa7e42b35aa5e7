from django.urls import path

from grassroots.core.admission import views

app_name = "admission"
urlpatterns = [
    path("", views.catalog, name="catalog"),
    path("affairs/new/", views.affair_create, name="affair_create"),
    path("affairs/<int:pk>/", views.affair_detail, name="affair_detail"),
    path("affairs/<int:pk>/end/", views.affair_end, name="affair_end"),
    path("requests/", views.request_list, name="request_list"),
    path("requests/new/", views.request_create, name="request_create"),
    path("requests/<int:pk>/", views.request_detail, name="request_detail"),
    path("communities/", views.communities, name="communities"),
    path("communities/<int:pk>/", views.community_detail, name="community_detail"),
]
