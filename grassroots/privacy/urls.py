from django.urls import path

from grassroots.privacy import views

app_name = "privacy"

urlpatterns = [
    path("notice/", views.notice, name="notice"),
    path("consent/", views.agree, name="consent"),
    path("consent/withdraw/", views.withdraw, name="withdraw"),
    path("mine/", views.mine, name="mine"),
    path("mine/download.xlsx", views.download, {"fmt": "xlsx"}, name="download_xlsx"),
    path("mine/download.json", views.download, {"fmt": "json"}, name="download_json"),
    path("requests/new/", views.submit, name="submit"),
    path("requests/", views.request_list, name="requests"),
    path("requests/<int:pk>/", views.request_detail, name="request_detail"),
]
