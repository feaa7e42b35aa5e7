"""Forms of the duties pages. They collect and type the input; the rules (levels, deadlines, THE RULE of
社区事务准入制) live in `services.issue_task`, whose errors the views attach to these fields."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grassroots.areas.models import Area, Level
from grassroots.areas.selectors import with_path_labels
from grassroots.areas.subtree import ancestor_paths, under_q
from grassroots.core.admission.models import AdmittedAffair
from grassroots.core.duties.models import DutyAssignment, DutyTask, Office, OfficeKind, OfficePost
from grassroots.core.duties.services import target_levels_below
from grassroots.portal.submissions import SubmissionField


def affair_choices(user, area: Area):
    """Affairs of the catalog the user sees that could apply to `area`'s targets (of an area at or above it,
    or inside it) and are not expired today. Whether one fits the deadline and every target is the
    service's decision."""
    above = ancestor_paths(area.path)
    today = timezone.localdate()
    return (
        AdmittedAffair.visible_to(user)
        .filter(Q(area__path__in=above) | under_q(area.path))
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today))
        .select_related("area")
        .order_by("name")
    )


class AffairChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: AdmittedAffair) -> str:
        until = obj.valid_to.isoformat() if obj.valid_to else _("长期")
        return f"{obj.name}（{obj.area.name}，{obj.department}，{_('有效期至')} {until}）"


TARGET_CHOICES_MAX = 300  # areas offered for a chosen subset; a wider issue goes to a whole level


class TaskForm(forms.Form):
    submission = SubmissionField()  # posted twice (a double click), one task
    title = forms.CharField(label=_("任务名称"), max_length=150)
    description = forms.CharField(
        label=_("任务内容"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    deadline = forms.DateField(label=_("完成时限"), widget=forms.DateInput(attrs={"type": "date"}))
    evidence_required = forms.CharField(
        label=_("佐证材料要求"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    weight = forms.DecimalField(
        label=_("考核权重"), max_digits=5, decimal_places=2, min_value=Decimal("0"), initial=Decimal("1")
    )
    target_level = forms.TypedChoiceField(label=_("下发到"), coerce=int)
    office = forms.ModelChoiceField(label=_("牵头科室"), queryset=Office.objects.none(), required=False)
    affair = AffairChoiceField(
        label=_("准入事项"),
        queryset=AdmittedAffair.objects.none(),
        required=False,
        help_text=_("下发到社区的任务必须属于社区事务准入目录中的事项（在完成时限当天有效）。"),
    )
    targets = forms.TypedMultipleChoiceField(
        label=_("承办单位"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("不选则下发给所选层级的全部单位；只选所选层级的单位。"),
    )

    def __init__(self, *args, user, area: Area, parent: DutyAssignment | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.area = area
        levels = target_levels_below(area)
        self.fields["target_level"].choices = [(level, Level(level).label) for level in levels]
        if levels and not self.initial.get("target_level"):
            self.initial["target_level"] = levels[0]
        self.fields["office"].queryset = Office.objects.filter(area=area, retired=False).order_by(
            "kind", "name"
        )
        self.fields["affair"].queryset = affair_choices(user, area)
        below = Area.objects.filter(under_q(area.path, "path"), level__in=levels, retired=False)
        self.target_areas = with_path_labels(below.exclude(pk=area.pk).order_by("path")[:TARGET_CHOICES_MAX])
        self.fields["targets"].choices = [
            (a.pk, f"{a.path_label} · {a.level_label}") for a in self.target_areas
        ]
        if parent is not None and parent.task.affair_id and not self.initial.get("affair"):
            self.initial["affair"] = parent.task.affair_id

    def clean_targets(self):
        """The chosen areas, or None for every area of the level (the service checks their level)."""
        chosen = set(self.cleaned_data.get("targets") or ())
        return [a for a in self.target_areas if a.pk in chosen] or None

    @staticmethod
    def initial_from(task: DutyTask) -> dict:
        return {
            "title": task.title,
            "description": task.description,
            "deadline": task.deadline,
            "evidence_required": task.evidence_required,
            "weight": task.weight,
            "target_level": task.target_level,
            "office": task.office_id,
            "affair": task.affair_id,
        }


class OfficeForm(forms.Form):
    kind = forms.ChoiceField(label=_("类别"), choices=OfficeKind.choices)
    name = forms.CharField(label=_("名称"), max_length=50)


class AssignOfficeForm(forms.Form):
    office = forms.ModelChoiceField(label=_("承办科室"), queryset=Office.objects.none(), required=False)

    def __init__(self, *args, area: Area, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["office"].queryset = Office.objects.filter(area=area, retired=False).order_by(
            "kind", "name"
        )


class OfficeMemberForm(forms.Form):
    office = forms.ModelChoiceField(label=_("科室"), queryset=Office.objects.none())
    user = forms.ModelChoiceField(label=_("人员"), queryset=Office.objects.none())
    post = forms.ChoiceField(label=_("职务"), choices=OfficePost.choices, initial=OfficePost.STAFF)

    def __init__(self, *args, offices, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["office"].queryset = offices
        self.fields["user"].queryset = candidates
        self.fields["user"].label_from_instance = lambda u: u.display_name
