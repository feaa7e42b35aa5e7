"""When the database is away: a clear 503 page (Chinese first, like the 500 page, and like it depending on
nothing: no context processor, no session, no query), `Retry-After`, and JSON for the API. The platform
recovers by itself when the database returns: Django drops a connection that failed at the end of the
request (`close_if_unusable_or_obsolete`), and the next request connects again.

Two ways in, one answer (`database_unavailable`):
- `DatabaseUnavailableMiddleware.process_exception`: a view (or the API) raised the error;
- `portal.views.server_error` (handler500): the error was raised in a middleware — the session or the user
  loaded by the middleware below, the first to touch the database — which Django turns into a 500 at that
  layer, before any outer middleware could see the exception."""

import logging

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

DATABASE_ERRORS = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30
API_PREFIX = "/api/"


def is_database_error(exception) -> bool:
    return isinstance(exception, DATABASE_ERRORS)


def database_unavailable(request=None) -> HttpResponse:
    if request is not None and request.path_info.startswith(API_PREFIX):
        response = JsonResponse(
            {"detail": _("数据库暂时无法访问，请稍后再试。"), "code": "database_unavailable", "errors": {}},
            status=503,
            json_dumps_params={"ensure_ascii": False},
        )
    else:
        response = HttpResponse(loader.get_template("503.html").render(), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    add_never_cache_headers(response)
    return response


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not is_database_error(exception):
            return None
        logger.error("database unavailable: %s", exception, exc_info=exception)
        return database_unavailable(request)
