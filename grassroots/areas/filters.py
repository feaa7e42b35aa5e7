"""The Party organizations list's one FilterSet, for the 党组织 page and `/api/party-orgs/` alike."""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters

from grassroots.api.filters import IdFilter, SubtreeFilter
from grassroots.areas.models import PartyOrg, PartyOrgKind


class _RetiredSelect(forms.NullBooleanSelect):
    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = (("false", _("现有组织")), ("true", _("已撤销")), ("unknown", _("全部")))


class PartyOrgFilter(filters.FilterSet):
    """`?area=` (its subtree), `?kind=`, `?parent=`, `?q=` (name contains, or code starts with), `?retired=`
    (true / false; the page asks for `false` unless told otherwise, the API lists both)."""

    area = SubtreeFilter(label=_("所在区域位于该区域（含下级）"))
    kind = filters.ChoiceFilter(choices=PartyOrgKind.choices, label=_("类型"), empty_label=_("全部类型"))
    parent = IdFilter(field_name="parent_id", label=_("上级组织的 id"))
    q = filters.CharFilter(method="filter_q", label=_("名称或编码"))
    retired = filters.BooleanFilter(label=_("状态"), widget=_RetiredSelect)

    class Meta:
        model = PartyOrg
        fields = ["area", "kind", "parent", "q", "retired"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(name__icontains=value) | Q(code__startswith=value)) if value else queryset
