from django.urls import path

from grassroots.workflow import views

app_name = "workflow"
urlpatterns = [
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/read-all/", views.notifications_read_all, name="notifications_read_all"),
    path("notifications/badge/", views.unread_badge, name="unread_badge"),
    path("notifications/<int:pk>/read/", views.notification_read, name="notification_read"),
    path("notifications/<int:pk>/open/", views.notification_open, name="notification_open"),
    path("attachments/<int:pk>/", views.attachment, name="attachment"),
    path(
        "<int:content_type_id>/<int:object_id>/<str:name>/",
        views.take_transition,
        name="transition",
    ),
]
