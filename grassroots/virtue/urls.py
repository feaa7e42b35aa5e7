from django.urls import path

from grassroots.virtue import views, views_brands, views_campaigns, views_points

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
    path("points/", views_points.my_points, name="my_points"),
    path("points/ledger/", views_points.ledger, name="points_ledger"),
    path("points/<int:pk>/reverse/", views_points.reverse_line, name="points_reverse"),
    path("store/", views_points.store, name="store"),
    path("store/<int:pk>/exchange/", views_points.exchange, name="exchange"),
    path("store/manage/", views_points.store_admin, name="store_admin"),
    path("store/items/<int:pk>/edit/", views_points.item_edit, name="store_item_edit"),
    path("store/items/<int:pk>/restock/", views_points.item_restock, name="store_item_restock"),
    path("store/items/<int:pk>/photo/", views_points.item_photo, name="store_item_photo"),
    path("exchanges/<int:pk>/pick-up/", views_points.pick_up, name="exchange_pick_up"),
    path("exchanges/<int:pk>/cancel/", views_points.cancel, name="exchange_cancel"),
    path("campaigns/", views_campaigns.campaign_list, name="campaign_list"),
    path("campaigns/new/", views_campaigns.campaign_create, name="campaign_create"),
    path("campaigns/organizations/", views_campaigns.campaign_orgs, name="campaign_orgs"),
    path("campaigns/<int:pk>/", views_campaigns.campaign_detail, name="campaign_detail"),
    path("campaigns/<int:pk>/edit/", views_campaigns.campaign_edit, name="campaign_edit"),
    path("campaigns/<int:pk>/nominate/", views_campaigns.campaign_nominate, name="campaign_nominate"),
    path(
        "campaigns/<int:pk>/nominating-orgs/",
        views_campaigns.nominating_orgs,
        name="nominating_orgs",
    ),
    path("nominations/<int:pk>/", views_campaigns.nomination_detail, name="nomination_detail"),
    path(
        "nominations/<int:pk>/materials/<int:material_pk>/",
        views_campaigns.nomination_material,
        name="nomination_material",
    ),
    path("venues/map/", views_brands.venue_map, name="venue_map"),
    path("brands/", views_brands.brand_list, name="brand_list"),
    path("brands/<int:pk>/", views_brands.brand_detail, name="brand_detail"),
    path("actions/", views_brands.action_list, name="action_list"),
    path("actions/<int:pk>/", views_brands.action_detail, name="action_detail"),
    path("actions/<int:pk>/check-in/", views_brands.action_check_in, name="action_check_in"),
    path("actions/<int:pk>/renew-code/", views_brands.action_renew_code, name="action_renew_code"),
    path("calendar/", views_brands.event_calendar, name="calendar"),
]
