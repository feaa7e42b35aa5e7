"""Forms of the campaign pages: they parse; the services decide."""

from __future__ import annotations

from django import forms
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext_lazy as _

from grassroots.access.scoping import scoped
from grassroots.areas.models import Area, Level, PartyOrg
from grassroots.areas.subtree import under_q
from grassroots.forms import SearchSelect
from grassroots.ids import as_id
from grassroots.portal.submissions import SubmissionField
from grassroots.virtue import selectors
from grassroots.virtue.models_campaigns import PUBLICITY_DAYS, CampaignKind
from grassroots.workflow.forms import MultipleFileField

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


ORG_OPTIONS_LIMIT = 20


def campaign_areas(user):
    """The areas a campaign may be held in: community level and above within the user's grant."""
    return selectors.venue_areas(user).filter(level__lte=Level.COMMUNITY)


def campaign_orgs(user):
    orgs = scoped(PartyOrg.objects.filter(retired=False), user, selectors.MANAGE)
    return orgs.order_by("area__path", "name")


def org_options(orgs) -> list[tuple[int, str]]:
    return [(o.pk, f"{o.name}（{o.area.name}）") for o in orgs.select_related("area")]


class CampaignForm(forms.Form):
    """Start or edit a campaign. The organizing organization is searched (htmx, `virtue:campaign_orgs`),
    never listed whole: a city holds thousands of Party organizations. Its token (`submission`) on the new
    campaign's page only: an edit keeps `fields`."""

    submission = SubmissionField()  # posted twice (a double click), one campaign
    area = forms.ModelChoiceField(label=_("评选范围"), queryset=None, empty_label=_("请选择区域"))
    organization = forms.ModelChoiceField(
        label=_("主办组织"),
        queryset=None,
        required=False,
        widget=SearchSelect(
            search_url=reverse_lazy("virtue:campaign_orgs"),
            placeholder=_("按党组织名称查找"),
            search_label=_("查找主办组织"),
        ),
    )
    kind = forms.ChoiceField(label=_("评选类型"), choices=CampaignKind.choices)
    title = forms.CharField(label=_("评选名称"), max_length=200)
    description = forms.CharField(
        label=_("评选说明"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    places = forms.IntegerField(label=_("评选名额"), min_value=1, max_value=1000)
    votes_per_voter = forms.IntegerField(label=_("每人可投票数"), min_value=1, max_value=1000, initial=1)
    nominations_close_at = forms.DateTimeField(label=_("提名截止时间"), widget=DATETIME)
    publicity_days = forms.IntegerField(
        label=_("公示天数"), min_value=PUBLICITY_DAYS, max_value=90, initial=PUBLICITY_DAYS
    )

    def __init__(self, *args, user, fields=None, **kwargs):
        super().__init__(*args, **kwargs)
        if fields is not None:
            for name in list(self.fields):
                if name not in fields:
                    del self.fields[name]
        if "area" in self.fields:
            self.fields["area"].queryset = campaign_areas(user)
        if "organization" in self.fields:
            orgs = campaign_orgs(user)
            field = self.fields["organization"]
            field.queryset = orgs
            chosen = self.data.get("organization") if self.is_bound else self.initial.get("organization")
            chosen = as_id(getattr(chosen, "pk", chosen))
            shown = orgs.filter(pk=chosen) if chosen else orgs.none()
            field.widget.choices = [("", _("（不指定）")), *org_options(shown)]


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("取消原因"), widget=forms.Textarea(attrs={"rows": 2}))


class MaterialsForm(forms.Form):
    materials = MultipleFileField(label=_("补充材料（图片、PDF、Word 等）"))


class NominationForm(forms.Form):
    """Nominate. 提名单位 lists the Party organizations the user may nominate for in this campaign
    (`selectors_campaigns.nominating_orgs`): a select of them all when they are few (a community's staff), a
    search (htmx, `virtue:nominating_orgs`) when there are more. Required of the campaign's staff (the
    service says so); others may leave it empty and nominate as a verified resident."""

    nominee = forms.CharField(label=_("被提名人或集体"), max_length=100, required=False)
    nominee_area = forms.ModelChoiceField(
        label=_("被提名社区"), queryset=None, required=False, empty_label=_("请选择社区")
    )
    reason = forms.CharField(label=_("推荐理由和事迹"), widget=forms.Textarea(attrs={"rows": 4}))
    nominating_org = forms.ModelChoiceField(label=_("提名单位"), queryset=None, required=False)
    materials = MultipleFileField(label=_("提名材料（图片、PDF、Word 等，最多 5 个）"), required=False)

    def __init__(self, *args, campaign, staff: bool, orgs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nominee_area"].queryset = Area.objects.filter(
            under_q(campaign.area.path, "path"), level=Level.COMMUNITY, retired=False
        ).order_by("path")
        if campaign.kind == CampaignKind.INTEGRITY_COMMUNITY:
            del self.fields["nominee"]
        else:
            del self.fields["nominee_area"]
        few = list(orgs[: ORG_OPTIONS_LIMIT + 1])
        if not few and not staff:
            del self.fields["nominating_org"]
            return
        field = self.fields["nominating_org"]
        field.queryset = orgs
        empty = ("", _("请选择提名单位") if staff else _("（以居民个人身份提名）"))
        if len(few) <= ORG_OPTIONS_LIMIT:
            field.widget.choices = [empty, *((o.pk, f"{o.name}（{o.area.name}）") for o in few)]
            if len(few) == 1 and staff and not self.is_bound:
                self.initial["nominating_org"] = few[0].pk
            return
        chosen = as_id(self.data.get("nominating_org")) if self.is_bound else None
        field.widget = SearchSelect(
            search_url=reverse("virtue:nominating_orgs", args=[campaign.pk]),
            placeholder=_("按党组织名称查找"),
            search_label=_("查找提名单位"),
        )
        shown = orgs.filter(pk=chosen) if chosen else orgs.none()
        field.widget.choices = [empty, *org_options(shown)]


class ReviewForm(forms.Form):
    qualified = forms.TypedChoiceField(
        label=_("审查结果"),
        choices=[("1", _("资格审查通过")), ("0", _("未通过资格审查"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(label=_("审查意见"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class OpenVoteForm(forms.Form):
    opens_at = forms.DateTimeField(label=_("投票开始时间"), widget=DATETIME)
    closes_at = forms.DateTimeField(label=_("投票截止时间"), widget=DATETIME)


class BallotForm(forms.Form):
    nominations = forms.TypedMultipleChoiceField(
        label=_("候选对象"), coerce=int, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nominations"].choices = [(n.pk, n.label) for n in candidates]


class ObjectionForm(forms.Form):
    nomination = forms.TypedChoiceField(label=_("异议对象"), coerce=int, required=False, empty_value=None)
    text = forms.CharField(label=_("异议内容"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nomination"].choices = [("", _("（整体结果）"))] + [(n.pk, n.label) for n in candidates]


class AnswerForm(forms.Form):
    objection = forms.IntegerField(widget=forms.HiddenInput)
    answer = forms.CharField(label=_("答复"), widget=forms.Textarea(attrs={"rows": 2}))


class WinnersForm(forms.Form):
    winners = forms.TypedMultipleChoiceField(
        label=_("拟评定对象（仅末位得票相同时选择）"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["winners"].choices = [(n.pk, n.label) for n in candidates]
