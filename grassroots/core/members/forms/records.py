"""Forms of the record pages (档案, 识别, 我的). They parse input and check each field on its own (the ID
number's check digit, the phone's form); the rules across fields and the scope live in services/records.py,
whose ValidationErrors the views attach to the same fields."""

from __future__ import annotations

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from grassroots.accounts.services.verification import address_areas, address_label, ancestors_of
from grassroots.areas.models import Area, Level, PartyOrgKind
from grassroots.areas.subtree import ancestor_paths, under_q
from grassroots.core.members.identity import validate_id_number, validate_mobile
from grassroots.core.members.models import Education, Gender, Member, MemberTag, TagKind
from grassroots.core.members.selectors.records import MAX_OPTIONS, orgs_for, workplace_choices
from grassroots.forms import BoundedModelMultipleChoiceField
from grassroots.ids import as_id


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def community_choices(communities=None) -> list:
    """Live communities (or those of `communities`, a queryset of areas), grouped by county and street (two
    queries)."""
    if communities is None:
        communities = Area.objects.all()
    communities = list(communities.filter(level=Level.COMMUNITY, retired=False).order_by("path"))
    ancestors = ancestors_of(communities)
    groups: dict[str, list] = {}
    for community in communities:
        parents = [ancestors.get(community.path[: i * Area.steplen]) for i in (2, 3)]
        groups.setdefault(" ".join(a.name for a in parents if a is not None), []).append(
            (community.pk, community.name)
        )
    return [("", _("请选择社区")), *groups.items()]


def address_choices(community: Area | None) -> list:
    if community is None:
        return [("", _("请先选择社区"))]
    areas = list(address_areas().filter(under_q(community.path, "path")).order_by("path"))
    ancestors = ancestors_of(areas)
    return [("", _("未填写")), *((a.pk, address_label(a, ancestors, top=Level.GRID)) for a in areas)]


class HomeFields(forms.Form):
    """The home address: a community first, then a courtyard, compound or building in it (htmx loads the
    second list when the first changes, through the registration page's endpoint)."""

    home_community = forms.ModelChoiceField(
        label=_("居住社区"),
        queryset=Area.objects.filter(level=Level.COMMUNITY, retired=False),
        required=False,
    )
    home_area = forms.ModelChoiceField(
        label=_("居住地址（院落、小区或楼栋）"),
        queryset=Area.objects.none(),
        required=False,
        error_messages={"invalid_choice": _("请在所选社区中选择院落、小区或楼栋。")},
    )

    def setup_home(self, current: Area | None) -> None:
        community = self._chosen_community(current)
        if community is not None and not self.is_bound:
            self.initial.setdefault("home_community", community.pk)
        self.fields["home_community"].choices = community_choices()
        if community is not None:
            self.fields["home_area"].queryset = address_areas().filter(under_q(community.path, "path"))
        self.fields["home_area"].choices = address_choices(community)
        self.fields["home_community"].widget.attrs.update(
            {
                "hx-get": reverse("accounts:register_areas"),
                "hx-target": "#id_home_area",
                "hx-trigger": "change",
                "hx-swap": "innerHTML",
                "hx-vals": 'js:{"community": document.getElementById("id_home_community").value}',
            }
        )

    def _chosen_community(self, current: Area | None) -> Area | None:
        if self.is_bound:
            pk = as_id(self.data.get("home_community"))
            if pk is None:
                return None
            return Area.objects.filter(pk=pk, level=Level.COMMUNITY, retired=False).first()
        if current is None:
            return None
        paths = ancestor_paths(current.path, include_self=False)
        return Area.objects.filter(path__in=paths, level=Level.COMMUNITY).first()


