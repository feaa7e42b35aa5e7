"""Forms of the volunteer activities' organizer page (times of a participant, reversal of a credit)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from grassroots.gatherings.forms import DATETIME_FORMAT, DateTimeInput


class TimesForm(forms.Form):
    person = forms.IntegerField(widget=forms.HiddenInput)
    checked_in_at = forms.DateTimeField(
        label=_("签到时间"), widget=DateTimeInput(), input_formats=[DATETIME_FORMAT]
    )
    checked_out_at = forms.DateTimeField(
        label=_("签退时间"), required=False, widget=DateTimeInput(), input_formats=[DATETIME_FORMAT]
    )


class ReverseForm(forms.Form):
    credit = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(label=_("撤销原因"), max_length=200)
