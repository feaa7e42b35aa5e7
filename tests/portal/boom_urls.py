"""A URLconf for the error-page tests: the site's own URLs plus one view that fails."""

from django.urls import path

from grassroots.urls import handler403, handler404, handler500
from grassroots.urls import urlpatterns as site_urlpatterns


def boom(request):
    raise RuntimeError("boom")


urlpatterns = [path("boom/", boom), *site_urlpatterns]

__all__ = ["handler403", "handler404", "handler500", "urlpatterns"]
