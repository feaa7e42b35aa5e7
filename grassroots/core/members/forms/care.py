"""Forms of care (关爱): a care visit."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grassroots.core.members.forms._precisions import DateInput
from grassroots.core.members.models import CareVisitKind
from grassroots.portal.submissions import SubmissionField


class CareVisitForm(forms.Form):
    submission = SubmissionField()  # posted twice (a double click), one record
    visited_on = forms.DateField(label=_("走访日期"), widget=DateInput(), initial=timezone.localdate)
    kind = forms.ChoiceField(label=_("类型"), choices=CareVisitKind.choices)
    help_given = forms.CharField(
        label=_("帮扶内容"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    notes = forms.CharField(
        label=_("备注"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
