from django.core.exceptions import ImproperlyConfigured
from rest_framework.pagination import PageNumberPagination

from grassroots.pages import rows_of_keys


class StandardPagination(PageNumberPagination):
    """`?page=N` (from 1) and `?page_size=M` (default 50, at most 500). The answer is
    {"count", "next", "previous", "results"}."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500


class KeysFirstMixin:
    """For an API list whose rows are costly (aggregates over a join, prefetched rows): the count and the
    page's keys come from the scoped, filtered and ordered queryset without them, then `row_extras(queryset)`
    adds what the rows show, for the page's keys only (`pages.paginate_by_pk` for the pages). Every other
    action (a record, the answer of a write) reads through `row_extras` as before.

    Why: an aggregate annotation makes the paginator's COUNT a count over the whole grouped join, and the page
    a GROUP BY of every row in scope sorted for 50; at tier M `/api/orglife-reports/` aggregated the
    attendance of every report of the city twice per request (docs/performance.md). The filters and the order
    must not name what `row_extras` adds."""

    def row_extras(self, queryset):
        return queryset

    def get_queryset(self):
        queryset = super().get_queryset()
        return queryset if getattr(self, "action", None) == "list" else self.row_extras(queryset)

    def paginate_queryset(self, queryset):
        keys = super().paginate_queryset(queryset.values_list("pk", flat=True))
        if keys is None:
            raise ImproperlyConfigured(f"{type(self).__name__}: KeysFirstMixin needs a paginated list")
        return rows_of_keys(queryset, list(keys), lambda rows: self.row_extras(rows).order_by())
