"""Forms of coverage. Choices of areas, organizations and entities are cut to the user's scope."""

from __future__ import annotations

from django import forms
from django.core.validators import MaxValueValidator
from django.utils.translation import gettext_lazy as _

from grassroots.access.scoping import scoped
from grassroots.areas.models import Area, Level, PartyOrg
from grassroots.areas.subtree import under_q
from grassroots.core.coverage.models import Entity
from grassroots.core.coverage.selectors import orgs_for
from grassroots.core.coverage.services import COUNT_FIELDS
from grassroots.forms import BoundedModelMultipleChoiceField
from grassroots.portal.submissions import SubmissionField

CHOICE_LIMIT = 2000
_DATE = forms.DateInput(attrs={"type": "date"})


def _capped(queryset):
    """At most CHOICE_LIMIT choices, as a queryset a ModelChoiceField can still validate against."""
    ids = list(queryset.values_list("pk", flat=True)[:CHOICE_LIMIT])
    return queryset.model.objects.filter(pk__in=ids)


def area_choices(user):
    qs = scoped(Area.objects.filter(retired=False, level__lte=Level.COMPOUND), user, "coverage.change")
    return _capped(qs.order_by("path")).order_by("path")


def org_choices(user):
    return _capped(orgs_for(user).order_by("area__path", "name")).order_by("area__path", "name")


def entity_choices(user, under: Area | None = None):
    qs = scoped(Entity.objects.all(), user, "coverage.view")
    if under is not None:
        qs = qs.filter(under_q(under.path))
    return _capped(qs.order_by("name")).order_by("name")


class _ScopedChoices(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name}（{obj.get_level_display()}）" if isinstance(obj, Area) else str(obj)


INTEGER_MAX = 2147483647  # a PostgreSQL integer column's largest value


class EntityForm(forms.ModelForm):
    submission = SubmissionField()  # posted twice (a double click), one entity; removed on an edit

    class Meta:
        model = Entity
        fields = [
            "name",
            "kind",
            "area",
            "address",
            "floor_area",
            "employees",
            "party_members",
            "full_members",
            "status",
            "party_org",
            "note",
        ]
        field_classes = {"area": _ScopedChoices}
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = area_choices(user)
        self.fields["party_org"].queryset = org_choices(user)
        if self.instance.pk:  # an edit is idempotent
            del self.fields["submission"]
        if self.instance.pk and self.instance.counts_from_records:
            # Counted from the member records of its own branch: nothing to type (services refuse it).
            del self.fields["party_members"], self.fields["full_members"]
        else:
            for name in COUNT_FIELDS:
                self.fields[name].required = False
                self.fields[name].help_text = _(
                    "手工填报：尚未单独建立党组织的单位填写；单独建立党组织的，由党员档案统计，此处留空。"
                )

        for field in self.fields.values():  # the model's range checks do not run (_post_clean below)
            if isinstance(field, forms.IntegerField):
                field.max_value = INTEGER_MAX
                field.validators.append(MaxValueValidator(INTEGER_MAX))
                field.widget.attrs["max"] = INTEGER_MAX

    def _post_clean(self):  # the service validates the whole entity (and its permission)
        pass


class InstructorForm(forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=50)
    position = forms.CharField(label=_("原单位职务"), max_length=100, required=False)
    sent_by = forms.ModelChoiceField(label=_("选派党组织"), queryset=PartyOrg.objects.none())
    area = _ScopedChoices(label=_("指导区域"), queryset=Area.objects.none())
    appointed_on = forms.DateField(label=_("选派日期"), widget=_DATE)
    submission = SubmissionField()  # posted twice (a double click), one instructor

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = area_choices(user)
        self.fields["sent_by"].queryset = org_choices(user)


class AssignForm(forms.Form):
    entity = forms.ModelChoiceField(label=_("选派到单位"), queryset=Entity.objects.none())

    def __init__(self, *args, user, instructor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entity"].queryset = entity_choices(user, instructor.area)


class VisitForm(forms.Form):
    entity = forms.ModelChoiceField(label=_("走访单位"), queryset=Entity.objects.none())
    visited_on = forms.DateField(label=_("走访日期"), widget=_DATE)
    content = forms.CharField(label=_("指导内容"), widget=forms.Textarea(attrs={"rows": 2}))
    issues = forms.CharField(
        label=_("发现问题及建议"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, instructor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entity"].queryset = instructor.entities.order_by("name").distinct()


class CrossAppointmentForm(forms.Form):
    person_name = forms.CharField(label=_("姓名"), max_length=50)
    org = forms.ModelChoiceField(label=_("本职所在党组织"), queryset=PartyOrg.objects.none())
    position = forms.CharField(label=_("本职职务"), max_length=100)
    other_org = forms.ModelChoiceField(
        label=_("兼职党组织"), queryset=PartyOrg.objects.none(), required=False
    )
    other_entity = forms.ModelChoiceField(label=_("兼职单位"), queryset=Entity.objects.none(), required=False)
    other_name = forms.CharField(label=_("兼职单位（其他）"), max_length=150, required=False)
    other_position = forms.CharField(label=_("兼任职务"), max_length=100)
    starts_on = forms.DateField(label=_("任职开始"), widget=_DATE)
    ends_on = forms.DateField(label=_("任职结束"), widget=_DATE, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = org_choices(user)
        self.fields["other_org"].queryset = org_choices(user)
        self.fields["other_entity"].queryset = entity_choices(user)


class TeamForm(forms.Form):
    name = forms.CharField(label=_("服务团队"), max_length=100)
    area = _ScopedChoices(label=_("所属区域"), queryset=Area.objects.none())
    leader = forms.CharField(label=_("团队负责人"), max_length=50, required=False)
    description = forms.CharField(
        label=_("服务内容"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    members = forms.CharField(
        label=_("团队成员"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("每行一人：姓名，职务或专长"),
    )
    submission = SubmissionField()  # posted twice (a double click), one team
    entities = BoundedModelMultipleChoiceField(
        label=_("服务单位"),
        queryset=Entity.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = area_choices(user)
        self.fields["entities"].queryset = entity_choices(user)

    def member_pairs(self) -> list[tuple[str, str]]:
        pairs = []
        for line in (self.cleaned_data.get("members") or "").splitlines():
            name, _sep, role = line.replace("，", ",").partition(",")
            if name.strip():
                pairs.append((name.strip(), role.strip()))
        return pairs


class ServiceRecordForm(forms.Form):
    served_on = forms.DateField(label=_("服务日期"), widget=_DATE)
    entity = forms.ModelChoiceField(label=_("服务单位"), queryset=Entity.objects.none(), required=False)
    content = forms.CharField(label=_("服务内容"), widget=forms.Textarea(attrs={"rows": 2}))
    participants = forms.IntegerField(label=_("参与人数"), min_value=1, initial=1)

    def __init__(self, *args, team, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entity"].queryset = team.entities.order_by("name")
