"""The pairing pages' forms: a unit's dual registration, a pairing with its commitments, a commitment, a
service record, the end of a pairing. Choices are cut to what the user may reach; the services decide."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grassroots.lawgov import selectors_pairings as selectors
from grassroots.lawgov.models_pairings import Department, PairingKind
from grassroots.portal.submissions import SubmissionField


def _partners(user):
    from grassroots.cogov.selectors import visible_partners

    return visible_partners(user).filter(retired=False).order_by("name")


class RegisterForm(forms.Form):
    partner = forms.ModelChoiceField(label=_("报到单位"), queryset=None)
    community = forms.ModelChoiceField(label=_("报到社区"), queryset=None)
    services_offered = forms.CharField(
        label=_("可提供的服务"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = selectors.registrable_partners(user)
        from grassroots.areas.models import Area, Level

        self.fields["community"].queryset = Area.objects.filter(level=Level.COMMUNITY, retired=False)


class PairingForm(forms.Form):
    submission = SubmissionField()  # posted twice (a double click), one pairing
    kind = forms.ChoiceField(label=_("结对类型"), choices=PairingKind.choices)
    community = forms.ModelChoiceField(label=_("结对社区"), queryset=None)
    partner = forms.ModelChoiceField(label=_("结对单位"), queryset=None)
    department = forms.ChoiceField(label=_("单位类别"), choices=Department.choices)
    community_org = forms.ModelChoiceField(
        label=_("社区党组织"), queryset=None, required=False, help_text=_("单位结对时选择")
    )
    cadre = forms.CharField(
        label=_("结对干部账号"), max_length=150, required=False, help_text=_("干部结对时填写干部的登录账号")
    )
    member = forms.ModelChoiceField(label=_("结对党员"), queryset=None, required=False)
    household = forms.ModelChoiceField(label=_("结对家庭"), queryset=None, required=False)
    started_on = forms.DateField(label=_("结对日期"), widget=forms.DateInput(attrs={"type": "date"}))
    commitments = forms.CharField(
        label=_("承诺事项"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("每行一项"),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = selectors.manageable_communities(user).order_by("path")
        self.fields["partner"].queryset = _partners(user)
        self.fields["community_org"].queryset = selectors.community_orgs(user)
        self.fields["member"].queryset = selectors.pairable_members(user)
        self.fields["household"].queryset = selectors.pairable_households(user)
        self.initial.setdefault("started_on", timezone.localdate())

    def clean_cadre(self):
        username = (self.cleaned_data.get("cadre") or "").strip()
        if not username:
            return None
        cadre = get_user_model().objects.filter(username=username, is_active=True).first()
        if cadre is None:
            raise forms.ValidationError(_("找不到该账号。"))
        return cadre


class CommitmentForm(forms.Form):
    submission = SubmissionField()  # posted twice (a double click), one commitment
    text = forms.CharField(label=_("承诺事项"), max_length=200)


class ServiceForm(forms.Form):
    submission = SubmissionField()  # posted twice (a double click), one record
    done_on = forms.DateField(label=_("服务日期"), widget=forms.DateInput(attrs={"type": "date"}))
    content = forms.CharField(label=_("服务内容"), max_length=300, widget=forms.Textarea(attrs={"rows": 2}))
    hours = forms.DecimalField(label=_("服务时长（小时）"), max_digits=5, decimal_places=1)


class EndForm(forms.Form):
    reason = forms.CharField(label=_("结束原因"), max_length=200)
