"""Forms of the two-way service items' pages: they parse; services_items decides."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grassroots.access.scoping import scoped
from grassroots.areas.models import Area, Level
from grassroots.cogov.models import Partner, Resource, ResourceKind
from grassroots.cogov.models_items import SCORES, ItemKind, Verdict
from grassroots.cogov.selectors import MANAGE
from grassroots.cogov.selectors_items import CLAIM
from grassroots.files.checks import ATTACHMENTS
from grassroots.files.fields import CheckedFileField
from grassroots.portal.submissions import SubmissionField

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def year_choices():
    year = timezone.localdate().year
    return [(y, str(y)) for y in (year + 1, year, year - 1)]


class NeedForm(forms.Form):
    submission = SubmissionField()  # posted twice (a double click), one need
    community = forms.ModelChoiceField(label=_("社区"), queryset=Area.objects.none())
    year = forms.TypedChoiceField(label=_("年度"), coerce=int, choices=())
    title = forms.CharField(label=_("事项名称"), max_length=100)
    category = forms.ChoiceField(label=_("类别"), choices=ResourceKind.choices)
    description = forms.CharField(
        label=_("说明"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    shares = forms.IntegerField(
        label=_("份数"),
        min_value=1,
        max_value=100,
        initial=1,
        help_text=_("可拆分给几家单位分别认领；不拆分填 1。"),
    )
    unit = forms.CharField(
        label=_("每份单位"), max_length=10, required=False, help_text=_("如“次”“课时”“人”")
    )
    starts_on = forms.DateField(label=_("开始日期"), required=False, widget=DATE)
    ends_on = forms.DateField(label=_("完成期限"), required=False, widget=DATE)

    def __init__(self, *args, user, item=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = year_choices()
        self.fields["year"].initial = timezone.localdate().year
        self.fields["community"].queryset = scoped(
            Area.objects.filter(level=Level.COMMUNITY, retired=False), user, MANAGE, "path"
        ).order_by("path")
        self.fields["community"].empty_label = _("请选择…")
        if item is not None:  # the community and year of a listed need stay
            del self.fields["community"], self.fields["year"]


class ClaimForm(forms.Form):
    partner = forms.ModelChoiceField(label=_("认领单位"), queryset=Partner.objects.none())
    shares = forms.IntegerField(label=_("认领份数"), min_value=1, max_value=100, initial=1)
    planned_on = forms.DateField(label=_("计划完成日期"), widget=DATE)
    note = forms.CharField(label=_("说明"), max_length=300, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = represented(user)
        self.fields["partner"].empty_label = None


def represented(user):
    from grassroots.access.scoping import represented_partner_ids

    return Partner.objects.filter(pk__in=represented_partner_ids(user, CLAIM), retired=False).order_by("name")


class CommitForm(forms.Form):
    partner = forms.ModelChoiceField(label=_("承诺单位"), queryset=Partner.objects.none())
    community = forms.ModelChoiceField(label=_("服务社区"), queryset=Area.objects.none())
    year = forms.TypedChoiceField(label=_("年度"), coerce=int, choices=())
    resource = forms.ModelChoiceField(
        label=_("对应资源"),
        queryset=Resource.objects.none(),
        required=False,
        help_text=_("可从本单位登记的资源中选择"),
    )
    title = forms.CharField(label=_("资源名称"), max_length=100, required=False)
    category = forms.ChoiceField(
        label=_("类别"), choices=[("", _("随所选资源")), *ResourceKind.choices], required=False
    )
    description = forms.CharField(
        label=_("说明"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    shares = forms.IntegerField(label=_("份数"), min_value=1, max_value=100, initial=1)
    unit = forms.CharField(label=_("每份单位"), max_length=10, required=False)
    planned_on = forms.DateField(label=_("计划完成日期"), widget=DATE)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        from grassroots.cogov.services_items import open_communities

        partners = represented(user)
        self.fields["partner"].queryset = partners
        self.fields["partner"].empty_label = None
        self.fields["year"].choices = year_choices()
        self.fields["year"].initial = timezone.localdate().year
        ids = set()
        for partner in partners.select_related("area"):
            ids |= set(open_communities(partner).values_list("pk", flat=True))
        self.fields["community"].queryset = Area.objects.filter(pk__in=ids).order_by("path")
        self.fields["community"].empty_label = _("请选择…")
        self.fields["resource"].queryset = Resource.objects.filter(partner__in=partners).select_related(
            "partner"
        )
        self.fields["resource"].empty_label = _("（不对应已登记资源）")


class DeliverForm(forms.Form):
    delivered_on = forms.DateField(label=_("交付日期"), widget=DATE)
    beneficiaries = forms.IntegerField(label=_("受益人数"), min_value=0)
    note = forms.CharField(
        label=_("交付情况"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    evidence = CheckedFileField(
        label=_("佐证材料（照片、签到表等）"), allowed=ATTACHMENTS, max_bytes=10 * 1024 * 1024
    )


class RatingForm(forms.Form):
    score = forms.TypedChoiceField(
        label=_("评分（5 分最高）"),
        coerce=int,
        choices=SCORES,
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择评分（1 到 5 分）。")},
    )
    verdict = forms.ChoiceField(
        label=_("满意程度"),
        choices=Verdict.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择满意、基本满意或不满意。")},
    )
    comment = forms.CharField(label=_("评价意见"), max_length=300, required=False)


class ItemFilter(forms.Form):
    year = forms.TypedChoiceField(label=_("年度"), coerce=int, choices=(), required=False)
    kind = forms.ChoiceField(label=_("类型"), choices=[("", _("全部")), *ItemKind.choices], required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = year_choices()
