from django.urls import path

from grassroots.imports import views

app_name = "imports"
urlpatterns = [
    path("<int:pk>/", views.import_detail, name="detail"),
    path("<int:pk>/rejected/", views.import_rejected, name="rejected"),
    path("<int:pk>/file/", views.import_file, name="file"),
    path("exports/<int:pk>/", views.export_detail, name="export_detail"),
    path("exports/list/<slug:kind>/", views.list_export, name="list_export"),
    path("exports/<int:pk>/download/", views.export_download, name="export_download"),
]
