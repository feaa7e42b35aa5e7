"""Filters shared by every part's API: "in the subtree of area N", the same way everywhere."""

from django import forms
from django.forms.utils import pretty_name
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework.exceptions import ValidationError

from grassroots.access.scoping import area_from_request
from grassroots.areas.subtree import under_q
from grassroots.ids import MAX_ID


@extend_schema_field(OpenApiTypes.INT)
class SubtreeFilter(filters.Filter):
    """`?<name>=<area id>`: rows whose area lies in that area's subtree, the area itself included. An area
    the user cannot see ("areas.view") answers 404, like a missing one (`access.scoping.area_from_request`,
    as on the pages). `path_field` is the lookup of the row's area path."""

    field_class = forms.IntegerField

    def __init__(self, *, path_field: str = "area__path", **kwargs):
        self.path_field = path_field
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(**kwargs)

    def filter(self, queryset, value):
        if value is None:
            return queryset
        area = area_from_request(self.parent.request, "areas.view", param=self.field_name)
        return queryset.filter(under_q(area.path, self.path_field))


@extend_schema_field(OpenApiTypes.INT)
class IntegerFilter(filters.Filter):
    """A whole number between `min_value` and `max_value`; anything else (a decimal, text, a number out of
    range) is a 400 on the parameter, before any query or date arithmetic sees it."""

    field_class = forms.IntegerField


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": MAX_ID})
class IdFilter(IntegerFilter):
    """An id parameter (also for `method=` filters that take an id): 1 to MAX_ID."""

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(**kwargs)


# The years a record of the platform can have. Narrower than a date's 1–9999: on a datetime field (a
# gathering's start) `__year=1` begins at 0001-01-01 00:00 +08:00, before the first representable instant in
# UTC (OverflowError, a 500).
YEAR_MIN, YEAR_MAX = 1900, 2100


@extend_schema_field({"type": "integer", "minimum": YEAR_MIN, "maximum": YEAR_MAX})
class YearFilter(IntegerFilter):
    """`?year=<1900-2100>`: a calendar year. Anything else (0, 1, 10000, 2025.5, text) is a 400 on the field —
    never the 500 "year 0 is out of range" that a date's `__year` lookup raises for such values."""

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", YEAR_MIN)
        kwargs.setdefault("max_value", YEAR_MAX)
        super().__init__(**kwargs)


def int_param(request, name: str, *, min_value: int = 1, max_value: int = MAX_ID) -> int | None:
    """`?<name>=` read by hand (outside a FilterSet): None when absent or empty, else a whole number from
    `min_value` to `max_value` (an id by default) — anything else is a 400 on the parameter, in the words of
    the filters above. `str.isdigit()` is no guard: "²" is a digit to it and no number to `int()`, and a
    number past MAX_ID overflowed SQLite (both 500s, found by schemathesis)."""
    raw = request.query_params.get(name)
    if raw in (None, ""):
        return None
    try:
        return forms.IntegerField(min_value=min_value, max_value=max_value).clean(raw)
    except forms.ValidationError as exc:
        raise ValidationError({name: exc.messages}) from None


class OrderingFilter(filters.OrderingFilter):
    """django-filter's ordering whose descending choices read "姓名（倒序）" in Chinese and "Name
    (descending)" in English (django-filter's own "%s (descending)" has no Simplified Chinese)."""

    descending_fmt = gettext_lazy("{}（倒序）")

    def build_choices(self, fields, labels):
        # the labels stay lazy (django-filter formats them once, in the language of the first import)
        ascending = [(param, labels.get(field, pretty_name(param))) for field, param in fields.items()]
        descending = [
            (f"-{param}", labels.get(f"-{param}", format_lazy(self.descending_fmt, label)))
            for param, label in ascending
        ]
        return [choice for pair in zip(ascending, descending, strict=True) for choice in pair]
