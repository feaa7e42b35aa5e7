from django.urls import path

from grassroots.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("home/blocks/<slug:name>/", views.home_block, name="home_block"),
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("todo/", views.todo, name="todo"),
    path("switch-area/", views.switch_area, name="switch_area"),
    path("notices/", views.notice_list, name="notice_list"),
    path("notices/new/", views.notice_create, name="notice_create"),
    path("notices/<int:pk>/", views.notice_detail, name="notice_detail"),
    path("notices/<int:pk>/edit/", views.notice_edit, name="notice_edit"),
    path("notices/<int:pk>/delete/", views.notice_delete, name="notice_delete"),
]
