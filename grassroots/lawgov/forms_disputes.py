"""Forms of the case page's steps (parse and check input; the rules live in services_disputes.py). Several
are shown on one page at once: each form gets ids of its own (`id_<prefix>_<field>`)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from grassroots.files.checks import ATTACHMENTS, MAX_ATTACHMENT_BYTES
from grassroots.files.fields import CheckedFileField
from grassroots.forms import BoundedModelMultipleChoiceField
from grassroots.lawgov import selectors_disputes as selectors
from grassroots.lawgov.models_disputes import Advice, DisputeKind

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATETIME_INPUTS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]
CARRIED_OUT = (("yes", _("已履行")), ("no", _("未履行")))


class OwnIds:
    id_prefix = ""

    def __init__(self, *args, dispute=None, **kwargs):
        kwargs.setdefault("auto_id", f"id_{self.id_prefix}_%s")
        self.dispute = dispute
        super().__init__(*args, **kwargs)


class MediatorsForm(OwnIds, forms.Form):
    id_prefix = "mediators"
    mediators = BoundedModelMultipleChoiceField(
        label=_("承办调解员"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("请选择承办单位的调解员。"),
            "invalid_choice": _("请选择承办单位的调解员。"),
            "invalid_pk_value": _("请选择承办单位的调解员。"),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mediators"].queryset = selectors.mediator_choices(self.dispute)
        self.fields["mediators"].help_text = _("本级调解组织的调解员")


class SessionForm(OwnIds, forms.Form):
    id_prefix = "session"
    held_at = forms.DateTimeField(
        label=_("调解时间"),
        widget=DATETIME,
        input_formats=DATETIME_INPUTS,
        error_messages={"required": _("请填写调解时间。"), "invalid": _("请填写正确的调解时间。")},
    )
    place = forms.CharField(
        label=_("调解地点"), max_length=200, error_messages={"required": _("请填写调解地点。")}
    )
    mediator_names = forms.CharField(
        label=_("调解员"), max_length=200, error_messages={"required": _("请填写调解员。")}
    )
    record = forms.CharField(
        label=_("调解记录"), max_length=8000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class StartForm(OwnIds, forms.Form):
    id_prefix = "start"
    comment = forms.CharField(
        label=_("说明"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class SettleForm(OwnIds, forms.Form):
    id_prefix = "settle"
    text = forms.CharField(
        label=_("调解协议内容"),
        max_length=8000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("请填写调解协议内容。")},
    )
    file = CheckedFileField(
        label=_("协议文本（签字扫描件）"), allowed=ATTACHMENTS, max_bytes=MAX_ATTACHMENT_BYTES, required=False
    )


class EscalateForm(OwnIds, forms.Form):
    id_prefix = "escalate"
    reason = forms.CharField(
        label=_("未能调解成功的原因"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("请填写上移的理由。")},
    )


class ReferForm(OwnIds, forms.Form):
    id_prefix = "refer"
    kind = forms.ChoiceField(
        label=_("转至调解类型"),
        choices=DisputeKind.choices,
        error_messages={"required": _("请选择另一种调解类型。")},
    )
    reason = forms.CharField(
        label=_("转办理由"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("请填写转办理由。")},
    )


class CloseForm(OwnIds, forms.Form):
    id_prefix = "close"
    advice = forms.ChoiceField(
        label=_("终结建议"), choices=Advice.choices, error_messages={"required": _("请选择终结建议。")}
    )
    reason = forms.CharField(
        label=_("终结理由"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("请填写终结理由。")},
    )


class VisitForm(OwnIds, forms.Form):
    id_prefix = "visit"
    note = forms.CharField(
        label=_("回访情况"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("请填写回访情况。")},
    )
    carried_out = forms.ChoiceField(
        label=_("协议是否已履行"),
        choices=CARRIED_OUT,
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择协议是否已履行。")},
    )
