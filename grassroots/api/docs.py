"""The readable API docs at /api/docs/: Swagger UI served from our own static files (copied from npm's
swagger-ui-dist by scripts/build_assets.py), with its set-up script delivered as a separate file, so that the
page needs neither a CDN nor an inline script
(the Content-Security-Policy allows scripts from 'self' only)."""

from django.templatetags.static import static
from drf_spectacular.views import SpectacularSwaggerSplitView


class ApiDocsView(SpectacularSwaggerSplitView):
    title = "Grassroots API"
    template_name = "api/docs.html"  # drf-spectacular's page, with <html lang> (no inline script or style)

    @staticmethod
    def _swagger_ui_resource(filename):
        return static(f"vendor/swagger-ui/{filename}")

    @staticmethod
    def _swagger_ui_favicon():
        return static("vendor/swagger-ui/favicon-32x32.png")
