"""Forms of the points store pages: they parse; the services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from grassroots.portal.submissions import SubmissionField
from grassroots.virtue import selectors_points as selectors


class StoreItemForm(forms.Form):
    area = forms.ModelChoiceField(label=_("社区"), queryset=None, empty_label=_("请选择社区"))
    name = forms.CharField(label=_("商品名称"), max_length=60)
    description = forms.CharField(label=_("说明"), max_length=300, required=False)
    price = forms.IntegerField(label=_("兑换所需积分"), min_value=1, max_value=1_000_000)
    stock = forms.IntegerField(label=_("库存"), min_value=0, max_value=1_000_000)
    active = forms.BooleanField(label=_("上架"), required=False, initial=True)
    photo = forms.FileField(
        label=_("照片"), required=False, widget=forms.FileInput(attrs={"accept": "image/*"})
    )  # checked and re-encoded by the service
    remove_photo = forms.BooleanField(label=_("删除照片"), required=False)

    def __init__(self, *args, user, editing: bool = False, has_photo: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = selectors.store_areas(user)
        if editing:  # an item stays in its community; its stock changes only by 入库 (RestockForm)
            del self.fields["area"]
            del self.fields["stock"]
        if not (editing and has_photo):
            del self.fields["remove_photo"]


class RestockForm(forms.Form):
    """入库: how many to add to the good's stock (the service adds them in the database)."""

    quantity = forms.IntegerField(
        label=_("入库数量"),
        min_value=1,
        error_messages={
            "required": _("入库数量必须是正整数。"),
            "invalid": _("入库数量必须是正整数。"),
            "min_value": _("入库数量必须是正整数。"),
        },
        widget=forms.NumberInput(attrs={"min": 1, "step": 1}),
    )
    submission = SubmissionField()  # posted twice (a double click), added once


class ReverseForm(forms.Form):
    """冲销 a line of the ledger: the reason is required (the service says so too)."""

    reason = forms.CharField(
        label=_("冲销原因"), max_length=200, error_messages={"required": _("请填写冲销原因。")}
    )


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("取消原因"), max_length=200, required=False)
