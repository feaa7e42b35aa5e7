"""The REST API. Each app that has an `api.py` with `register(router)` adds its viewsets to the one router."""

from importlib import import_module

from django.apps import apps
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView
from rest_framework.routers import DefaultRouter

router = DefaultRouter()
extra_urls = []

for config in apps.get_app_configs():
    if not config.name.startswith("grassroots."):
        continue
    module_name = f"{config.name}.api"
    try:
        module = import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name != module_name:
            raise
        continue
    module.register(router)
    extra_urls += getattr(module, "extra_urls", [])

urlpatterns = [
    *extra_urls,
    path("", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularRedocView.as_view(url_name="api-schema"), name="api-docs"),
]
