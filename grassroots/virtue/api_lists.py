"""What the API lists of venues and culture brands share: the filters by area and kind. (Their changes are
PATCH only by `http_method_names`: PUT is refused with 405 before a view runs.)"""

from __future__ import annotations

from rest_framework.exceptions import ValidationError as DRFValidationError

from grassroots.access.scoping import area_from_request


class AreaKindFilterMixin:
    """The list narrowed by `?area=` (the area's subtree, one the caller may read with `area_permission`) and
    `?kind=` (one of `kinds`, else 400 with `unknown_kind` at `kind`)."""

    area_permission = ""
    kinds: tuple | list = ()
    unknown_kind = ""

    def filter_list(self, queryset):
        area = area_from_request(self.request, self.area_permission)
        if area is not None:
            queryset = queryset.filter(area__path__startswith=area.path)
        kind = self.request.query_params.get("kind")
        if kind:
            if kind not in self.kinds:
                raise DRFValidationError({"kind": [self.unknown_kind]})
            queryset = queryset.filter(kind=kind)
        return queryset
