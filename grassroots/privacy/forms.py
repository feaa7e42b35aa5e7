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


class AgreeForm(forms.Form):
    """The consent page's form: the version read (hidden) and the box ticked."""

    version = forms.CharField(widget=forms.HiddenInput, max_length=20)
    agree = forms.BooleanField(
        label=_("我已阅读并同意《个人信息处理规则》"),
        error_messages={"required": _("请阅读并勾选同意《个人信息处理规则》。")},
    )
