from django.urls import path

from grassroots.selfgov import views

app_name = "selfgov"
urlpatterns = [
    path("", views.home, name="home"),
    path("board/", views.board, name="board"),
    path("matters/new/", views.matter_create, name="matter_create"),
    path("matters/<int:pk>/", views.matter_detail, name="matter_detail"),
    path("matters/<int:pk>/hearing/", views.matter_hearing, name="matter_hearing"),
    path("matters/<int:pk>/decision/", views.matter_decision, name="matter_decision"),
    path("matters/<int:pk>/comment/", views.matter_comment, name="matter_comment"),
    path("opinions/", views.opinion_list, name="opinion_list"),
    path("opinions/new/", views.opinion_create, name="opinion_create"),
    path("opinions/record/", views.opinion_record, name="opinion_record"),
    path("opinions/<int:pk>/", views.opinion_detail, name="opinion_detail"),
    path("opinions/<int:pk>/support/", views.opinion_support, name="opinion_support"),
    path("opinions/<int:pk>/group/", views.opinion_group, name="opinion_group"),
    path("opinions/<int:pk>/photos/<int:photo_pk>/", views.opinion_photo, name="opinion_photo"),
]
