"""Forms of educate (教育): a study record entered by hand."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grassroots.core.members.forms._precisions import DateInput


class StudyRecordForm(forms.Form):
    title = forms.CharField(label=_("课程或会议"), max_length=200)
    studied_on = forms.DateField(label=_("学习日期"), widget=DateInput(), initial=timezone.localdate)
    hours = forms.DecimalField(
        label=_("学时"),
        max_digits=4,
        decimal_places=1,
        min_value=Decimal("0.5"),
        max_value=Decimal(24),
        help_text=_("以0.5学时为单位。"),
    )
