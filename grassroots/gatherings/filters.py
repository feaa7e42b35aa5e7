"""The one filter of gathering lists, used by the list page and by the API alike."""

from __future__ import annotations

import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grassroots.api.filters import IdFilter
from grassroots.areas.models import Area
from grassroots.areas.subtree import under_q
from grassroots.gatherings.kinds import kind_choices
from grassroots.gatherings.models import Gathering, Status

WHEN_CHOICES = [("upcoming", _("即将举行")), ("past", _("已结束"))]


class GatheringFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(
        label=_("类型"),
        choices=kind_choices,
        empty_label=_("全部类型"),
    )
    status = django_filters.ChoiceFilter(
        label=_("状态"),
        choices=Status.choices,
        empty_label=_("全部状态"),
    )
    when = django_filters.ChoiceFilter(
        label=_("时间"),
        choices=WHEN_CHOICES,
        method="filter_when",
        empty_label=_("全部时间"),
    )
    area = IdFilter(label=_("区域（含下级）"), method="filter_area")
    series = IdFilter(label=_("周期性活动"), field_name="series_id")
    starts_after = django_filters.DateFilter(
        label=_("开始日期不早于"), field_name="starts_at", lookup_expr="date__gte"
    )
    starts_before = django_filters.DateFilter(
        label=_("开始日期不晚于"), field_name="starts_at", lookup_expr="date__lte"
    )

    class Meta:
        model = Gathering
        fields = ["kind", "status", "when", "area", "series", "starts_after", "starts_before"]

    def filter_when(self, queryset, name, value):
        now = timezone.now()
        if value == "upcoming":
            # Still to come or going on now; listed soonest first.
            return (
                queryset.filter(ends_at__gte=now).exclude(status=Status.CANCELLED).order_by("starts_at", "pk")
            )
        if value == "past":
            return queryset.filter(ends_at__lt=now)
        return queryset

    def filter_area(self, queryset, name, value):
        """Gatherings of that area and everything under it. An area the user cannot see changes nothing:
        the rows were already cut to the user's visibility."""
        path = Area.objects.filter(pk=value).values_list("path", flat=True).first()
        if path is None:
            return queryset.none()
        return queryset.filter(under_q(path))