class MemberForm(HomeFields):
    """Create or edit a record. On edit the ID number and phone are left empty (they are not shown in
    full to everyone): empty means unchanged."""

    name = forms.CharField(label=_("姓名"), max_length=50)
    id_number = forms.CharField(
        label=_("身份证号"),
        max_length=18,
        validators=[validate_id_number],
        widget=forms.TextInput(attrs={"autocomplete": "off", "maxlength": 18}),
    )
    gender = forms.ChoiceField(
        label=_("性别"),
        choices=[("", _("按身份证号填写")), *Gender.choices],
        required=False,
    )
    birth_date = forms.DateField(
        label=_("出生日期"), required=False, widget=DateInput(), help_text=_("留空则按身份证号填写。")
    )
    ethnicity = forms.CharField(label=_("民族"), max_length=20, initial="汉族", required=False)
    phone = forms.CharField(
        label=_("手机号"),
        max_length=20,
        required=False,
        validators=[validate_mobile],
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "maxlength": 11}),
    )
    education = forms.ChoiceField(
        label=_("学历"), choices=[("", _("未填写")), *Education.choices], required=False
    )
    occupation = forms.CharField(label=_("职业"), max_length=50, required=False)
    work_unit = forms.CharField(label=_("工作单位"), max_length=100, required=False)
    workplace = forms.ModelChoiceField(
        label=_("所在新兴领域单位"),
        queryset=None,
        required=False,
        help_text=_("在联合建立党组织的新兴领域单位工作的，选择该单位：单位的党员数按此统计。"),
    )
    in_service = forms.BooleanField(label=_("在职党员"), required=False)
    branch = forms.ModelChoiceField(
        label=_("所在党支部"),
        queryset=None,
        error_messages={"invalid_choice": _("请选择您负责的党支部。")},
    )
    joined_probationary_on = forms.DateField(label=_("入党时间（预备党员）"), widget=DateInput())
    joined_full_on = forms.DateField(
        label=_("转正时间"), required=False, widget=DateInput(), help_text=_("预备党员留空。")
    )

    field_order = [
        "name",
        "id_number",
        "gender",
        "birth_date",
        "ethnicity",
        "phone",
        "education",
        "occupation",
        "work_unit",
        "workplace",
        "in_service",
        "home_community",
        "home_area",
        "branch",
        "joined_probationary_on",
        "joined_full_on",
    ]

    def __init__(self, *args, user, member: Member | None = None, **kwargs):
        self.member = member
        if member is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                field: getattr(member, field)
                for field in (
                    "name",
                    "gender",
                    "birth_date",
                    "ethnicity",
                    "education",
                    "occupation",
                    "work_unit",
                    "workplace",
                    "in_service",
                    "home_area",
                    "joined_probationary_on",
                    "joined_full_on",
                )
            }
            kwargs["initial"]["branch"] = member.branch_id
        super().__init__(*args, **kwargs)
        self.fields["workplace"].queryset = workplace_choices(user)
        self.fields["workplace"].choices = [
            ("", _("无")),
            *((e.pk, e.name) for e in self.fields["workplace"].queryset[:MAX_OPTIONS]),
        ]
        branches = orgs_for(user, "members.change").exclude(kind=PartyOrgKind.GROUP)
        self.fields["branch"].queryset = branches.order_by("area__path", "name")
        self.fields["branch"].choices = [
            ("", _("请选择")),
            *((o.pk, o.name) for o in self.fields["branch"].queryset[:MAX_OPTIONS]),
        ]
        if member is not None:
            for name, masked in (("id_number", member.id_masked), ("phone", member.phone_masked)):
                field = self.fields[name]
                field.required = False
                field.widget.attrs["placeholder"] = masked or ""
                field.help_text = _("留空表示不修改。")
        self.setup_home(member.home_area if member is not None else None)

    def changes(self) -> dict:
        """The cleaned values in the services' terms (edit: only what was filled in for ID and phone)."""
        data = dict(self.cleaned_data)
        data.pop("home_community", None)
        data["gender"] = data.get("gender") or ""
        data["ethnicity"] = (data.get("ethnicity") or "").strip() or "汉族"
        if self.member is not None:
            for name in ("id_number", "phone"):
                if not data.get(name):
                    data.pop(name, None)
        return data


class TagsForm(forms.Form):
    """The record's tags, skills and care situations (one list of boxes per kind), and a new catalogue
    entry."""

    tag = BoundedModelMultipleChoiceField(
        label=TagKind.TAG.label,
        queryset=MemberTag.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    skill = BoundedModelMultipleChoiceField(
        label=TagKind.SKILL.label,
        queryset=MemberTag.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    care = BoundedModelMultipleChoiceField(
        label=TagKind.CARE.label,
        queryset=MemberTag.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    new_name = forms.CharField(label=_("新增标签"), max_length=30, required=False)
    new_kind = forms.ChoiceField(label=_("类别"), choices=TagKind.choices, required=False)

    def __init__(self, *args, member: Member, **kwargs):
        current = list(member.tags.all())
        kwargs.setdefault(
            "initial", {kind: [t.pk for t in current if t.kind == kind] for kind in TagKind.values}
        )
        super().__init__(*args, **kwargs)
        for kind in TagKind.values:
            self.fields[kind].queryset = MemberTag.objects.filter(kind=kind).order_by("name")

    def chosen(self) -> list[MemberTag]:
        return [tag for kind in TagKind.values for tag in self.cleaned_data.get(kind) or []]


class LinkUserForm(forms.Form):
    username = forms.CharField(
        label=_("平台账号（用户名）"), max_length=150, required=False, help_text=_("留空表示解除关联。")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)


class OwnRecordForm(HomeFields):
    """我的: what a member corrects on their own record."""

    phone = forms.CharField(
        label=_("手机号"),
        max_length=20,
        required=False,
        validators=[validate_mobile],
        help_text=_("留空表示不修改。"),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "tel", "maxlength": 11}),
    )
    education = forms.ChoiceField(
        label=_("学历"), choices=[("", _("未填写")), *Education.choices], required=False
    )
    occupation = forms.CharField(label=_("职业"), max_length=50, required=False)
    work_unit = forms.CharField(label=_("工作单位"), max_length=100, required=False)

    field_order = ["phone", "education", "occupation", "work_unit", "home_community", "home_area"]

    def __init__(self, *args, member: Member, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "education": member.education,
                "occupation": member.occupation,
                "work_unit": member.work_unit,
                "home_area": member.home_area_id,
            },
        )
        super().__init__(*args, **kwargs)
        self.fields["phone"].widget.attrs["placeholder"] = member.phone_masked
        self.setup_home(member.home_area)

    def changes(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("home_community", None)
        if not data.get("phone"):
            data.pop("phone", None)
        return data
