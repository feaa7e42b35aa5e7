"""Forms of the admission pages; the rules are the services'."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from grassroots.core.admission import selectors


class AreaChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.name}（{obj.level_label}）"


class _Terms(forms.Form):
    name = forms.CharField(label=_("事项名称"), max_length=150)
    legal_basis = forms.CharField(label=_("设立依据"), widget=forms.Textarea(attrs={"rows": 2}))
    powers = forms.CharField(
        label=_("随事下放的权力"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("权随责走：社区承接该事项时一并获得的权限。"),
    )
    funds_per_community = forms.DecimalField(
        label=_("工作经费（元/社区/年）"),
        max_digits=12,
        decimal_places=2,
        min_value=Decimal("0"),
        help_text=_("费随事转：每个承接社区每年随事项拨付的经费。"),
    )
    valid_from = forms.DateField(label=_("有效期自"), widget=forms.DateInput(attrs={"type": "date"}))
    valid_to = forms.DateField(
        label=_("有效期至"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("留空表示长期有效"),
    )


class RequestForm(_Terms):
    area = AreaChoiceField(label=_("承接事务的街道（乡镇）"), queryset=None)
    department = forms.CharField(label=_("申请部门"), max_length=100, help_text=_("以哪个部门的名义申请"))
    justification = forms.CharField(label=_("申请理由"), widget=forms.Textarea(attrs={"rows": 3}))

    field_order = ["area", "department", "name", "legal_basis", "justification", "powers"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = selectors.request_areas(user)


class AffairForm(_Terms):
    area = AreaChoiceField(label=_("适用区域"), queryset=None, help_text=_("该区域下的所有社区可承接此事项"))
    department = forms.CharField(label=_("责任部门"), max_length=100)
    powers = forms.CharField(
        label=_("随事下放的权力"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    field_order = ["area", "name", "department", "legal_basis", "powers"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = selectors.catalog_areas(user)


class EndAffairForm(forms.Form):
    valid_to = forms.DateField(label=_("有效期至"), widget=forms.DateInput(attrs={"type": "date"}))
