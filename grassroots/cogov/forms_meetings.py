"""Forms of the joint meetings' pages: they parse; the services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from grassroots.cogov import selectors_meetings as selectors
from grassroots.cogov.models import Partner
from grassroots.cogov.models_meetings import ActionState
from grassroots.forms import BoundedModelMultipleChoiceField
from grassroots.portal.submissions import SubmissionField

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class BodyForm(forms.Form):
    area = forms.ModelChoiceField(label=_("街道（社区）"), queryset=None)
    host = forms.ModelChoiceField(label=_("牵头党组织"), queryset=None)
    name = forms.CharField(label=_("名称"), max_length=100)
    members = BoundedModelMultipleChoiceField(
        label=_("成员单位"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    note = forms.CharField(
        label=_("议事规则与说明"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, user, body=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = selectors.host_areas(user)
        self.fields["host"].queryset = selectors.host_orgs(user)
        self.fields["members"].queryset = selectors.member_candidates(user)
        if body is not None:  # its place is fixed
            del self.fields["area"], self.fields["host"]


class MeetingForm(forms.Form):
    submission = SubmissionField()  # posted twice (a double click), one meeting
    title = forms.CharField(label=_("会议名称"), max_length=200)
    starts_at = forms.DateTimeField(label=_("开始时间"), widget=DATETIME)
    ends_at = forms.DateTimeField(label=_("结束时间"), widget=DATETIME)
    place = forms.CharField(label=_("地点"), max_length=200, required=False)
    agenda = forms.CharField(label=_("会议议程"), widget=forms.Textarea(attrs={"rows": 4}))


class MinutesForm(forms.Form):
    minutes = forms.CharField(
        label=_("会议记录"), required=False, max_length=20000, widget=forms.Textarea(attrs={"rows": 5})
    )


class DecisionForm(forms.Form):
    text = forms.CharField(label=_("决定事项"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))
    owner_partner = forms.ModelChoiceField(label=_("责任单位"), queryset=None, required=False)
    owner_user = forms.ModelChoiceField(label=_("责任人"), queryset=None, required=False)
    due_on = forms.DateField(label=_("完成期限"), widget=DATE)

    def __init__(self, *args, body, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_partner"].queryset = body.members.filter(retired=False).order_by("name")
        self.fields["owner_user"].queryset = selectors.owner_candidates(body)
        self.fields["owner_partner"].empty_label = _("请选择…")
        self.fields["owner_user"].empty_label = _("请选择…")


class AttendanceForm(forms.Form):
    """One row per member unit: present (checkbox) and who came."""

    def __init__(self, *args, members: list[Partner], rows: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.members = members
        for partner in members:
            row = rows.get(partner.pk)
            self.fields[f"present_{partner.pk}"] = forms.BooleanField(
                label=partner.name, required=False, initial=bool(row and row.present)
            )
            self.fields[f"attendee_{partner.pk}"] = forms.CharField(
                label=_("参会人员"), required=False, max_length=100, initial=row.attendee if row else ""
            )

    def rows(self):
        data = self.cleaned_data
        return [
            (p, data.get(f"present_{p.pk}", False), data.get(f"attendee_{p.pk}", ""), "")
            for p in self.members
        ]

    def pairs(self):
        return [(self[f"present_{p.pk}"], self[f"attendee_{p.pk}"]) for p in self.members]


class ActionFilter(forms.Form):
    state = forms.ChoiceField(
        label=_("状态"), required=False, choices=[("", _("全部")), *ActionState.choices]
    )
    overdue = forms.BooleanField(label=_("只看逾期"), required=False)
