"""Forms of the virtue pages: they parse; the services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from grassroots.virtue import selectors
from grassroots.virtue.models import Venue, WarningMode

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class WarningEducationForm(forms.Form):
    team = forms.ModelChoiceField(label=_("受教育班子（街道或社区）"), queryset=None, empty_label=_("请选择"))
    mode = forms.ChoiceField(label=_("教育形式"), choices=WarningMode.choices)
    title = forms.CharField(label=_("名称"), max_length=200)
    starts_at = forms.DateTimeField(label=_("开始时间"), widget=DATETIME)
    ends_at = forms.DateTimeField(label=_("结束时间"), widget=DATETIME)
    place = forms.CharField(label=_("地点"), max_length=200, required=False)
    case_summary = forms.CharField(
        label=_("案例或内容摘要"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = selectors.team_areas(user)


class YearFilter(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=1900, max_value=2100, required=False)


class VenueForm(forms.ModelForm):
    class Meta:
        model = Venue
        fields = ["kind", "name", "area", "address", "latitude", "longitude", "opened_on", "description"]
        widgets = {
            "opened_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = selectors.venue_areas(user)
        self.fields["area"].empty_label = _("请选择区域")

    def _post_clean(self):  # the service checks the venue as a whole
        pass


class VenuePhotoForm(forms.Form):
    image = forms.FileField(label=_("照片"), widget=forms.ClearableFileInput(attrs={"accept": "image/*"}))
    caption = forms.CharField(label=_("说明"), max_length=200, required=False)
