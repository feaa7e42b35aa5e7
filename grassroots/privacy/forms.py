from django import forms
from django.utils.translation import gettext_lazy as _

from grassroots.privacy.models import RequestKind


class RequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("申请类型"), choices=RequestKind.choices, widget=forms.HiddenInput)
    details = forms.CharField(
        label=_("说明"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("更正：写明哪条信息有误、正确的内容是什么。删除：可写明理由。"),
    )
