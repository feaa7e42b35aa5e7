"""Forms of the gathering pages. They parse and check input; the rules live in services."""

from __future__ import annotations

import re

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from grassroots.access.scoping import scoped
from grassroots.accounts.models import RoleGrant, User
from grassroots.accounts.roles import Role
from grassroots.areas.models import Area, PartyOrg
from grassroots.areas.subtree import ancestor_paths, under_q
from grassroots.gatherings import selectors
from grassroots.gatherings.kinds import general_kind_choices, own_form_message
from grassroots.gatherings.models import Gathering, Guest, Participant
from grassroots.gatherings.services.lifecycle import EDITABLE_FIELDS
from grassroots.ids import as_id
from grassroots.portal.submissions import SubmissionField

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"
MAX_OPTIONS = 300  # options rendered in a select; validation still accepts every area in scope


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format=DATETIME_FORMAT, **kwargs)


def indented(areas) -> list[tuple[object, str]]:
    top = min((a.depth for a in areas), default=1)
    return [(a.pk, "\u3000" * (a.depth - top) + a.name) for a in areas]


class GatheringForm(forms.ModelForm):
    """Create and edit. `user` limits areas and Party organizations to the user's gatherings.manage scope."""

    class Meta:
        model = Gathering
        fields = list(EDITABLE_FIELDS)  # what update_gathering may change, named once
        widgets = {
            "starts_at": DateTimeInput(),
            "ends_at": DateTimeInput(),
            "signup_deadline": DateTimeInput(),
            "description": forms.Textarea(attrs={"rows": 5}),
        }

    submission = SubmissionField()  # posted twice (a double click), one gathering

    def __init__(self, *args, user, creating: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not creating:
            del self.fields["submission"]  # an edit is idempotent as it is
        for name in ("starts_at", "ends_at", "signup_deadline"):
            self.fields[name].input_formats = [DATETIME_FORMAT, "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]
        kind = self.fields["kind"]
        if not creating and own_form_message(self.initial.get("kind") or ""):
            kind.disabled = True  # made on its part's own page, with that part's record: it stays that kind
        else:  # the kinds with a form of their own are not offered (kinds.OwnForm); clean_kind says where
            kind.widget.choices = [("", "---------"), *general_kind_choices()]
        areas = scoped(Area.objects.filter(retired=False), user, "gatherings.manage")
        self.fields["area"].queryset = areas
        # Render a bounded list: the upper levels of the user's scope first; an initial area outside that
        # list (e.g. coming from an area page) is added.
        shown = sorted(areas.order_by("depth", "path")[:MAX_OPTIONS], key=lambda a: a.path)
        initial = self.initial.get("area") or self.data.get("area")
        initial = as_id(getattr(initial, "pk", initial))
        if initial and all(a.pk != initial for a in shown):
            shown += list(areas.filter(pk=initial))
        self.fields["area"].choices = [("", "---------"), *indented(shown)]
        orgs = scoped(PartyOrg.objects.filter(retired=False), user, "gatherings.manage")
        self.fields["party_org"].queryset = orgs
        self.fields["party_org"].choices = [
            ("", "---------"),
            *[(o.pk, o.name) for o in orgs.order_by("area__path", "name")[:MAX_OPTIONS]],
        ]

    def clean_kind(self):
        kind = self.cleaned_data["kind"]
        message = None if self.fields["kind"].disabled else own_form_message(kind)
        if message:
            raise forms.ValidationError(message, code="own_form")
        return kind

    def clean(self):
        data = super().clean()
        starts_at, ends_at = data.get("starts_at"), data.get("ends_at")
        if starts_at and ends_at and ends_at <= starts_at:
            self.add_error("ends_at", _("结束时间必须晚于开始时间。"))
        return data


class MinutesForm(forms.Form):
    minutes = forms.CharField(label=_("会议记录"), widget=forms.Textarea(attrs={"rows": 8}), required=False)


class DecisionForm(forms.Form):
    submission = SubmissionField()  # posted twice (a double click), one decision
    text = forms.CharField(label=_("决定事项"), widget=forms.Textarea(attrs={"rows": 2}))
    owner = forms.ModelChoiceField(label=_("责任人"), queryset=User.objects.none(), required=False)
    due_on = forms.DateField(
        label=_("完成期限"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, gathering: Gathering, **kwargs):
        super().__init__(*args, **kwargs)
        # Any person who could be invited may own a decision; the select offers the organizer, the
        # participants and the staff of the area (and above), a bounded list.
        self.fields["owner"].queryset = selectors.decision_owners(gathering)
        path = gathering.area.path
        staff = RoleGrant.objects.exclude(role=Role.RESIDENT).filter(
            under_q(path) | Q(area__path__in=ancestor_paths(path))
        )
        shown = User.objects.filter(
            Q(pk=gathering.organizer_id)
            | Q(pk__in=Participant.objects.filter(gathering=gathering).values("user_id"))
            | Q(pk__in=staff.values("user_id"))
        ).order_by("full_name", "username")[:MAX_OPTIONS]
        self.fields["owner"].choices = [("", "---------"), *[(u.pk, u.display_name) for u in shown]]


class PhotoForm(forms.Form):
    submission = SubmissionField()  # posted twice (a double click), one photo
    image = forms.FileField(label=_("照片"), widget=forms.ClearableFileInput(attrs={"accept": "image/*"}))
    caption = forms.CharField(label=_("说明"), max_length=200, required=False)


class InviteForm(forms.Form):
    usernames = forms.CharField(
        label=_("邀请人员"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("填写用户名，多个用空格、逗号或换行分隔。"),
    )

    def clean_usernames(self) -> list[User]:
        return users_named(re.split(r"[\s,，、;；]+", self.cleaned_data["usernames"]))


def users_named(names) -> list[User]:
    """The active users with these usernames (the invitation form and the API); ValidationError naming those
    not found, or when no name is given."""
    names = [n for n in names if n]
    users = list(User.objects.filter(username__in=names, is_active=True))
    missing = sorted(set(names) - {u.username for u in users})
    if missing:
        raise forms.ValidationError(_("找不到以下用户：%(names)s") % {"names": "、".join(missing)})
    if not users:
        raise forms.ValidationError(_("请填写至少一个用户名。"))
    return users


class AttendanceSheetForm(forms.Form):
    """One present/absent choice and one reason per participant."""

    CHOICES = [("", _("未登记")), ("present", _("出席")), ("absent", _("缺席"))]

    def __init__(self, *args, participants: list[Participant], **kwargs):
        super().__init__(*args, **kwargs)
        participants = [p for p in participants if p.user_id is not None]  # not those retention forgot
        for p in participants:
            mark = {True: "present", False: "absent"}.get(p.present, "")
            self.fields[f"mark_{p.pk}"] = forms.ChoiceField(
                label=str(p.user),
                choices=self.CHOICES,
                required=False,
                initial=mark,
                widget=forms.RadioSelect,
            )
            self.fields[f"reason_{p.pk}"] = forms.CharField(
                label=_("缺席原因"), max_length=200, required=False, initial=p.absence_reason
            )
        self.rows = [(p, self[f"mark_{p.pk}"], self[f"reason_{p.pk}"]) for p in participants]

    def marks(self, *, all_present: bool = False) -> list[tuple[User, bool, str]]:
        """(person, present, reason) for every row that is marked; with `all_present` (the button 全部出席)
        every row left unmarked is present."""
        result = []
        for p, _mark, _reason in self.rows:
            mark = self.cleaned_data.get(f"mark_{p.pk}") or ("present" if all_present else "")
            if mark:
                result.append((p.user, mark == "present", self.cleaned_data.get(f"reason_{p.pk}", "")))
        return result


class GuestForm(forms.ModelForm):
    """A participant without an account: an organization or a named person (with their organization), and
    their role at the gathering."""

    class Meta:
        model = Guest
        fields = ["name", "organization", "role"]


class SeriesForm(forms.ModelForm):
    """A series' change (services.SERIES_FIELDS): what its occurrences still to come are."""

    class Meta:
        from grassroots.gatherings.models import Series

        model = Series
        fields = [
            "title",
            "place",
            "description",
            "visibility",
            "capacity",
            "signup_open",
            "start_time",
            "duration_minutes",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "start_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }


class SeriesCancelForm(forms.Form):
    from_day = forms.DateField(label=_("自该日（含）起取消"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label=_("取消原因"), max_length=200, required=False)
