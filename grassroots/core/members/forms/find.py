"""Forms of find (寻找): a contact attempt, and registering a member as mobile."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grassroots.core.members.forms._precisions import DateInput
from grassroots.core.members.models import ContactMethod
from grassroots.portal.submissions import SubmissionField


class ContactAttemptForm(forms.Form):
    submission = SubmissionField()  # posted twice (a double click), one record
    attempted_on = forms.DateField(label=_("联系日期"), widget=DateInput(), initial=timezone.localdate)
    method = forms.ChoiceField(label=_("联系方式"), choices=ContactMethod.choices)
    reached = forms.BooleanField(label=_("已联系上本人"), required=False)
    result = forms.CharField(
        label=_("联系结果"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class MobileForm(forms.Form):
    mobile_location = forms.CharField(
        label=_("流动去向（现居住地）"),
        required=False,
        max_length=100,
        help_text=_("只登记党员本人或所在支部掌握的情况，如“成都市武侯区”。"),
    )
    mobile_work = forms.CharField(label=_("流动去向（现工作单位）"), required=False, max_length=100)
    comment = forms.CharField(
        label=_("说明"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean(self):
        data = super().clean()
        if not (data.get("mobile_location") or data.get("mobile_work")):
            self.add_error("mobile_location", _("请填写现在的居住地或工作单位。"))
        return data


class WhereaboutsForm(forms.Form):
    """A mobile member's own update of where they live and work now (我的)."""

    mobile_location = MobileForm.base_fields["mobile_location"]
    mobile_work = MobileForm.base_fields["mobile_work"]

    def clean(self):
        data = super().clean()
        if not (data.get("mobile_location") or data.get("mobile_work")):
            self.add_error("mobile_location", _("请填写现在的居住地或工作单位。"))
        return data
