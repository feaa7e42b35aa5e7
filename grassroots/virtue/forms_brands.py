"""Forms of the brand, environmental-action and calendar pages: they parse; the services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from grassroots.gatherings.kinds import kind_label
from grassroots.virtue import selectors_brands as selectors
from grassroots.virtue.brands_setup import CALENDAR_KINDS, ENV_KINDS
from grassroots.virtue.forms import DATETIME
from grassroots.virtue.models_brands import CultureBrand


class BrandForm(forms.ModelForm):
    class Meta:
        model = CultureBrand
        fields = ["area", "kind", "name", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = selectors.brand_areas(user)
        self.fields["area"].empty_label = _("请选择社区")

    def _post_clean(self):  # the service checks the brand as a whole
        pass


class BrandActivityForm(forms.Form):
    title = forms.CharField(label=_("活动名称"), max_length=200)
    starts_at = forms.DateTimeField(label=_("开始时间"), widget=DATETIME)
    ends_at = forms.DateTimeField(label=_("结束时间"), widget=DATETIME)
    place = forms.CharField(label=_("地点"), max_length=200, required=False)
    capacity = forms.IntegerField(
        label=_("名额"), min_value=1, required=False, help_text=_("留空表示不限人数")
    )
    signup_open = forms.BooleanField(label=_("开放报名"), required=False)
    description = forms.CharField(
        label=_("活动内容"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class ActionForm(forms.Form):
    kind = forms.ChoiceField(label=_("行动类型"))
    title = forms.CharField(label=_("行动名称"), max_length=200)
    area = forms.ModelChoiceField(label=_("所属区域"), queryset=None, empty_label=_("请选择区域"))
    starts_at = forms.DateTimeField(label=_("开始时间"), widget=DATETIME)
    ends_at = forms.DateTimeField(label=_("结束时间"), widget=DATETIME)
    place = forms.CharField(label=_("集合地点"), max_length=200, required=False)
    capacity = forms.IntegerField(
        label=_("名额"), min_value=1, required=False, help_text=_("留空表示不限人数")
    )
    signup_deadline = forms.DateTimeField(
        label=_("报名截止时间"), widget=DATETIME, required=False, help_text=_("留空则截止到开始时间")
    )
    description = forms.CharField(
        label=_("行动内容"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(code, label) for code, (label, _icon) in ENV_KINDS.items()]
        self.fields["area"].queryset = selectors.action_areas(user)


class CheckInCodeForm(forms.Form):
    code = forms.CharField(
        label=_("签到码"),
        max_length=6,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "pattern": "[0-9]*"}),
    )


class CalendarFilter(forms.Form):
    month = forms.RegexField(
        label=_("月份"),
        regex=r"^\d{4}-(0[1-9]|1[0-2])$",
        required=False,
        widget=forms.DateInput(attrs={"type": "month"}),
        error_messages={"invalid": _("请按“年-月”填写月份，如 2027-01。")},
    )
    kind = forms.ChoiceField(label=_("类型"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("全部类型"))] + [(k, kind_label(k)) for k in CALENDAR_KINDS]
