"""Forms of the voting pages. They parse and check input; the rules live in services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from grassroots.access.scoping import scoped
from grassroots.areas.models import Area
from grassroots.voting.models import Vote
from grassroots.voting.services.votes import VOTE_FIELDS

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format=DATETIME_FORMAT, **kwargs)


class VoteForm(forms.ModelForm):
    options = forms.CharField(
        label=_("选项"), widget=forms.Textarea(attrs={"rows": 4}), help_text=_("每行一个选项。")
    )

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
