"""Forms of manage (管理): transfers (request, release), dues (amount, payment)."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grassroots.areas.models import PartyOrg, PartyOrgKind
from grassroots.core.members.forms._precisions import DateInput
from grassroots.core.members.models import DuesBracket


class BranchChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.name}（{obj.area.name}）"


class TransferRequestForm(forms.Form):
    """The new branch may lie anywhere (across scopes): every live organization but Party groups."""

    to_branch = BranchChoiceField(
        label=_("转入支部"),
        queryset=PartyOrg.objects.filter(retired=False)
        .exclude(kind=PartyOrgKind.GROUP)
        .select_related("area")
        .order_by("area__path", "name"),
    )
    reason = forms.CharField(
        label=_("转接原因"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, member=None, **kwargs):
        super().__init__(*args, **kwargs)
        if member is not None:
            self.fields["to_branch"].queryset = self.fields["to_branch"].queryset.exclude(pk=member.branch_id)


class ReleaseForm(forms.Form):
    letter_number = forms.CharField(label=_("介绍信编号"), max_length=50)
    comment = forms.CharField(
        label=_("说明"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class DuesAmountForm(forms.Form):
    """The income is used once to compute the amount and is not stored."""

    income = forms.DecimalField(
        label=_("月收入（税后，元）"),
        required=False,
        min_value=Decimal(0),
        max_digits=10,
        decimal_places=2,
        help_text=_("仅用于计算党费，不会保存。"),
    )
    category = forms.ModelChoiceField(
        label=_("或按固定金额类别"),
        required=False,
        queryset=DuesBracket.objects.filter(fixed_amount__isnull=False).order_by("name"),
    )

    def clean(self):
        data = super().clean()
        if data.get("income") is None and data.get("category") is None:
            self.add_error("income", _("请填写月收入，或选择固定金额的类别。"))
        elif data.get("income") is not None and data.get("category") is not None:
            self.add_error("category", _("填写月收入后不必再选择类别。"))
        return data


class DuesPaymentForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    month = forms.TypedChoiceField(
        label=_("月份"), coerce=int, choices=lambda: [(m, _("%(m)d月") % {"m": m}) for m in range(1, 13)]
    )
    amount = forms.DecimalField(
        label=_("金额（元）"),
        required=False,
        min_value=Decimal(0),
        max_digits=8,
        decimal_places=2,
        help_text=_("留空则按月交党费金额登记。"),
    )
    paid_on = forms.DateField(label=_("缴纳日期"), widget=DateInput(), initial=timezone.localdate)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["year"].initial = today.year
        self.fields["month"].initial = today.month
