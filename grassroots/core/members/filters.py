"""The FilterSets of the five precisions' records and of transfers, each for its page and its API alike: a
member's page lists their contact attempts, study records, dues and care visits, and the transfers page
its tab, through them; `/api/contact-attempts/`, `/api/study-records/`, `/api/dues-payments/`,
`/api/care-visits/` and `/api/transfers/` filter with them. Every parameter is bounded (ids, years, months:
`grassroots.api.filters`)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters

from grassroots.api.filters import IdFilter, IntegerFilter, SubtreeFilter, YearFilter
from grassroots.core.members.models import CareVisit, ContactAttempt, DuesPayment, StudyRecord, Transfer
from grassroots.core.members.models.precisions import OPEN_TRANSFER_STATES

MEMBER_PATH = "member__branch__area__path"


class RecordFilter(filters.FilterSet):
    area = SubtreeFilter(path_field=MEMBER_PATH, label=_("党员所在支部属于该区域及其下级"))
    member = IdFilter(field_name="member_id", label=_("党员的 id"))
    branch = IdFilter(field_name="member__branch_id", label=_("党支部的 id"))


class ContactAttemptFilter(RecordFilter):
    attempted_after = filters.DateFilter(field_name="attempted_on", lookup_expr="gte")
    attempted_before = filters.DateFilter(field_name="attempted_on", lookup_expr="lte")

    class Meta:
        model = ContactAttempt
        fields = ["method", "reached"]


class StudyRecordFilter(RecordFilter):
    year = YearFilter(field_name="studied_on__year", label=_("年度"))
    gathering = IdFilter(field_name="gathering_id", label=_("活动的 id"))

    class Meta:
        model = StudyRecord
        fields = ["source", "gathering"]


class DuesPaymentFilter(RecordFilter):
    year = YearFilter(label=_("年度"))
    month = IntegerFilter(min_value=1, max_value=12, label=_("月份"))

    class Meta:
        model = DuesPayment
        fields = ["year", "month"]


class CareVisitFilter(RecordFilter):
    year = YearFilter(field_name="visited_on__year", label=_("年度"))

    class Meta:
        model = CareVisit
        fields = ["kind"]


class TransferFilter(filters.FilterSet):
    member = IdFilter(field_name="member_id")
    tab = filters.ChoiceFilter(
        method="by_tab",
        choices=[("open", _("办理中")), ("history", _("已办结"))],
        label=_("open：办理中（已申请、原支部已转出）；history：已办结"),
    )
    direction = filters.ChoiceFilter(
        method="by_direction",
        choices=[("out", _("转出")), ("in", _("转入"))],
        label=_("out：从该支部转出；in：转入该支部（配合 branch 使用）"),
    )
    branch = IdFilter(method="by_branch", label=_("党支部的 id（转出或转入）"))

    class Meta:
        model = Transfer
        fields = ["state"]

    def by_tab(self, queryset, name, value):
        if value == "open":
            return queryset.filter(state__in=OPEN_TRANSFER_STATES)
        return queryset.exclude(state__in=OPEN_TRANSFER_STATES)

    def by_direction(self, queryset, name, value):
        return queryset  # applied together with `branch`

    def by_branch(self, queryset, name, value):
        direction = self.form.cleaned_data.get("direction")
        if direction == "out":
            return queryset.filter(from_branch_id=value)
        if direction == "in":
            return queryset.filter(to_branch_id=value)
        return queryset.filter(from_branch_id=value) | queryset.filter(to_branch_id=value)
