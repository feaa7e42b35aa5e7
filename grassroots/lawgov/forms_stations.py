"""The station pages' forms: a consultation recorded by a legal worker (with its referral)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from grassroots.lawgov.models_stations import Consultation, Referral


class ConsultationForm(forms.ModelForm):
    respondent = forms.CharField(
        label=_("对方当事人"),
        max_length=100,
        required=False,
        help_text=_("转人民调解时填写，可留空"),
    )

    class Meta:
        model = Consultation
        fields = ["topic", "question", "answer", "referral", "referred_to"]
        widgets = {
            "question": forms.Textarea(attrs={"rows": 3}),
            "answer": forms.Textarea(attrs={"rows": 3}),
        }

    def clean(self):
        data = super().clean()
        if data.get("referral") == Referral.OTHER_BODY and not (data.get("referred_to") or "").strip():
            self.add_error("referred_to", _("请填写转交的单位。"))
        return data
