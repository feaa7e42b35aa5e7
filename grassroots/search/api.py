"""`GET /api/search/?q=&kind=`: the search box's results, paginated like every list (`count`, `next`,
`previous`, `results`), each result with its `kind` so a client can group them; `title_marked` and
`summary_marked` are the texts HTML-escaped with the query's words in <mark>. Scoped like the pages: a kind's
result only when the kind's list shows the record to the caller. A number (6 digits or more) in `q` is
refused with a 400 (a URL is logged; the index holds no ID or phone number anyway)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.exceptions import ValidationError

from grassroots.api.pagination import StandardPagination
from grassroots.api.search import NUMBER_NOT_SEARCHED
from grassroots.portal.search import holds_number
from grassroots.search import selectors
from grassroots.search.kinds import KIND_CHOICES
from grassroots.search.models import SearchEntry

MAX_QUERY = 100


class SearchParams(serializers.Serializer):
    q = serializers.CharField(required=False, allow_blank=True, max_length=MAX_QUERY, trim_whitespace=True)
    kind = serializers.ChoiceField(choices=KIND_CHOICES, required=False, allow_blank=True)

    def validate_q(self, value: str) -> str:
        if holds_number(value):
            raise ValidationError(NUMBER_NOT_SEARCHED, code="number_in_url")
        return value


class SearchResultSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=KIND_CHOICES, help_text=_("记录的类别"))
    kind_label = serializers.CharField()
    id = serializers.IntegerField(source="object_id", help_text=_("记录在其类别中的编号"))
    title = serializers.CharField()
    summary = serializers.CharField()
    place = serializers.CharField()
    url = serializers.CharField(help_text=_("记录的页面"))
    title_marked = serializers.CharField(source="title_html")
    summary_marked = serializers.CharField(source="summary_html")


class SearchViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    queryset = SearchEntry.objects.none()
    serializer_class = SearchResultSerializer
    pagination_class = StandardPagination
    filter_backends: list = []

    @extend_schema(
        parameters=[
            OpenApiParameter("q", OpenApiTypes.STR, description="关键词、姓名或拼音首字母（不接受号码）"),
            OpenApiParameter("kind", OpenApiTypes.STR, enum=[key for key, _label in KIND_CHOICES]),
        ],
    )
    def list(self, request, *args, **kwargs):
        params = SearchParams(data=request.query_params)
        params.is_valid(raise_exception=True)
        query = params.validated_data.get("q", "")
        kind = params.validated_data.get("kind") or None
        found = selectors.results(request.user, query, kind)
        page = self.paginate_queryset(found)
        hits = selectors.hits(page, query)
        return self.get_paginated_response(self.get_serializer(hits, many=True).data)


def register(router) -> None:
    router.register("search", SearchViewSet, basename="search")
