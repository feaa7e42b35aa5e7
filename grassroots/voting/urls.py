from django.urls import path

from grassroots.voting import views

app_name = "voting"
urlpatterns = [
    path("", views.vote_list, name="list"),
    path("new/", views.vote_create, name="create"),
    path("<int:pk>/", views.vote_detail, name="detail"),
    path("<int:pk>/cast/", views.vote_cast, name="cast"),
    path("<int:pk>/receipt/", views.vote_receipt, name="receipt"),
    path("<int:pk>/publish/", views.vote_publish, name="publish"),
    path("<int:pk>/close/", views.vote_close, name="close"),
]
