"""Forms of the voting pages. They parse and check input; the rules live in services."""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from grassroots.access.scoping import scoped
from grassroots.accounts.models import User
from grassroots.accounts.services.grants import users_in_scope
from grassroots.areas.models import Area, Level
from grassroots.forms import BoundedModelMultipleChoiceField
from grassroots.portal.submissions import SubmissionField
from grassroots.voting.models import Vote
from grassroots.voting.services.households import HOUSEHOLD_LEVELS
from grassroots.voting.services.votes import VOTE_FIELDS


def find_people(text: str, people) -> list:
    """The people named in `text` (one a line: a name or a username) among `people`; a name that finds no
    one, or more than one, is an error at the field (then the username tells them apart)."""
    found, missing, ambiguous = [], [], []
    for line in dict.fromkeys(n.strip() for n in (text or "").splitlines() if n.strip()):
        matches = list(people.filter(Q(username=line) | Q(full_name=line))[:2])
        exact = [u for u in matches if u.username == line]
        if exact:
            found.append(exact[0])
        elif len(matches) == 1:
            found.append(matches[0])
        else:
            (ambiguous if matches else missing).append(line)
    if missing:
        raise forms.ValidationError(gettext("未找到：%(names)s") % {"names": "、".join(missing)})
    if ambiguous:
        raise forms.ValidationError(
            gettext("有同名的人，请改填用户名：%(names)s") % {"names": "、".join(ambiguous)}
        )
    return found


def people_in_scope(user):
    return users_in_scope(user, "voting.manage").filter(is_active=True)


DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format=DATETIME_FORMAT, **kwargs)


