"""Forms that file a dispute (a resident online; a grid worker or a station on residents' behalf), the
judicial confirmation on the case page, and the pickers they share: the place among the areas the filer may
file in, a resident found by name (a search box fetching options, never a select of every resident). They
parse and check input; the rules live in services_disputes.file_dispute."""

from __future__ import annotations

from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from grassroots.areas.models import Area, Level
from grassroots.forms import SearchSelect
from grassroots.ids import as_id
from grassroots.lawgov.forms_disputes import OwnIds
from grassroots.lawgov.models_disputes import DisputeCategory, DisputeKind, DisputeLevel, PartyRole, Urgency
from grassroots.portal.submissions import SubmissionField

AREA_OPTIONS = 200
RESIDENT_OPTIONS = 20


def place_areas(queryset):
    """The areas a dispute may be said to happen in: a community and its grids and courtyards, live."""
    return queryset.filter(level__gte=Level.COMMUNITY, level__lte=Level.COURTYARD, retired=False).order_by(
        "path"
    )


def resident_label(user) -> str:
    home = getattr(user, "home_area", None)
    name = user.full_name or user.username
    return f"{name}（{home.name}）" if home is not None else name


class ResidentSelect(SearchSelect):
    def __init__(self):
        super().__init__(
            search_url=reverse_lazy("lawgov:resident_options"),
            placeholder=_("输入姓名查找居民"),
            search_label=_("查找居民"),
        )


def offer_residents(field, queryset, data_value) -> None:
    """The field validates against `queryset`; its select shows only the chosen resident (the search box
    fetches the others)."""
    field.queryset = queryset
    shown = []
    if pk := as_id(data_value):
        shown = list(queryset.filter(pk=pk).select_related("home_area"))
    field.widget.choices = [("", "---------"), *[(u.pk, resident_label(u)) for u in shown]]


