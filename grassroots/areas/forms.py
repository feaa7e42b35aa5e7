"""Forms of the area and Party organization pages. They only collect input; the rules live in the
services, whose ValidationErrors are put back on the fields with `grassroots.pages.attach_errors`."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.utils.translation import gettext_lazy as _

from grassroots.areas import rules, selectors
from grassroots.areas.models import Area, PartyOrgKind
from grassroots.files.checks import SPREADSHEETS
from grassroots.files.fields import CheckedFileField

MAX_UPLOAD_BYTES = 20 * 1024 * 1024


class _CodeField(forms.CharField):
    def __init__(self, **kwargs):
        super().__init__(
            label=_("区划代码"),
            required=False,
            max_length=12,
            help_text=_("国家统计局统计用区划代码，最多12位数字；没有可不填"),
            **kwargs,
        )

    def clean(self, value):
        value = rules.clean_code(super().clean(value))
        if message := rules.area_code_error(value):
            raise ValidationError(message)
        return value


class AreaCreateForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=rules.AREA_NAME_MAX)
    level = forms.TypedChoiceField(label=_("层级"), coerce=int)
    code = _CodeField()

    def __init__(self, *args, parent: Area | None, **kwargs):
        super().__init__(*args, **kwargs)
        choices = rules.levels_below(parent.level if parent is not None else 0)  # None: a new root
        self.fields["level"].choices = choices
        if choices:
            self.fields["level"].initial = choices[0][0]


class AreaEditForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=rules.AREA_NAME_MAX)
    code = _CodeField()


class AreaMoveForm(forms.Form):
    new_parent = forms.ModelChoiceField(
        label=_("新的上级区域"),
        queryset=Area.objects.none(),
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("请选择您管辖范围内、层级高于本区域的区域")},
    )

    def __init__(self, *args, area: Area, user, **kwargs):
        super().__init__(*args, **kwargs)
        # Any valid candidate (the page shows a searchable, bounded list of them).
        self.fields["new_parent"].queryset = selectors.move_candidates(area, user, limit=0)


class AreaRetireForm(forms.Form):
    cascade = forms.BooleanField(
        label=_("同时撤销整个下级区域树（包括其中的党组织）"),
        required=False,
    )


class PartyOrgForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=rules.ORG_NAME_MAX)
    kind = forms.ChoiceField(label=_("类型"), choices=PartyOrgKind.choices)
    parent = forms.ModelChoiceField(label=_("上级组织"), queryset=None, required=False)
    code = forms.CharField(label=_("组织编码"), max_length=rules.ORG_CODE_MAX, required=False)
    secretary = forms.ModelChoiceField(label=_("书记"), queryset=None, required=False)

    def __init__(self, *args, area: Area, user, org=None, **kwargs):
        super().__init__(*args, **kwargs)
        parents = selectors.parent_org_candidates(area, user)
        if org is not None:
            parents = parents.exclude(pk=org.pk)
        self.fields["parent"].queryset = parents
        self.fields["parent"].label_from_instance = lambda o: (
            f"{o.name}（{o.get_kind_display()} · {o.area.name}）"
        )
        self.fields["secretary"].queryset = selectors.secretary_candidates(
            area, include_pk=org.secretary_id if org is not None else None
        )
        self.fields["secretary"].label_from_instance = lambda u: f"{u.display_name}（{u.username}）"

    def clean_code(self):
        return rules.clean_code(self.cleaned_data.get("code"))


class PartyOrgRetireForm(forms.Form):
    confirm = forms.BooleanField(label=_("确认撤销该党组织"), required=True)


class ImportForm(forms.Form):
    file = CheckedFileField(
        allowed=SPREADSHEETS,
        max_bytes=MAX_UPLOAD_BYTES,
        label=_("xlsx 文件"),
        validators=[FileExtensionValidator(["xlsx"], message=_("请上传 .xlsx 文件"))],
        help_text=_("使用导入模板的格式；工作表“区域”和“党组织”至少有一个"),
    )
