from django import forms
from django.utils.translation import gettext_lazy as _

from grassroots.audit import selectors


class AuditFilterForm(forms.Form):
    control_size = "sm"  # a row of small filters (grassroots/forms.py)

    kind = forms.ChoiceField(label=_("类别"), required=False, choices=selectors.kind_choices)
    actor = forms.CharField(label=_("操作人"), required=False, max_length=150)
    model = forms.TypedChoiceField(label=_("对象类型"), required=False, coerce=int, empty_value=None)
    date_from = forms.DateField(
        label=_("开始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("结束日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    q = forms.CharField(label=_("关键词"), required=False, max_length=100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["model"].choices = [("", _("全部")), *selectors.model_choices()]

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("结束日期不能早于开始日期。"))
        return data

    def filters(self) -> dict:
        """The filters whose values are valid (an invalid one is left out and shows its error)."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}
