"""The visit log's filters, one definition for the page and the API: `month` ("YYYY-MM", anything else a 400
on the field with a Chinese message — never silently ignored) and, on the API, `mine`."""

from __future__ import annotations

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field

from grassroots.api.filters import YEAR_MAX, YEAR_MIN
from grassroots.gridwork.models import Visit

MONTH_REGEX = r"^\d{4}-(0[1-9]|1[0-2])$"
MONTH_INVALID = _("请按“年-月”填写月份，如 2026-05。")


class MonthRegexField(forms.RegexField):
    """ "YYYY-MM" with a month 01–12 and a year of api.filters' 1900–2100 (a date's `__year=0` lookup raises
    "year 0 is out of range": a 500)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("regex", MONTH_REGEX)
        kwargs.setdefault("error_messages", {"invalid": MONTH_INVALID})
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)  # the pattern first: four digits, a dash, 01–12
        if value and not YEAR_MIN <= int(value[:4]) <= YEAR_MAX:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return value


def month_field() -> MonthRegexField:
    """The page's month field (the same rule as the API's `?month=`)."""
    return MonthRegexField(label=_("月份"), required=False, widget=forms.DateInput(attrs={"type": "month"}))


@extend_schema_field({"type": "string", "pattern": MONTH_REGEX, "example": "2026-05"})
class MonthOfDateFilter(django_filters.Filter):
    """`?month=YYYY-MM`: rows of that calendar month of `field_name` (a date)."""

    field_class = MonthRegexField

    def filter(self, queryset, value):
        if not value:
            return queryset
        year, month = value.split("-")
        return queryset.filter(
            **{f"{self.field_name}__year": int(year), f"{self.field_name}__month": int(month)}
        )


class VisitFilter(django_filters.FilterSet):
    mine = django_filters.BooleanFilter(label=_("只看我的走访"), method="filter_mine")
    month = MonthOfDateFilter(label=_("月份，如 2026-05"), field_name="visited_on")

    class Meta:
        model = Visit
        fields = ["mine", "month"]

    def filter_mine(self, queryset, name, value):
        return queryset.filter(worker=self.request.user) if value else queryset
