"""API searches that never put an ID or phone number in a URL (the pages' rule, portal/search.py).

A URL reaches the access logs of the web server and the proxy. So on every API list a `q` that holds a
number (6 digits or more in a row, `portal.search.holds_number`) is refused in the query string with a 400
that says where to send it; lists that search by number take it in the body of `POST /api/<list>/search/`
(`search_post.PostSearchMixin`): `{"q": "5118…"}`, the other filters staying in the query string
(`?status=normal&page=2`). The answer is the list's, paginated the same way.

This module is the filter backend of settings.REST_FRAMEWORK, loaded while DRF itself loads: it imports
nothing of DRF's views (the action lives in search_post.py).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.exceptions import ValidationError

from grassroots.portal.search import PRIVATE_FIELDS, holds_number

NUMBER_IN_URL = _(
    "号码不能放在网址里（会写进访问日志）：按证件号或手机号查找请用 POST %(path)ssearch/，在请求体中提交 q。"
)
NUMBER_NOT_SEARCHED = _("号码不能放在网址里（会写进访问日志），此列表也不按号码查找。")


class PrivateSearchFilterBackend(DjangoFilterBackend):
    """django-filter's backend for every viewset: a number in `q` is refused in the URL (400); a POSTed
    search (`PostSearchMixin`) puts its `q` from the body in place of the URL's."""

    def get_filterset_kwargs(self, request, queryset, view):
        kwargs = super().get_filterset_kwargs(request, queryset, view)
        data = kwargs["data"].copy()
        posted = getattr(request, "posted_search", None)
        for field in PRIVATE_FIELDS:
            if posted is not None:
                data.setlist(field, [posted[field]] if posted.get(field) else [])
            elif any(holds_number(value) for value in data.getlist(field)):
                if getattr(view, "searches_by_post", False):
                    message = NUMBER_IN_URL % {"path": request.path}
                else:
                    message = NUMBER_NOT_SEARCHED
                raise ValidationError({field: [message]}, code="number_in_url")
        kwargs["data"] = data
        return kwargs
