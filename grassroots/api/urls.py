"""The REST API. Each app that has an `api` module (or package) adds its viewsets to the one router with
`register(router)` and/or plain paths under /api/ with a list `extra_urls`."""

from importlib import import_module

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from grassroots.api.docs import api_docs_view

# No `.json` format-suffix routes: they doubled every route, were used by no client (the Accept header and
# `?format=` choose the renderer), and every action without a `format` argument answered them with a 500.
router = DefaultRouter()
router.include_format_suffixes = False
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
    register = getattr(module, "register", None)
    if register is None and not hasattr(module, "extra_urls"):
        raise ImproperlyConfigured(f"{module_name} defines neither register(router) nor extra_urls")
    if register is not None:
        register(router)
    extra_urls += getattr(module, "extra_urls", [])

urlpatterns = [
    *extra_urls,
    path("", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", api_docs_view(url_name="api-schema"), name="api-docs"),
]
