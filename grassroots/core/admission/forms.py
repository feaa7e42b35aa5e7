"""Forms of the admission pages; the rules are the services'."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from grassroots.core.admission import selectors
from grassroots.forms import BoundedModelMultipleChoiceField, SearchSelect
from grassroots.ids import as_id
from grassroots.portal.submissions import SubmissionField


class AreaChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.name}（{obj.level_label}）"


class _Terms(forms.Form):
    name = forms.CharField(label=_("事项名称"), max_length=150)
    legal_basis = forms.CharField(label=_("设立依据"), widget=forms.Textarea(attrs={"rows": 2}))
    # Required unless a reason for going without is written: the service decides, at the field.
    powers = forms.CharField(
        label=_("随事下放的权力"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("权随责走：社区承接该事项时一并获得的权限。"),
    )
    funds_per_community = forms.DecimalField(
        label=_("工作经费（元/社区/年）"),
        max_digits=12,
        decimal_places=2,
        min_value=Decimal("0"),
        help_text=_("费随事转：每个承接社区每年随事项拨付的经费。"),
    )
    valid_from = forms.DateField(label=_("有效期自"), widget=forms.DateInput(attrs={"type": "date"}))
    valid_to = forms.DateField(
        label=_("有效期至"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("留空表示长期有效"),
    )
    exemption_reason = forms.CharField(
        label=_("免于随事下放权力或经费的理由"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("仅在确有理由不随事下放权力或拨付经费时填写，须经县级审批。"),
    )


class RequestForm(_Terms):
    submission = SubmissionField()  # posted twice (a double click), one request
    area = AreaChoiceField(label=_("承接事务的街道（乡镇）"), queryset=None)
    department = forms.CharField(label=_("申请部门"), max_length=100, help_text=_("以哪个部门的名义申请"))
    justification = forms.CharField(label=_("申请理由"), widget=forms.Textarea(attrs={"rows": 3}))

    field_order = ["area", "department", "name", "legal_basis", "justification", "powers"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = selectors.request_areas(user)


class AffairForm(_Terms):
    submission = SubmissionField()  # posted twice (a double click), one affair
    area = AreaChoiceField(label=_("适用区域"), queryset=None, help_text=_("该区域下的所有社区可承接此事项"))
    department = forms.CharField(label=_("责任部门"), max_length=100)

    field_order = ["area", "name", "department", "legal_basis", "powers"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = selectors.catalog_areas(user)


class EndAffairForm(forms.Form):
    valid_to = forms.DateField(label=_("有效期至"), widget=forms.DateInput(attrs={"type": "date"}))


DATE = forms.DateInput(attrs={"type": "date"})


class _AllotTerms(forms.Form):
    """What an allotment says besides its communities: shared by the one-community and the bulk form."""

    affair = forms.ModelChoiceField(label=_("准入事项"), queryset=None)
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    amount = forms.DecimalField(
        label=_("金额（元）"),
        max_digits=12,
        decimal_places=2,
        required=False,
        help_text=_("留空则按事项的工作经费标准"),
    )
    department = forms.CharField(
        label=_("拨付部门"), max_length=100, required=False, help_text=_("留空则为事项的责任部门")
    )
    allotted_on = forms.DateField(label=_("下达日期"), widget=DATE)
    allot_document = forms.CharField(label=_("下达文号"), max_length=100)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["affair"].queryset = selectors.allot_affairs(user)
        self.fields[self.area_field].queryset = selectors.allot_communities(user)


class AllotForm(_AllotTerms):
    """下达: one affair's funds of a year to a community, or to a street (街道统筹). The area select offers
    only the streets and communities the allotter may allot to, grouped by street; its search box (htmx)
    finds them by name, street or code — a phone cannot search a native select of 300 communities."""

    community = AreaChoiceField(
        label=_("社区或街道"),
        queryset=None,
        help_text=_("选择街道时，由街道确认到账后再下达给本街道的社区（街道统筹）"),
        error_messages={"invalid_choice": _("只能下达给您辖区内的社区或街道（街道统筹）。")},
        widget=SearchSelect(
            search_url=reverse_lazy("admission:funds_area_options"),
            placeholder=_("按社区、街道名称或区划代码查找"),
            search_label=_("查找社区或街道"),
        ),
    )

    area_field = "community"
    field_order = ["affair", "community"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        areas = selectors.allot_communities(user, streets=True)
        field = self.fields["community"]
        field.queryset = areas
        shown = list(areas[: selectors.ALLOT_OPTIONS_LIMIT])
        chosen = self.data.get("community") if self.is_bound else self.initial.get("community")
        chosen = as_id(getattr(chosen, "pk", chosen))
        if chosen and all(a.pk != chosen for a in shown):
            shown += list(areas.filter(pk=chosen))
        field.widget.choices = [("", "---------"), *selectors.allot_options(shown)]


class CommunitiesField(BoundedModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.name


class BulkAllotForm(_AllotTerms):
    """批量下达. The communities are drawn by the page grouped by street (`selectors.bulk_allot_groups`),
    with a search box; ticking 整个街道 (`streets`) takes every community of the street the allotter may allot
    to, also without a script (the script only ticks the boxes to show it)."""

    communities = CommunitiesField(
        label=_("社区"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("一次下达给所选的全部社区；任何一个社区不能下达时，全部不下达。"),
    )
    streets = CommunitiesField(
        label=_("整个街道"), queryset=None, required=False, widget=forms.MultipleHiddenInput
    )

    area_field = "communities"
    field_order = ["affair", "year", "communities"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.user = user
        self.fields["streets"].queryset = selectors.allot_streets(user)

    def clean(self):
        data = super().clean()
        streets = data.pop("streets", None) or []
        if "communities" in self.errors:
            return data
        chosen = list(data.get("communities") or [])
        chosen += [c for c in selectors.street_allot_communities(self.user, streets) if c not in chosen]
        data["communities"] = chosen
        return data


class StreetAllotForm(forms.Form):
    """街道下达: a street's received funds on to its communities (`services.allot_from_street`)."""

    communities = CommunitiesField(
        label=_("社区"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("本街道的社区；任何一个社区不能下达时，全部不下达。"),
    )
    amount = forms.DecimalField(
        label=_("每个社区的金额（元）"),
        max_digits=12,
        decimal_places=2,
        required=False,
        help_text=_("留空则按事项的工作经费标准"),
    )
    allotted_on = forms.DateField(label=_("下达日期"), widget=DATE)
    allot_document = forms.CharField(label=_("下达文号"), max_length=100)

    def __init__(self, *args, source, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["communities"].queryset = selectors.street_communities(source)


class TransferForm(forms.Form):
    transferred_on = forms.DateField(label=_("拨付日期"), widget=DATE)
    transfer_document = forms.CharField(label=_("拨付凭证号"), max_length=100)
    attachment = forms.FileField(label=_("凭证扫描件"), required=False)
    comment = forms.CharField(label=_("说明"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class ReceiveForm(forms.Form):
    received_on = forms.DateField(label=_("到账日期"), widget=DATE)
    comment = forms.CharField(label=_("说明"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