class VoteForm(forms.ModelForm):
    options = forms.CharField(
        label=_("选项"), widget=forms.Textarea(attrs={"rows": 4}), help_text=_("每行一个选项。")
    )
    electors = forms.CharField(
        label=_("投票人名单"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("投票人为指定名单时填写，每行一个姓名或用户名；居民代表留空则为本区域在任的居民代表。"),
    )
    submission = SubmissionField()  # posted twice (a double click), one vote

    class Meta:
        model = Vote
        fields = list(VOTE_FIELDS)  # what create_vote takes, named once (the API's VoteInput too)
        widgets = {
            "opens_at": DateTimeInput(),
            "closes_at": DateTimeInput(),
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("opens_at", "closes_at"):
            self.fields[name].input_formats = [DATETIME_FORMAT, "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]
        self.fields["area"].queryset = scoped(
            Area.objects.filter(retired=False), user, "voting.manage"
        ).order_by("path")
        self.user = user

    def clean_electors(self) -> list:
        return find_people(self.cleaned_data["electors"], people_in_scope(self.user))

    def clean_options(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["options"].splitlines() if line.strip()]

    def _post_clean(self):  # the service checks the vote as a whole (options and fields together)
        pass


class BallotForm(forms.Form):
    options = forms.MultipleChoiceField(label=_("您的选择"), widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, vote: Vote, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["options"]
        field.choices = [(o.pk, o.label) for o in vote.options.all()]
        if vote.max_choices == 1:
            self.fields["options"] = forms.ChoiceField(
                label=field.label, choices=field.choices, widget=forms.RadioSelect
            )

    def chosen(self) -> list:
        value = self.cleaned_data["options"]
        return value if isinstance(value, list) else [value]


class ReceiptForm(forms.Form):
    code = forms.CharField(label=_("回执码"), max_length=20)


class HouseholdForm(forms.Form):
    area = forms.ModelChoiceField(label=_("住址"), queryset=Area.objects.none())
    name = forms.CharField(label=_("户名"), max_length=100, help_text=_("如“3栋2单元501”"))
    members = BoundedModelMultipleChoiceField(
        label=_("成员"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("住在该地址、尚未入户的已核验居民。"),
    )

    def __init__(self, *args, user, address=None, residents=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = scoped(
            Area.objects.filter(retired=False, depth__gte=1, level__in=HOUSEHOLD_LEVELS),
            user,
            "voting.manage",
        ).order_by("path")
        if address is not None:
            self.fields["area"].initial = address.pk
        if residents is not None:
            self.fields["members"].queryset = residents
        self.fields["members"].label_from_instance = lambda u: u.display_name


class AddMemberForm(forms.Form):
    user = forms.ModelChoiceField(label=_("居民"), queryset=User.objects.none())

    def __init__(self, *args, residents, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = residents
        self.fields["user"].label_from_instance = lambda u: f"{u.display_name}（{u.home_area}）"


class RepresentativeForm(forms.Form):
    community = forms.ModelChoiceField(label=_("社区"), queryset=Area.objects.none())
    person = forms.CharField(label=_("居民"), max_length=150, help_text=_("姓名或用户名"))
    since = forms.DateField(
        label=_("推选日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["community"].queryset = scoped(
            Area.objects.filter(retired=False, level=Level.COMMUNITY), user, "voting.manage"
        ).order_by("path")

    def clean(self):
        data = super().clean()
        if data.get("community") and data.get("person"):
            try:
                [data["user"]] = find_people(data["person"], people_in_scope(self.user))
            except forms.ValidationError as exc:
                self.add_error("person", exc)
        return data


class PaperCodesForm(forms.Form):
    voters = forms.CharField(
        label=_("领取投票码的居民"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("每行一个姓名或用户名。"),
    )
    received_by = forms.CharField(
        label=_("领取人"), max_length=50, required=False, help_text=_("代领时填写代领人姓名；本人领取留空。")
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_voters(self) -> list:
        return find_people(self.cleaned_data["voters"], people_in_scope(self.user))


class WitnessedForm(forms.Form):
    voter = forms.CharField(label=_("投票人"), max_length=150, help_text=_("姓名或用户名"))
    witness_user = forms.CharField(
        label=_("见证人账号"), max_length=150, required=False, help_text=_("见证人有账号时填写其姓名或用户名")
    )
    witness = forms.CharField(
        label=_("见证人姓名"), max_length=100, required=False, help_text=_("见证人没有账号时填写")
    )

    def __init__(self, *args, user, vote: Vote, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["options"] = BallotForm(vote=vote).fields["options"]

    def clean_voter(self):
        return find_people(self.cleaned_data["voter"], people_in_scope(self.user))[0]

    def clean_witness_user(self):
        text = self.cleaned_data["witness_user"]
        return find_people(text, people_in_scope(self.user))[0] if text.strip() else None

    def chosen(self) -> list:
        value = self.cleaned_data["options"]
        return value if isinstance(value, list) else [value]


class CodeForm(forms.Form):
    code = forms.CharField(label=_("投票码"), max_length=20, help_text=_("纸质投票码上的 10 位字母和数字"))


class ElectionForm(forms.Form):
    """The record of an election of a community's resident representatives; the vote and the meeting are
    offered from the worker's own scope (the service checks they belong to the community)."""

    community = forms.ModelChoiceField(label=_("社区"), queryset=Area.objects.none())
    held_on = forms.DateField(label=_("推选日期"), widget=forms.DateInput(attrs={"type": "date"}))
    term_ends_on = forms.DateField(
        label=_("任期届满日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("留空则为推选日期后五年"),
    )
    vote = forms.ModelChoiceField(label=_("推选投票"), queryset=Vote.objects.none(), required=False)
    gathering = forms.ModelChoiceField(label=_("推选会议"), queryset=Vote.objects.none(), required=False)
    elected = forms.CharField(
        label=_("当选的居民代表"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("每行一个姓名或用户名；已在任的居民代表会关联到本次推选。"),
    )
    document = forms.FileField(
        label=_("推选结果文件"), required=False, help_text=_("如推选结果公告，PDF 或图片")
    )
    note = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, user, **kwargs):
        from grassroots.gatherings.models import Gathering

        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["community"].queryset = scoped(
            Area.objects.filter(retired=False, level=Level.COMMUNITY), user, "voting.manage"
        ).order_by("path")
        self.fields["vote"].queryset = scoped(
            Vote.objects.select_related("area"), user, "voting.manage"
        ).order_by("-opens_at")
        self.fields["gathering"].queryset = scoped(
            Gathering.objects.exclude(status="cancelled").select_related("area"), user, "voting.manage"
        ).order_by("-starts_at")
        self.fields["gathering"].label_from_instance = lambda g: f"{g.title}（{g.starts_at:%Y-%m-%d}）"

    def clean_elected(self) -> list:
        text = self.cleaned_data["elected"]
        return find_people(text, people_in_scope(self.user)) if text.strip() else []


class ElectionCorrectionForm(ElectionForm):
    """更正 an election record: its day, term's end, vote, meeting and note, with the reason (the community
    and those elected stay: a new record changes them)."""

    reason = forms.CharField(
        label=_("更正理由"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("如：推选日期登记错误，以推选结果公告为准。"),
    )

    def __init__(self, *args, election, **kwargs):
        initial = {name: getattr(election, name) for name in ("held_on", "term_ends_on", "note")}
        initial.update(vote=election.vote_id, gathering=election.gathering_id)
        super().__init__(*args, initial=initial, **kwargs)
        for name in ("community", "elected", "document"):
            del self.fields[name]
        self.fields["term_ends_on"].help_text = ""
