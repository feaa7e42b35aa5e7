"""Forms of steps 4 and 5 (execution, evaluation), the supervision committee and a community's settings.
They parse input; the rules live in services/execution.py and services/evaluation.py."""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from grassroots.access.scoping import scope_q
from grassroots.accounts.models import User
from grassroots.accounts.roles import COMMUNITY_STAFF
from grassroots.areas.models import Area
from grassroots.areas.subtree import ancestor_paths, under_q
from grassroots.files.checks import ATTACHMENTS, IMAGES
from grassroots.files.fields import CheckedFileField
from grassroots.selfgov.models import CommunitySetting, Matter, RatingLevel
from grassroots.selfgov.services.execution import MAX_FILE_BYTES


def owner_candidates(matter: Matter):
    """Who may own a matter's execution: the community's staff and the residents living in it."""
    community = matter.community
    staff = Q(grants__role__in=COMMUNITY_STAFF, grants__area__path__in=ancestor_paths([community.path]))
    return (
        User.objects.filter(staff | under_q(community.path, "home_area__path"), is_active=True)
        .distinct()
        .order_by("full_name", "pk")
    )


def community_residents(community: Area):
    return User.objects.filter(
        under_q(community.path, "home_area__path"), is_active=True, verified_at__isnull=False
    ).order_by("full_name", "pk")


class PlanForm(forms.Form):
    owner = forms.ModelChoiceField(label=_("责任人"), queryset=User.objects.none())
    owner_unit = forms.CharField(label=_("责任单位"), max_length=100, required=False)
    budget = forms.DecimalField(
        label=_("预算（元）"), max_digits=12, decimal_places=2, min_value=0, required=False
    )
    milestones = forms.CharField(
        label=_("执行节点"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("每行一个：名称，权重，计划完成日期（如“施工，60，2026-05-01”）；权重之和为 100"),
    )

    def __init__(self, *args, matter: Matter, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owner_candidates(matter)


class MilestoneDoneForm(forms.Form):
    milestone = forms.ModelChoiceField(label=_("执行节点"), queryset=None)

    def __init__(self, *args, matter: Matter, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["milestone"].queryset = matter.milestones.filter(round=matter.round, done_on__isnull=True)


class UpdateForm(forms.Form):
    text = forms.CharField(label=_("进展情况"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    photo = CheckedFileField(label=_("照片"), allowed=IMAGES, max_bytes=MAX_FILE_BYTES, required=False)


class SpendingForm(forms.Form):
    amount = forms.DecimalField(label=_("金额（元）"), max_digits=12, decimal_places=2)
    spent_on = forms.DateField(label=_("支出日期"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=_("用途"), max_length=200)
    evidence = CheckedFileField(
        label=_("凭证"), allowed=ATTACHMENTS, max_bytes=MAX_FILE_BYTES, required=False
    )


class CheckForm(forms.Form):
    finding = forms.CharField(label=_("监督发现"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    photo = CheckedFileField(label=_("照片"), allowed=IMAGES, max_bytes=MAX_FILE_BYTES, required=False)


class RatingForm(forms.Form):
    level = forms.ChoiceField(label=_("您的评价"), choices=RatingLevel.choices, widget=forms.RadioSelect)
    comment = forms.CharField(
        label=_("意见"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class SupervisorForm(forms.Form):
    """A verified resident joining their community's committee: the residents of `community` (the page's
    chosen one), or on a POST any verified resident living in the keeper's scope (their home's community is
    the committee's)."""

    user = forms.ModelChoiceField(label=_("居民"), queryset=User.objects.none())

    def __init__(self, *args, community: Area | None, keeper=None, **kwargs):
        super().__init__(*args, **kwargs)
        if community is not None:
            self.fields["user"].queryset = community_residents(community)
        elif keeper is not None:
            self.fields["user"].queryset = User.objects.filter(
                scope_q(keeper, "selfgov.manage", "home_area__path"),
                is_active=True,
                verified_at__isnull=False,
            )


class SettingsForm(forms.ModelForm):
    class Meta:
        model = CommunitySetting
        fields = [
            "support_percent",
            "hearing_notice_days",
            "collection_days",
            "evaluation_days",
            "satisfaction_percent",
        ]
