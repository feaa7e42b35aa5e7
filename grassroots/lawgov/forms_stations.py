"""The station pages' forms: a consultation recorded by a legal worker (with its referral): the resident who
asked, found by name among the station's community residents (a search box, not a select of every one), and
the session it was given at, among the station's own recent and coming occurrences; the
station's setup, its workers, its recurring sessions and its legal education events."""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grassroots.gatherings.forms import DateTimeInput
from grassroots.gatherings.recurrence import WEEK_OF_MONTH_CHOICES, WEEKDAY_CHOICES, Frequency
from grassroots.lawgov.forms_filing import ResidentSelect, offer_residents
from grassroots.lawgov.models_stations import Consultation, LegalStation, Provider, Referral, WorkerRole
from grassroots.portal.submissions import SubmissionField

SESSION_DAYS = 30  # the occurrences offered: those of the last month and the coming ones


class ConsultationForm(forms.ModelForm):
    submission = SubmissionField()  # posted twice (a double click), one consultation
    resident = forms.ModelChoiceField(
        label=_("咨询人"),
        queryset=None,
        required=False,
        widget=ResidentSelect(),
        help_text=_("本社区居民，输入姓名查找；可留空"),
        error_messages={"invalid_choice": _("咨询人须是本社区的居民。")},
    )
    occurrence = forms.ModelChoiceField(
        label=_("服务场次"),
        queryset=None,
        required=False,
        help_text=_("在某次服务场次中咨询时选择，可留空"),
        error_messages={"invalid_choice": _("该场次不属于本法律服务站。")},
    )
    respondent = forms.CharField(
        label=_("对方当事人"),
        max_length=100,
        required=False,
        help_text=_("转人民调解时填写，可留空"),
    )

    class Meta:
        model = Consultation
        fields = ["resident", "occurrence", "topic", "question", "answer", "referral", "referred_to"]
        widgets = {
            "question": forms.Textarea(attrs={"rows": 3}),
            "answer": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, station, **kwargs):
        from grassroots.lawgov.selectors_filing import station_residents
        from grassroots.lawgov.selectors_stations import occurrences

        super().__init__(*args, **kwargs)
        offer_residents(
            self.fields["resident"],
            station_residents(station),
            self.data.get("resident") if self.is_bound else None,
        )
        since = timezone.now() - timedelta(days=SESSION_DAYS)
        self.fields["occurrence"].queryset = occurrences([station.pk], upcoming=False).filter(
            ends_at__gte=since
        )
        self.fields["occurrence"].label_from_instance = lambda o: (
            f"{timezone.localtime(o.starts_at):%Y-%m-%d %H:%M} {o.title}"
        )

    def clean(self):
        data = super().clean()
        if data.get("referral") == Referral.OTHER_BODY and not (data.get("referred_to") or "").strip():
            self.add_error("referred_to", _("请填写转交的单位。"))
        return data


class StationForm(forms.ModelForm):
    """A station's setup: its community (on creation only: those in the user's scope without a station),
    name, address, hours and phone."""

    class Meta:
        model = LegalStation
        fields = ["area", "name", "place", "opening_hours", "phone"]

    def __init__(self, *args, user=None, station=None, **kwargs):
        super().__init__(*args, **kwargs)
        if station is not None:
            del self.fields["area"]
            return
        from grassroots.access.scoping import scoped
        from grassroots.areas.models import Area, Level
        from grassroots.lawgov.services_stations import MANAGE

        communities = scoped(
            Area.objects.filter(level=Level.COMMUNITY, retired=False, legal_station__isnull=True),
            user,
            MANAGE,
        ).order_by("path")
        self.fields["area"].queryset = communities
        self.fields["area"].label_from_instance = lambda a: a.name


class WorkerForm(forms.Form):
    """A worker of the station: an account holding the legal worker's role in its community, or a name
    without an account."""

    user = forms.ModelChoiceField(
        label=_("账号"),
        queryset=None,
        required=False,
        help_text=_("本社区的法律工作者账号；没有账号的可只填姓名"),
    )
    name = forms.CharField(label=_("姓名"), max_length=50, required=False)
    role = forms.ChoiceField(label=_("身份"), choices=WorkerRole.choices)
    organization = forms.CharField(
        label=_("所在单位"), max_length=100, required=False, help_text=_("如律师事务所")
    )

    def __init__(self, *args, station, **kwargs):
        from grassroots.lawgov.services_stations import worker_candidates

        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = worker_candidates(station)
        self.fields["user"].label_from_instance = lambda u: u.display_name

    def clean(self):
        data = super().clean()
        if not data.get("user") and not (data.get("name") or "").strip():
            self.add_error("name", _("请填写姓名或选择账号。"))
        return data


class SessionForm(forms.Form):
    """A body's recurring session at the station: who, what, when (the gatherings' recurrence) and how many
    places each time."""

    submission = SubmissionField()  # posted twice (a double click), one session
    provider = forms.ChoiceField(label=_("服务单位"), choices=Provider.choices)
    provider_name = forms.CharField(
        label=_("单位名称"), max_length=100, required=False, help_text=_("选择“其他单位”时填写")
    )
    title = forms.CharField(label=_("名称"), max_length=200)
    capacity = forms.IntegerField(label=_("每次名额"), min_value=1, max_value=10000)
    start_time = forms.TimeField(label=_("开始时刻"), widget=forms.TimeInput(attrs={"type": "time"}))
    duration_minutes = forms.IntegerField(label=_("时长（分钟）"), min_value=1, max_value=1440, initial=120)
    frequency = forms.ChoiceField(label=_("重复方式"), choices=Frequency.choices)
    weekday = forms.TypedChoiceField(
        label=_("星期几"), choices=[("", "—"), *WEEKDAY_CHOICES], coerce=int, required=False, empty_value=None
    )
    week_of_month = forms.TypedChoiceField(
        label=_("第几个"),
        choices=[("", "—"), *WEEK_OF_MONTH_CHOICES],
        coerce=int,
        required=False,
        empty_value=None,
    )
    day_of_month = forms.IntegerField(label=_("每月几日"), min_value=1, max_value=31, required=False)
    interval = forms.IntegerField(
        label=_("间隔"), min_value=1, max_value=12, initial=1, help_text=_("每几周或每几个月一次")
    )
    starts_on = forms.DateField(label=_("起始日期"), widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(
        label=_("截止日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("含当日；留空则按次数或长期"),
    )
    count = forms.IntegerField(label=_("次数"), min_value=1, max_value=500, required=False)


class EducationForm(forms.Form):
    """A legal education event (法治宣传教育) at the station's community."""

    submission = SubmissionField()  # posted twice (a double click), one event
    title = forms.CharField(label=_("名称"), max_length=200)
    starts_at = forms.DateTimeField(label=_("开始时间"), widget=DateTimeInput())
    ends_at = forms.DateTimeField(label=_("结束时间"), widget=DateTimeInput())
    place = forms.CharField(label=_("地点"), max_length=200, required=False, help_text=_("留空为服务站地址"))
    description = forms.CharField(label=_("内容"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    capacity = forms.IntegerField(
        label=_("名额"), min_value=1, max_value=100000, required=False, help_text=_("留空表示不限人数")
    )
