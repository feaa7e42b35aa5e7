"""`POST /api/<list>/search/`: a list searched by an ID or phone number sent in the body, never in the URL
(the rule and the filter backend: api/search.py)."""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError

from grassroots.portal.search import PRIVATE_FIELDS

NO_QUERY = _("请填写要查找的内容（q）。")

SEARCH_BODY = inline_serializer(
    "PrivateSearch",
    {"q": serializers.CharField(help_text=_("查找内容：姓名、身份证号或手机号（号码只能放在请求体里）"))},
)


class PostSearchMixin:
    """`POST …/search/` with `{"q": …}`: the list, searched by what the body says (see api/search.py)."""

    searches_by_post = True  # the filter backend's refusal of a number in ?q= points here

    @extend_schema(request=SEARCH_BODY, summary=_("按号码查找（POST，号码不进网址）"))
    @action(detail=False, methods=["post"], url_path="search")
    def search(self, request, *args, **kwargs):
        # A body that is no object (a JSON list, string, number, null) has no q: the same 400, not a 500.
        body = request.data if isinstance(request.data, Mapping) else {}
        posted = {field: str(body.get(field, "") or "").strip() for field in PRIVATE_FIELDS}
        if not any(posted.values()):
            raise ValidationError({"q": [NO_QUERY]}, code="required")
        request.posted_search = posted
        return self.list(request, *args, **kwargs)