class DisputeForm(forms.Form):
    """A dispute as its filer tells it. `intake=True` (a grid worker, a station) adds the applicant: a
    resident found by name (who then follows the case on 我的纠纷) and/or their name and contacts; online
    the resident filing is the applicant."""

    submission = SubmissionField()  # posted twice (a double click), one case
    area = forms.ModelChoiceField(
        label=_("纠纷发生地"),
        queryset=Area.objects.none(),
        error_messages={"required": _("请选择纠纷发生地。"), "invalid_choice": _("请选择纠纷发生地。")},
    )
    title = forms.CharField(
        label=_("纠纷事由"),
        max_length=200,
        help_text=_("一句话说明，如“楼上漏水纠纷”"),
        error_messages={"required": _("请填写纠纷事由。")},
    )
    category = forms.ChoiceField(
        label=_("纠纷类别"),
        choices=[("", "---------"), *DisputeCategory.choices],
        error_messages={"required": _("请选择纠纷类别。"), "invalid_choice": _("请选择纠纷类别。")},
    )
    description = forms.CharField(
        label=_("纠纷经过"),
        max_length=8000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("请填写纠纷经过。")},
    )
    request = forms.CharField(
        label=_("当事人请求"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("希望如何解决，可留空"),
    )
    urgency = forms.ChoiceField(
        label=_("紧急程度"),
        choices=Urgency.choices,
        initial=Urgency.NORMAL,
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择紧急程度。")},
    )
    at_risk = forms.BooleanField(
        label=_("可能激化"),
        required=False,
        help_text=_("有打架、上访、伤害等苗头时勾选：走快速通道，并提醒街道。"),
    )
    level = forms.TypedChoiceField(
        label=_("受理层级"),
        coerce=int,
        choices=(),
        required=False,
        empty_value=DisputeLevel.COMMUNITY.value,
        initial=DisputeLevel.COMMUNITY.value,
        help_text=_("街道或县（区）直接受理的纠纷，选择相应层级；默认由社区调解委员会受理"),
        error_messages={"invalid_choice": _("您无权将纠纷指定到该层级受理。")},
    )
    kind = forms.ChoiceField(
        label=_("调解类型"),
        choices=DisputeKind.choices,
        required=False,
        initial=DisputeKind.PEOPLES,
        help_text=_("调解期限按调解类型计算"),
        error_messages={"invalid_choice": _("请选择调解类型。")},
    )
    applicant = forms.ModelChoiceField(
        label=_("申请人（居民账号）"),
        queryset=None,
        required=False,
        widget=ResidentSelect(),
        help_text=_("选定后，该居民可在“我的纠纷调解”中查看进展"),
        error_messages={"invalid_choice": _("请在您负责的区域内查找居民。")},
    )
    applicant_name = forms.CharField(
        label=_("申请人姓名"), max_length=100, required=False, help_text=_("已选居民账号时可留空")
    )
    applicant_phone = forms.CharField(label=_("申请人电话"), max_length=20, required=False)
    applicant_address = forms.CharField(label=_("申请人住址"), max_length=200, required=False)
    respondent_name = forms.CharField(label=_("对方当事人姓名"), max_length=100, required=False)
    respondent_phone = forms.CharField(label=_("对方当事人电话"), max_length=20, required=False)
    respondent_address = forms.CharField(label=_("对方当事人住址"), max_length=200, required=False)

    APPLICANT = ("applicant", "applicant_name", "applicant_phone", "applicant_address")
    ASSIGNMENT = ("level", "kind")

    def __init__(self, *args, areas, residents=None, intake: bool = False, levels=(), **kwargs):
        """`levels`: those the filer may receive a case at (services_disputes.intake_levels), offered when
        there is a choice; online the case goes to the community's people's mediation, no choice."""
        super().__init__(*args, **kwargs)
        self.intake = intake
        self.fields["area"].queryset = areas
        if intake:
            chosen = self.data.get("applicant") if self.is_bound else self.initial.get("applicant")
            offer_residents(self.fields["applicant"], residents, chosen)
            self.fields["level"].choices = [
                (level.value, level.label) for level in reversed(DisputeLevel) if level.value in levels
            ] or [(DisputeLevel.COMMUNITY.value, DisputeLevel.COMMUNITY.label)]
        else:
            for name in self.APPLICANT + self.ASSIGNMENT:
                del self.fields[name]

    def clean(self):
        data = super().clean()
        if self.intake and not data.get("applicant") and not (data.get("applicant_name") or "").strip():
            self.add_error("applicant_name", _("请填写申请人姓名，或查找选定居民。"))
        return data

    def parties(self) -> list[dict]:
        data = self.cleaned_data
        parties = []
        if self.intake:
            user = data.get("applicant")
            name = (data.get("applicant_name") or "").strip() or (
                user.full_name or user.username if user else ""
            )
            parties.append(
                {
                    "role": PartyRole.APPLICANT,
                    "name": name,
                    "phone": data.get("applicant_phone") or (user.phone if user else ""),
                    "address": data.get("applicant_address") or "",
                    "user": user,
                }
            )
        if (data.get("respondent_name") or "").strip():
            parties.append(
                {
                    "role": PartyRole.RESPONDENT,
                    "name": data["respondent_name"],
                    "phone": data.get("respondent_phone") or "",
                    "address": data.get("respondent_address") or "",
                }
            )
        return parties

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "area": data["area"],
            "title": data["title"],
            "category": data["category"],
            "description": data["description"],
            "request": data.get("request") or "",
            "urgency": data["urgency"],
            "at_risk": bool(data.get("at_risk")),
            "parties": self.parties(),
            **(
                {"level": data["level"], "kind": data.get("kind") or DisputeKind.PEOPLES}
                if self.intake
                else {}
            ),
            "submission": data.get("submission") or "",
        }

    def error_field(self, key: str) -> str | None:
        """Where a refusal of the service keyed `key` sits on this form."""
        if key == "parties":
            return "applicant_name" if self.intake else "respondent_name"
        return key if key in self.fields else None


class ConfirmForm(OwnIds, forms.Form):
    """司法确认 of a settled case's agreement: the date and the court."""

    id_prefix = "confirm"
    on = forms.DateField(
        label=_("司法确认日期"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": _("请填写司法确认日期。"), "invalid": _("请填写正确的日期。")},
    )
    court = forms.CharField(
        label=_("作出确认的法院"),
        max_length=100,
        help_text=_("如“雨城区人民法院”"),
        error_messages={"required": _("请填写作出确认的法院。")},
    )
