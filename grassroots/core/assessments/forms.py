"""Forms of the assessments pages. They parse and check input; the rules live in the services."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grassroots.access.scoping import scope_q, scoped
from grassroots.areas.models import Area, Level, PartyOrg
from grassroots.areas.subtree import under_q
from grassroots.core.assessments.models import Method, Shows
from grassroots.core.assessments.rules import MANAGE
from grassroots.core.assessments.selectors.inspections import visible_inspections
from grassroots.core.duties.forms import affair_choices
from grassroots.core.duties.selectors import visible_tasks
from grassroots.documents.citing import citable_for
from grassroots.figures.registry import provider_choices
from grassroots.forms import BoundedModelMultipleChoiceField
from grassroots.gatherings.forms import DateTimeInput, indented
from grassroots.ids import as_id
from grassroots.portal.submissions import SubmissionField

MAX_OPTIONS = 300


def this_year() -> int:
    return timezone.localdate().year


def year_field(label=None, **kwargs) -> forms.IntegerField:
    return forms.IntegerField(
        label=label or _("年度"), min_value=2000, max_value=2100, initial=this_year, **kwargs
    )


def bounded_area_choices(field: forms.ModelChoiceField, areas, initial=None) -> None:
    """Offer the upper levels of `areas` (at most MAX_OPTIONS, plus an initial one); validation still
    accepts every area of the queryset."""
    field.queryset = areas
    shown = sorted(areas.order_by("depth", "path")[:MAX_OPTIONS], key=lambda a: a.path)
    initial = as_id(getattr(initial, "pk", initial))
    if initial and all(a.pk != initial for a in shown):
        shown += list(areas.filter(pk=initial))
    field.choices = [("", "---------"), *indented(shown)]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


# --- work reports -------------------------------------------------------------------------------------------
class ReportCreateForm(forms.Form):
    party_org = forms.ModelChoiceField(label=_("述职的党组织"), queryset=PartyOrg.objects.none())
    year = year_field()
    title = forms.CharField(label=_("标题"), max_length=200, required=False, help_text=_("留空则自动生成"))
    content = forms.CharField(label=_("述职内容"), widget=forms.Textarea(attrs={"rows": 12}), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        orgs = PartyOrg.objects.filter(
            Q(secretary=user) | scope_q(user, MANAGE, "area__path"), retired=False, area__depth__gt=1
        ).select_related("area")
        self.fields["party_org"].queryset = orgs
        self.fields["party_org"].choices = [
            ("", "---------"),
            *[
                (o.pk, f"{o.name}（{o.area.name}）")
                for o in orgs.order_by("area__path", "name")[:MAX_OPTIONS]
            ],
        ]


class ReportEditForm(forms.Form):
    title = forms.CharField(label=_("标题"), max_length=200)
    content = forms.CharField(label=_("述职内容"), widget=forms.Textarea(attrs={"rows": 14}), required=False)


class StartReviewForm(forms.Form):
    meeting = forms.ModelChoiceField(label=_("述职评议会"), queryset=None, empty_label=_("请选择"))
    reviewers = BoundedModelMultipleChoiceField(
        label=_("评议人"), queryset=None, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, meetings, reviewers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = meetings
        self.fields["meeting"].label_from_instance = lambda g: f"{g.title} · {g.starts_at:%Y-%m-%d}"
        self.fields["reviewers"].queryset = reviewers
        self.fields["reviewers"].label_from_instance = lambda u: u.display_name


class ReviewScoreForm(forms.Form):
    score = forms.DecimalField(
        label=_("评分（百分制）"), max_digits=4, decimal_places=1, min_value=0, max_value=100
    )
    comment = forms.CharField(label=_("评语"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


# --- inspections --------------------------------------------------------------------------------------------
class InspectionForm(forms.Form):
    submission = SubmissionField()  # posted twice (a double click), one inspection
    title = forms.CharField(label=_("督察事项"), max_length=200)
    area = forms.ModelChoiceField(label=_("督察对象（区域）"), queryset=Area.objects.none())
    party_org = forms.ModelChoiceField(
        label=_("督察对象（党组织）"), queryset=PartyOrg.objects.none(), required=False
    )
    inspected_on = forms.DateField(label=_("督察日期"), widget=DateInput(), initial=timezone.localdate)
    inspectors = forms.CharField(label=_("督察组成员"), max_length=300, required=False)
    summary = forms.CharField(label=_("督察情况"), widget=forms.Textarea(attrs={"rows": 5}), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        areas = scoped(Area.objects.filter(retired=False), user, MANAGE)
        bounded_area_choices(self.fields["area"], areas, self.initial.get("area") or self.data.get("area"))
        orgs = scoped(PartyOrg.objects.filter(retired=False), user, MANAGE).select_related("area")
        self.fields["party_org"].queryset = orgs
        self.fields["party_org"].choices = [
            ("", "---------"),
            *[
                (o.pk, f"{o.name}（{o.area.name}）")
                for o in orgs.order_by("area__path", "name")[:MAX_OPTIONS]
            ],
        ]


class StandardItemField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.label}：{obj.text[:40]}"


class FindingForm(forms.Form):
    description = forms.CharField(label=_("发现的问题"), widget=forms.Textarea(attrs={"rows": 3}))
    requirement = forms.CharField(
        label=_("整改要求"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    area = forms.ModelChoiceField(
        label=_("问题所在区域"), queryset=Area.objects.none(), required=False, help_text=_("留空为督察对象")
    )
    owner = forms.ModelChoiceField(label=_("整改责任人"), queryset=None)
    deadline = forms.DateField(label=_("整改期限"), widget=DateInput())
    standard_item = StandardItemField(
        label=_("对照标准条目"),
        queryset=None,
        required=False,
        help_text=_("该问题不符合的标准条目（可不选）"),
    )

    def __init__(self, *args, inspection, owners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["standard_item"].queryset = citable_for(inspection.area)
        area = inspection.area
        below = Area.objects.filter(under_q(area.path, "path"), depth__lte=area.depth + 2, retired=False)
        bounded_area_choices(self.fields["area"], below)
        self.fields["owner"].queryset = owners
        self.fields["owner"].label_from_instance = lambda u: u.display_name


# --- schemes ------------------------------------------------------------------------------------------------
TARGET_LEVELS = [(v, label) for v, label in Level.choices if Level.STREET <= v <= Level.GRID]


class SchemeForm(forms.Form):
    name = forms.CharField(label=_("方案名称"), max_length=200, required=False, help_text=_("留空则自动生成"))
    year = year_field()
    area = forms.ModelChoiceField(label=_("考核单位"), queryset=Area.objects.none())
    level = forms.TypedChoiceField(label=_("考核对象层级"), choices=TARGET_LEVELS, coerce=int)
    description = forms.CharField(label=_("说明"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        areas = scoped(Area.objects.filter(retired=False, level__lt=Level.GRID), user, MANAGE)
        bounded_area_choices(self.fields["area"], areas, self.initial.get("area") or self.data.get("area"))


class CopySchemeForm(forms.Form):
    year = year_field(label=_("复制到年度"))


class ItemForm(forms.Form):
    submission = SubmissionField()  # posted twice (a double click), one item
    name = forms.CharField(label=_("考核项目"), max_length=200)
    weight = forms.DecimalField(label=_("分值"), max_digits=6, decimal_places=2, min_value=0)
    method = forms.ChoiceField(label=_("评分方式"), choices=Method.choices)
    provider = forms.ChoiceField(label=_("数据来源（自动计算时）"), required=False)
    description = forms.CharField(
        label=_("评分标准"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    standard_item = StandardItemField(label=_("对照标准条目"), queryset=None, required=False)

    def __init__(self, *args, scheme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].choices = [("", "---------"), *provider_choices()]
        self.fields["standard_item"].queryset = citable_for(scheme.area, scheme.level)

    def clean(self):
        data = super().clean()
        if data.get("method") == Method.COMPUTED and not data.get("provider"):
            self.add_error("provider", _("自动计算的项目须选择数据来源。"))
        return data


class HandScoreForm(forms.Form):
    """A manual item's score; one per item on the assessment's page (`ids_for`: ids unique per item)."""

    control_size = "sm"
    item = forms.IntegerField(widget=forms.HiddenInput)
    score = forms.DecimalField(label=_("得分"), max_digits=6, decimal_places=2, min_value=0)
    reason = forms.CharField(label=_("评分理由"), widget=forms.Textarea(attrs={"rows": 2}))

    @staticmethod
    def ids_for(item) -> str:
        """The `auto_id` of the form of `item` (a posted value: digits only, else none)."""
        return f"id_%s_{item}" if str(item or "").isdigit() else "id_%s"


# --- agencies and ratings -----------------------------------------------------------------------------------
class UsernameField(forms.CharField):
    """A person named by their sign-in name (optional)."""

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        user = get_user_model().objects.filter(username=value.strip(), is_active=True).first()
        if user is None:
            raise forms.ValidationError(_("没有这个用户名的有效账号。"))
        return user


class AgencyForm(forms.Form):
    street = forms.ModelChoiceField(label=_("所在街道（乡镇）"), queryset=Area.objects.none())
    name = forms.CharField(label=_("机构名称"), max_length=150)
    department = forms.CharField(label=_("派出部门"), max_length=150, required=False)
    head = UsernameField(label=_("负责人（用户名）"), max_length=150, required=False)
    active = forms.BooleanField(label=_("在驻"), required=False, initial=True)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        streets = scoped(Area.objects.filter(retired=False, level=Level.STREET), user, MANAGE)
        bounded_area_choices(self.fields["street"], streets, self.initial.get("street"))


class AgencyReviewForm(forms.Form):
    year = year_field(label=_("考评年度"))
    score = forms.DecimalField(
        label=_("评分（百分制）"), max_digits=4, decimal_places=1, min_value=0, max_value=100
    )
    comments = forms.CharField(label=_("考评意见"), widget=forms.Textarea(attrs={"rows": 4}))


class RatingForm(forms.Form):
    worker = forms.IntegerField(widget=forms.HiddenInput)
    score = forms.TypedChoiceField(
        label=_("评分"),
        choices=[(i, "★" * i) for i in range(5, 0, -1)],
        coerce=int,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("评价（可选）"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


# --- on-site meetings ---------------------------------------------------------------------------------------
def _org_choices(orgs) -> list:
    return [(o.pk, f"{o.name}（{o.area.name}）") for o in orgs.order_by("area__path", "name")[:MAX_OPTIONS]]


class SiteMeetingForm(forms.Form):
    """The on-site meeting's form: its gathering's essentials (when creating) and its own record."""

    area = forms.ModelChoiceField(label=_("组织单位"), queryset=Area.objects.none())
    title = forms.CharField(label=_("名称"), max_length=200)
    starts_at = forms.DateTimeField(label=_("开始时间"), widget=DateTimeInput())
    ends_at = forms.DateTimeField(label=_("结束时间"), widget=DateTimeInput())
    place = forms.CharField(label=_("地点"), max_length=200, required=False)
    host_area = forms.ModelChoiceField(label=_("承办区域"), queryset=Area.objects.none())
    shows = forms.ChoiceField(label=_("观摩内容"), choices=Shows.choices)
    task = forms.ModelChoiceField(label=_("观摩的任务"), queryset=None, required=False)
    inspection = forms.ModelChoiceField(label=_("观摩的督察整改"), queryset=None, required=False)
    practice_area = forms.ModelChoiceField(
        label=_("经验做法所在社区"), queryset=Area.objects.none(), required=False
    )
    practice = forms.CharField(label=_("经验做法"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    visiting_orgs = BoundedModelMultipleChoiceField(
        label=_("观摩单位"), queryset=PartyOrg.objects.none(), required=False
    )
    agenda = forms.CharField(label=_("议程"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    submission = SubmissionField()  # posted twice (a double click), one meeting; removed on an edit

    GATHERING_FIELDS = ("area", "title", "starts_at", "ends_at", "place", "submission")

    def __init__(self, *args, user, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)

        if editing:
            for name in self.GATHERING_FIELDS:
                del self.fields[name]
        else:
            managed = scoped(Area.objects.filter(retired=False), user, MANAGE)
            bounded_area_choices(
                self.fields["area"], managed, self.initial.get("area") or self.data.get("area")
            )
        areas = scoped(Area.objects.filter(retired=False), user, MANAGE)
        bounded_area_choices(self.fields["host_area"], areas, self.initial.get("host_area"))
        bounded_area_choices(self.fields["practice_area"], areas.filter(level=Level.COMMUNITY))
        tasks = visible_tasks(user).filter(issued_at__isnull=False).order_by("-deadline", "-pk")
        self.fields["task"].queryset = tasks
        self.fields["task"].choices = [("", "---------"), *[(t.pk, str(t)) for t in tasks[:MAX_OPTIONS]]]
        inspections = visible_inspections(user).order_by("-inspected_on", "-pk")
        self.fields["inspection"].queryset = inspections
        self.fields["inspection"].choices = [
            ("", "---------"),
            *[(i.pk, f"{i.title}（{i.inspected_on:%Y-%m-%d}）") for i in inspections[:MAX_OPTIONS]],
        ]
        orgs = scoped(PartyOrg.objects.filter(retired=False), user, "party_orgs.view").select_related("area")
        self.fields["visiting_orgs"].queryset = orgs
        self.fields["visiting_orgs"].choices = _org_choices(orgs)


class LessonForm(forms.Form):
    text = forms.CharField(label=_("经验启示"), widget=forms.Textarea(attrs={"rows": 2}))


class LessonTaskForm(forms.Form):
    """Turning a lesson into a task of the meeting's area (the fields issue_task needs beyond the lesson)."""

    title = forms.CharField(
        label=_("任务名称"), max_length=150, required=False, help_text=_("留空则用经验启示")
    )
    deadline = forms.DateField(label=_("完成时限"), widget=DateInput())
    target_level = forms.TypedChoiceField(label=_("下发到"), coerce=int, choices=())
    affair = forms.ModelChoiceField(
        label=_("准入事项"), queryset=None, required=False, help_text=_("下发到社区的任务须选择准入事项")
    )

    def __init__(self, *args, user, area: Area, **kwargs):
        super().__init__(*args, **kwargs)
        from grassroots.core.duties.services import target_levels_below

        self.fields["target_level"].choices = [(lv, Level(lv).label) for lv in target_levels_below(area)]
        self.fields["affair"].queryset = affair_choices(user, area)
