"""The entities list's one FilterSet, for `/coverage/entities/` and `/api/entities/` alike."""

from __future__ import annotations

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from grassroots.api.filters import SubtreeFilter
from grassroots.core.coverage.models import CoverageStatus, Entity, EntityKind


class _FlagSelect(forms.NullBooleanSelect):
    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = (("unknown", _("全部")), ("true", _("应单独建支部")), ("false", _("无需单独建支部")))


class EntityFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(label=_("类型"), choices=EntityKind.choices, empty_label=_("全部类型"))
    status = django_filters.ChoiceFilter(
        label=_("覆盖情况"), choices=CoverageStatus.choices, empty_label=_("全部覆盖情况")
    )
    under = SubtreeFilter(label=_("所在区域（含下级）"))
    should_form_branch = django_filters.BooleanFilter(
        method="filter_flag", label=_("应单独建立党支部"), widget=_FlagSelect
    )
    q = django_filters.CharFilter(field_name="name", lookup_expr="contains", label=_("名称"))

    class Meta:
        model = Entity
        fields = ["kind", "status", "under", "should_form_branch", "q"]

    def filter_flag(self, queryset, name, value):
        """`flagged` is annotated by selectors.with_flag (both lists start from it)."""
        return queryset.filter(flagged=1 if value else 0)
