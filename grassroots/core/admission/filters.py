"""The lists' FilterSets, each for its page and its API alike: the catalog (准入事项清单,
`/api/admitted-affairs/`) and the requests (准入申请, `/api/admission-requests/`)."""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters

from grassroots.api.filters import SubtreeFilter
from grassroots.core.admission.models import (
    AdmissionRequest,
    AdmittedAffair,
    FundsState,
    FundsTransfer,
    RequestState,
)

VALIDITY = [("current", _("现行有效")), ("expired", _("已失效")), ("all", _("全部"))]


class AffairFilter(filters.FilterSet):
    q = filters.CharFilter(method="filter_q", label=_("事项名称或责任部门"))
    valid = filters.ChoiceFilter(choices=VALIDITY, method="filter_valid", label=_("有效期"))
    valid_on = filters.DateFilter(method="filter_valid_on", label=_("在该日有效"))
    area = SubtreeFilter(path_field="area__path")

    class Meta:
        model = AdmittedAffair
        fields = ["department"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        return (
            queryset.filter(Q(name__icontains=value) | Q(department__icontains=value)) if value else queryset
        )

    def filter_valid(self, queryset, name, value):
        today = timezone.localdate()
        if value == "current":
            return queryset.valid_on(today)
        if value == "expired":
            return queryset.filter(valid_to__lt=today)
        return queryset

    def filter_valid_on(self, queryset, name, value):
        return queryset.valid_on(value)


class RequestFilter(filters.FilterSet):
    """`?state=` a state, or `pending`: those waiting for the user's step, oldest first (the page's first
    tab, its default); `?department=`, `?area=` (the street, with its subtree)."""

    state = filters.ChoiceFilter(
        choices=[("pending", _("待我处理")), *RequestState.choices], method="filter_state", label=_("状态")
    )
    area = SubtreeFilter(path_field="area__path")

    class Meta:
        model = AdmissionRequest
        fields = ["state", "department"]

    def filter_state(self, queryset, name, value):
        if value == "pending":
            waiting = AdmissionRequest.pending_for(self.request.user).values("pk")
            return queryset.filter(pk__in=waiting).order_by(*AdmissionRequest.pending_order)
        return queryset.filter(state=value)


class FundsFilter(filters.FilterSet):
    """The funds ledger's one FilterSet, for the 随事经费台账 page and `/api/funds-transfers/` alike."""

    area = SubtreeFilter(path_field="area__path")
    state = filters.ChoiceFilter(choices=FundsState.choices, label=_("状态"))
    year = filters.NumberFilter(label=_("年度"))
    affair = filters.NumberFilter(field_name="affair_id", label=_("准入事项"))
    q = filters.CharFilter(method="filter_q", label=_("事项名称或拨付部门"))

    class Meta:
        model = FundsTransfer
        fields = ["department"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        return (
            queryset.filter(Q(affair__name__icontains=value) | Q(department__icontains=value))
            if value
            else queryset
        )
