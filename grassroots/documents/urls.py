from django.urls import path

from grassroots.documents import views

app_name = "documents"
urlpatterns = [
    path("standards/", views.standards, name="standards"),
    path("handbooks/", views.handbooks, name="handbooks"),
    path("handbooks/search/", views.search, name="search"),
    path("new/", views.create, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/v<int:number>/", views.version, name="version"),
    path("<int:pk>/diff/", views.diff, name="diff"),
    path("<int:pk>/draft/", views.draft, name="draft"),
    path("<int:pk>/draft/new/", views.new_draft, name="new_draft"),
    path("<int:pk>/draft/publish/", views.publish, name="publish"),
    path("<int:pk>/draft/attachments/", views.attachment_add, name="attachment_add"),
    path("attachments/<int:pk>/", views.attachment, name="attachment"),
    path("attachments/<int:pk>/remove/", views.attachment_remove, name="attachment_remove"),
    path("sections/<int:pk>/read/", views.confirm_read, name="confirm_read"),
    path("items/<int:pk>/", views.item, name="item"),
]
