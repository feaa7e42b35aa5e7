from django.urls import path

from grassroots.core.admission import views, views_funds

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
    path("funds/", views_funds.funds_list, name="funds_list"),
    path("funds/new/", views_funds.funds_create, name="funds_create"),
    path("funds/area-options/", views_funds.funds_area_options, name="funds_area_options"),
    path("funds/bulk/", views_funds.funds_bulk, name="funds_bulk"),
    path("funds/overview/", views_funds.funds_overview, name="funds_overview"),
    path("funds/<int:pk>/", views_funds.funds_detail, name="funds_detail"),
    path("funds/<int:pk>/transfer/", views_funds.funds_transfer, name="funds_transfer"),
    path("funds/<int:pk>/allot/", views_funds.funds_street_allot, name="funds_street_allot"),
    path("funds/<int:pk>/receive/", views_funds.funds_receive, name="funds_receive"),
]
