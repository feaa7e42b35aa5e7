"""The visit form of the visit log page: it parses; services.record_visit decides."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from grassroots.gridwork import selectors
from grassroots.gridwork.filters import month_field
from grassroots.gridwork.models import Visit
from grassroots.portal.submissions import SubmissionField

VISIT_FIELDS = ("area", "resident", "household", "visited_on", "heard", "follow_up", "follow_up_note")


class VisitForm(forms.ModelForm):
    submission = SubmissionField()  # posted twice (a double click), one visit

    class Meta:
        model = Visit
        fields = list(VISIT_FIELDS)
        widgets = {
            "visited_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "heard": forms.Textarea(attrs={"rows": 3}),
            "follow_up_note": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = selectors.recordable_areas(user)
        self.fields["resident"].queryset = selectors.visitable_residents(user)
        self.fields["household"].queryset = selectors.visitable_households(user)
        self.fields["area"].empty_label = _("请选择区域")
        self.fields["resident"].empty_label = _("（不指定居民）")
        self.fields["household"].empty_label = _("（不指定住户）")

    def _post_clean(self):  # the service checks the visit as a whole
        pass


class MonthFilter(forms.Form):
    month = month_field()


class CloseFollowUpForm(forms.Form):
    note = forms.CharField(
        label=_("跟进结果"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("办了什么、结果如何，办结后从待我处理中移除。"),
    )
