"""Forms of organizational life. Attendance and appraisal grades are per member and read by the views from
fields named `present_<id>`, `reason_<id>`, `grade_<id>` (see templates/orglife/report_edit.html)."""

from __future__ import annotations

from datetime import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grassroots.core.orglife import kinds
from grassroots.core.orglife.models import GuidanceDecision, PlanUnit
from grassroots.forms import RowFormSet
from grassroots.portal.submissions import SubmissionField

_DATE = forms.DateInput(attrs={"type": "date"})
_TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


def _aware(day, clock) -> datetime:
    return timezone.make_aware(datetime.combine(day, clock))


class PlanForm(forms.Form):
    period_unit = forms.ChoiceField(label=_("备案周期"), choices=PlanUnit.choices)
    period_start = forms.DateField(
        label=_("周期内任一日期"), widget=_DATE, help_text=_("如 2025-04-01 表示 4 月或第二季度")
    )
    note = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class PlanEditForm(forms.Form):
    note = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class PlanItemForm(forms.Form):
    kind = forms.ChoiceField(label=_("类型"), choices=kinds.choices)
    topic = forms.CharField(label=_("主题"), max_length=200)
    day = forms.DateField(label=_("日期"), widget=_DATE)
    start = forms.TimeField(label=_("开始"), widget=_TIME)
    end = forms.TimeField(label=_("结束"), widget=_TIME)
    place = forms.CharField(label=_("地点"), max_length=200, required=False)
    lecturer = forms.CharField(label=_("主讲人"), max_length=50, required=False)

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] <= data["start"]:
            self.add_error("end", _("结束时间必须晚于开始时间。"))
        return data

    def as_item(self):
        from grassroots.core.orglife.services.plans import PlanItem

        d = self.cleaned_data
        return PlanItem(
            kind=d["kind"],
            topic=d["topic"],
            starts_at=_aware(d["day"], d["start"]),
            ends_at=_aware(d["day"], d["end"]),
            place=d.get("place", ""),
            lecturer=d.get("lecturer", ""),
        )

    @classmethod
    def initial_from(cls, item) -> dict:
        start, end = timezone.localtime(item.starts_at), timezone.localtime(item.ends_at)
        return {
            "kind": item.kind,
            "topic": item.topic,
            "day": start.date(),
            "start": start.time(),
            "end": end.time(),
            "place": item.place,
            "lecturer": item.lecturer,
        }


class _PlanItems(RowFormSet):
    blank_ignores = ("kind",)  # the kind select always carries a value: a row with only a kind is blank


PlanItemFormSet = forms.formset_factory(
    PlanItemForm, formset=_PlanItems, extra=2, can_delete=True, max_num=40
)


class GuidanceForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("审核意见"), choices=GuidanceDecision.choices, widget=forms.RadioSelect
    )
    comments = forms.CharField(label=_("指导意见"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    required_changes = forms.CharField(
        label=_("需修改的事项"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("退回时必填"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)


class ReportTextForm(forms.Form):
    minutes = forms.CharField(label=_("会议记录"), required=False, widget=forms.Textarea(attrs={"rows": 6}))
    resolutions = forms.CharField(
        label=_("决议事项"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class UnplannedForm(forms.Form):
    submission = SubmissionField()  # posted twice (a double click), one report
    kind = forms.ChoiceField(label=_("类型"), choices=kinds.choices)
    title = forms.CharField(label=_("主题"), max_length=200)
    day = forms.DateField(label=_("召开日期"), widget=_DATE)
    start = forms.TimeField(label=_("开始"), widget=_TIME)
    end = forms.TimeField(label=_("结束"), widget=_TIME)
    place = forms.CharField(label=_("地点"), max_length=200, required=False)


class PhotoForm(forms.Form):
    image = forms.FileField(label=_("照片"), widget=forms.ClearableFileInput(attrs={"accept": "image/*"}))
    caption = forms.CharField(label=_("说明"), max_length=200, required=False)


class StudyPlanForm(forms.Form):
    title = forms.CharField(label=_("名称"), max_length=200)
    content = forms.CharField(
        label=_("学习内容与安排"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class StudySessionForm(forms.Form):
    topic = forms.CharField(label=_("学习专题"), max_length=200)
    planned_on = forms.DateField(label=_("计划日期"), widget=_DATE)
    gathering = forms.TypedChoiceField(label=_("学习会议"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, gatherings=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["gathering"].choices = [("", _("（尚未召开）"))] + [
            (g.pk, f"{timezone.localdate(g.starts_at):%Y-%m-%d} {g.title}") for g in gatherings
        ]
