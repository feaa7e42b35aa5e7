"""The readable API docs at /api/docs/: Swagger UI served from our own static files (copied from npm's
swagger-ui-dist by scripts/build_assets.py), with its set-up script delivered as a separate file, so that the
page needs neither a CDN nor an inline script
(the Content-Security-Policy allows scripts from 'self' only).

The page is for those the menu names it to (`api.docs`: the levels above a community, auditors): others get
the refusal page, anonymous visitors the login page. The schema itself (/api/schema/) stays public."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.templatetags.static import static
from django.utils.translation import gettext_lazy as _
from drf_spectacular.views import SpectacularSwaggerSplitView

from grassroots.access.scoping import has_perm


class ApiDocsView(SpectacularSwaggerSplitView):
    title = _("基层治理平台 API 文档")  # the page's title, in the reader's language
    template_name = "api/docs.html"  # drf-spectacular's page, with <html lang> (no inline script or style)

    @staticmethod
    def _swagger_ui_resource(filename):
        return static(f"vendor/swagger-ui/{filename}")

    @staticmethod
    def _swagger_ui_favicon():
        return static("grassroots/favicon.svg")  # the site's own icon, as on every other page


def api_docs_view(**initkwargs):
    """The docs page behind Django's login and `api.docs` (outside DRF: a refusal is the site's 403 page)."""
    view = ApiDocsView.as_view(**initkwargs)

    @login_required
    @wraps(view)
    def guarded(request, *args, **kwargs):
        if not has_perm(request.user, "api.docs"):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return guarded
