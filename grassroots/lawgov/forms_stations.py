"""The station pages' forms: a consultation recorded by a legal worker (with its referral): the resident who
asked, found by name among the station's community residents (a search box, not a select of every one), and
the session it was given at, among the station's own recent and coming occurrences."""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grassroots.lawgov.forms_filing import ResidentSelect, offer_residents
from grassroots.lawgov.models_stations import Consultation, Referral

SESSION_DAYS = 30  # the occurrences offered: those of the last month and the coming ones


class ConsultationForm(forms.ModelForm):
    resident = forms.ModelChoiceField(
        label=_("咨询人"),
        queryset=None,
        required=False,
        widget=ResidentSelect(),
        help_text=_("本社区居民，输入姓名查找；可留空"),
        error_messages={"invalid_choice": _("咨询人须是本社区的居民。")},
    )
    occurrence = forms.ModelChoiceField(
        label=_("服务场次"),
        queryset=None,
        required=False,
        help_text=_("在某次服务场次中咨询时选择，可留空"),
        error_messages={"invalid_choice": _("该场次不属于本法律服务站。")},
    )
    respondent = forms.CharField(
        label=_("对方当事人"),
        max_length=100,
        required=False,
        help_text=_("转人民调解时填写，可留空"),
    )

    class Meta:
        model = Consultation
        fields = ["resident", "occurrence", "topic", "question", "answer", "referral", "referred_to"]
        widgets = {
            "question": forms.Textarea(attrs={"rows": 3}),
            "answer": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, station, **kwargs):
        from grassroots.lawgov.selectors_filing import station_residents
        from grassroots.lawgov.selectors_stations import occurrences

        super().__init__(*args, **kwargs)
        offer_residents(
            self.fields["resident"],
            station_residents(station),
            self.data.get("resident") if self.is_bound else None,
        )
        since = timezone.now() - timedelta(days=SESSION_DAYS)
        self.fields["occurrence"].queryset = occurrences([station.pk], upcoming=False).filter(
            ends_at__gte=since
        )
        self.fields["occurrence"].label_from_instance = lambda o: (
            f"{timezone.localtime(o.starts_at):%Y-%m-%d %H:%M} {o.title}"
        )

    def clean(self):
        data = super().clean()
        if data.get("referral") == Referral.OTHER_BODY and not (data.get("referred_to") or "").strip():
            self.add_error("referred_to", _("请填写转交的单位。"))
        return data
