"""Forms of the conventions' and negotiations' pages (parse and check input; the rules live in services)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from grassroots.selfgov.forms import when
from grassroots.voting.models import Electorate, Majority


class DiscussionForm(forms.Form):
    ends_at = when(_("讨论截止时间"))


class ConventionVoteForm(forms.Form):
    electorate = forms.ChoiceField(
        label=_("投票人范围"),
        choices=[
            (Electorate.RESIDENTS, Electorate.RESIDENTS.label),
            (Electorate.HOUSEHOLDS, Electorate.HOUSEHOLDS.label),
        ],
    )
    opens_at = when(_("开始时间"))
    closes_at = when(_("截止时间"))
    quorum_percent = forms.IntegerField(label=_("最低参与比例（%）"), min_value=0, max_value=100, initial=50)
    majority = forms.ChoiceField(
        label=_("通过规则"),
        choices=[(Majority.SIMPLE, Majority.SIMPLE.label), (Majority.TWO_THIRDS, Majority.TWO_THIRDS.label)],
    )
    secret = forms.BooleanField(label=_("无记名投票"), required=False, initial=True)
    per_household = forms.BooleanField(
        label=_("每户签署一次"),
        required=False,
        help_text=_("通过后每户只需一位成员签署，签署数按户统计"),
    )


class StepForm(forms.Form):
    """A step taken by a button (sign, settle the vote, amend, start): no field, so a refusal shows at the top
    of the button's own form."""
