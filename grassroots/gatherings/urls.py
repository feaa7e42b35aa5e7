from django.urls import path

from grassroots.gatherings.views import actions, pages, series

app_name = "gatherings"
urlpatterns = [
    path("", pages.gathering_list, name="list"),
    path("new/", pages.gathering_create, name="create"),
    path("<int:pk>/", pages.gathering_detail, name="detail"),
    path("<int:pk>/edit/", pages.gathering_edit, name="edit"),
    path("<int:pk>/attendance/", pages.attendance, name="attendance"),
    path("<int:pk>/photos/<int:photo_pk>/", pages.photo, name="photo"),
    path("<int:pk>/sign-up/", actions.sign_up, name="sign_up"),
    path("<int:pk>/cancel-sign-up/", actions.cancel_sign_up, name="cancel_sign_up"),
    path("<int:pk>/check-in/", actions.check_in, name="check_in"),
    path("<int:pk>/check-out/", actions.check_out, name="check_out"),
    path("<int:pk>/minutes/", actions.minutes, name="minutes"),
    path("<int:pk>/decisions/", actions.add_decision, name="add_decision"),
    path("<int:pk>/photos/", actions.add_photo, name="add_photo"),
    path("<int:pk>/invite/", actions.invite, name="invite"),
    path("<int:pk>/guests/", actions.add_guest, name="add_guest"),
    path("<int:pk>/guests/<int:guest_pk>/remove/", actions.remove_guest, name="remove_guest"),
    path("series/<int:pk>/", series.series_detail, name="series_detail"),
    path("series/<int:pk>/edit/", series.series_edit, name="series_edit"),
    path("series/<int:pk>/cancel/", series.series_cancel, name="series_cancel"),
]
