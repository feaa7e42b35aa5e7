"""Forms of the self-governance pages. They parse and check input; the rules live in services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from grassroots.accounts.models import User
from grassroots.areas.models import Area, Level
from grassroots.areas.subtree import under_q
from grassroots.files.checks import IMAGES
from grassroots.files.fields import CheckedFileField
from grassroots.portal.submissions import SubmissionField
from grassroots.selfgov.models import Category, Matter, MatterState
from grassroots.selfgov.services.opinions import MAX_PHOTO_BYTES
from grassroots.voting.models import Electorate, Majority

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"
DATETIME_INPUTS = [DATETIME_FORMAT, "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format=DATETIME_FORMAT, **kwargs)


def when(label) -> forms.DateTimeField:
    return forms.DateTimeField(label=label, widget=DateTimeInput(), input_formats=DATETIME_INPUTS)


def community_areas(community: Area):
    """The community and the places below it (grids, courtyards, compounds, buildings)."""
    return Area.objects.filter(under_q(community.path, "path"), retired=False).order_by("path")


class PlaceChoiceField(forms.ModelChoiceField):
    """A place of one community named by its path below the community (“惠民院落 › 1栋”): every courtyard
    has its 1栋, so the bare names would offer a column of identical choices. The names of the places above
    come from the field's own queryset (the community's subtree), in one query per form."""

    def _set_queryset(self, queryset):
        self._names = None
        super()._set_queryset(queryset)

    queryset = property(forms.ModelChoiceField._get_queryset, _set_queryset)

    def label_from_instance(self, obj: Area) -> str:
        if getattr(self, "_names", None) is None:
            self._names = {
                path: name
                for path, name, level in self.queryset.values_list("path", "name", "level")
                if level > Level.COMMUNITY
            }
        step = Area.steplen
        above = [self._names.get(obj.path[:i]) for i in range(step, len(obj.path), step)]
        return " › ".join([*(name for name in above if name), obj.name])


class OpinionForm(forms.Form):
    submission = SubmissionField()  # posted twice (a double click), one opinion
    category = forms.ChoiceField(label=_("类别"), choices=Category.choices)
    text = forms.CharField(label=_("意见内容"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4}))
    area = PlaceChoiceField(label=_("院落或地点"), queryset=Area.objects.none(), required=False)
    place = forms.CharField(label=_("具体位置"), max_length=200, required=False)
    photo = CheckedFileField(label=_("照片"), allowed=IMAGES, max_bytes=MAX_PHOTO_BYTES, required=False)
    latitude = forms.DecimalField(
        label=_("纬度"), max_digits=9, decimal_places=6, required=False, widget=forms.HiddenInput
    )
    longitude = forms.DecimalField(
        label=_("经度"), max_digits=9, decimal_places=6, required=False, widget=forms.HiddenInput
    )

    def __init__(self, *args, community: Area | None, quick: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if community is not None:
            self.fields["area"].queryset = community_areas(community).filter(level__gte=Level.GRID)
        self.fields["area"].help_text = _("留空则为您居住的院落")
        if quick:  # 随手拍: the photo is the report (the service's rule, said at the field before posting)
            self.fields["photo"].required = True
            self.fields["photo"].error_messages["required"] = _("随手拍请至少上传一张照片。")


class RecordForm(forms.Form):
    submission = SubmissionField()  # posted twice (a double click), one opinion
    resident = forms.ModelChoiceField(label=_("居民"), queryset=User.objects.none())
    category = forms.ChoiceField(label=_("类别"), choices=Category.choices)
    text = forms.CharField(label=_("听到的意见"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4}))
    place = forms.CharField(label=_("具体位置"), max_length=200, required=False)
    photo = CheckedFileField(label=_("照片"), allowed=IMAGES, max_bytes=MAX_PHOTO_BYTES, required=False)

    def __init__(self, *args, residents, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["resident"].queryset = residents


class MatterForm(forms.Form):
    submission = SubmissionField()  # posted twice (a double click), one matter
    area = PlaceChoiceField(label=_("涉及范围"), queryset=Area.objects.none())
    title = forms.CharField(label=_("事项名称"), max_length=200)
    category = forms.ChoiceField(label=_("类别"), choices=Category.choices)
    description = forms.CharField(
        label=_("事项说明"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    collection_days = forms.IntegerField(
        label=_("意见征集期（天）"), required=False, min_value=1, max_value=365, help_text=_("留空按社区设置")
    )

    def __init__(self, *args, areas, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas


class HearingForm(forms.Form):
    starts_at = when(_("开始时间"))
    ends_at = when(_("结束时间"))
    place = forms.CharField(label=_("地点"), max_length=200, required=False)
    description = forms.CharField(label=_("议程"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    guests = forms.CharField(
        label=_("其他参会方"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("无账号的单位或人员，每行一个，如“某物业公司，物业服务企业”"),
    )


class DecisionForm(forms.Form):
    electorate = forms.ChoiceField(
        label=_("投票人范围"),
        choices=[
            (Electorate.RESIDENTS, Electorate.RESIDENTS.label),
            (Electorate.HOUSEHOLDS, Electorate.HOUSEHOLDS.label),
            (Electorate.REPRESENTATIVES, Electorate.REPRESENTATIVES.label),
        ],
    )
    area = PlaceChoiceField(
        label=_("表决范围"), queryset=Area.objects.none(), required=False, help_text=_("留空为事项的涉及范围")
    )
    electors = forms.CharField(
        label=_("居民代表（用户名）"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("投票人为居民代表时填写，每行一个用户名"),
    )
    opens_at = when(_("开始时间"))
    closes_at = when(_("截止时间"))
    quorum_percent = forms.IntegerField(label=_("最低参与比例（%）"), min_value=0, max_value=100, initial=50)
    majority = forms.ChoiceField(
        label=_("通过规则"),
        choices=[(Majority.SIMPLE, Majority.SIMPLE.label), (Majority.TWO_THIRDS, Majority.TWO_THIRDS.label)],
    )
    secret = forms.BooleanField(label=_("无记名投票"), required=False, initial=True)

    def __init__(self, *args, matter: Matter, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = community_areas(matter.community)

    def clean_electors(self):
        names = [n.strip() for n in self.cleaned_data["electors"].splitlines() if n.strip()]
        people = list(User.objects.filter(username__in=names, is_active=True))
        missing = sorted(set(names) - {u.username for u in people})
        if missing:
            raise forms.ValidationError(_("未找到用户：%(names)s") % {"names": "、".join(missing)})
        return people


class CommentForm(forms.Form):
    text = forms.CharField(label=_("我的意见"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))


class GroupForm(forms.Form):
    matter = forms.ModelChoiceField(label=_("归入事项"), queryset=Matter.objects.none())

    def __init__(self, *args, opinion, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["matter"].queryset = Matter.objects.filter(
            community=opinion.community_id, state=MatterState.COLLECTION
        ).order_by("-created_at")
