"""Forms of co-governance's pages: they parse; the services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from grassroots.accounts.pii import kept_phone, mask_phone
from grassroots.cogov import selectors
from grassroots.cogov.models import (
    AgreementStatus,
    Availability,
    Partner,
    PartnerKind,
    Resource,
    Side,
)
from grassroots.files.checks import ATTACHMENTS
from grassroots.files.fields import CheckedFileField
from grassroots.portal.submissions import SubmissionField

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PartnerForm(forms.ModelForm):
    class Meta:
        model = Partner
        fields = [
            "entity",
            "name",
            "kind",
            "area",
            "address",
            "party_org",
            "contact_name",
            "contact_phone",
            "representatives",
            "note",
        ]
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entity"].queryset = selectors.linkable_entities(user, self.instance)
        self.fields["area"].queryset = selectors.partner_areas(user)
        self.fields["party_org"].queryset = selectors.linkable_party_orgs(user, self.instance)
        self.fields["representatives"].queryset = selectors.representative_candidates(user)
        self.fields["entity"].empty_label = _("（不是新兴领域单位）")
        self.fields["party_org"].empty_label = _("（暂无党组织）")
        for name in ("name", "area", "kind"):
            self.fields[
                name
            ].required = False  # from the entity when one is chosen; the service says what is missing
        # The contact person's phone follows the one masking rule (accounts/pii.py) on the edit form too: it
        # is shown masked to every editor (the full number is read on the partner's page, `?show=pii`, by
        # holders of people.view_pii, audited); the masked value sent back unchanged keeps the stored number.
        self.stored_phone = self.instance.contact_phone if self.instance.pk else ""
        if self.stored_phone:
            self.initial["contact_phone"] = mask_phone(self.stored_phone)
            self.fields["contact_phone"].help_text = _("显示为隐藏中间位的号码；不修改则保留原号码。")

    def clean_contact_phone(self) -> str:
        value = kept_phone(self.cleaned_data.get("contact_phone"), self.stored_phone)
        if value is None:
            raise forms.ValidationError(_("请填写完整的手机号码，或保留原来显示的号码不变。"))
        return value

    def _post_clean(self):  # the service checks the partner as a whole
        pass


class ResourceForm(forms.ModelForm):
    class Meta:
        model = Resource
        fields = ["kind", "name", "quantity", "unit", "note"]

    def _post_clean(self):
        pass


class VolunteerForm(forms.Form):
    skills = forms.CharField(
        label=_("技能特长"),
        max_length=250,
        help_text=_("用逗号或空格分隔，如：医疗护理，理发，法律咨询"),
    )
    availability = forms.MultipleChoiceField(
        label=_("可服务时间"),
        choices=Availability.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def clean_skills(self) -> list[str]:
        raw = self.cleaned_data["skills"].replace("，", ",").replace("、", ",").replace(" ", ",")
        return [s.strip() for s in raw.split(",") if s.strip()]


class StaffVolunteerForm(VolunteerForm):
    person = forms.ModelChoiceField(label=_("居民或党员"), queryset=None)

    field_order = ["person", "skills", "availability"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = selectors.volunteer_candidates(user)
        self.fields["person"].empty_label = _("请选择…")


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class AgreementForm(forms.Form):
    submission = SubmissionField()  # posted twice (a double click), one agreement
    party_org = forms.ModelChoiceField(label=_("街道（社区）党组织"), queryset=None)
    partner = forms.ModelChoiceField(label=_("共建单位"), queryset=None)
    title = forms.CharField(label=_("协议名称"), max_length=150)
    starts_on = forms.DateField(label=_("开始日期"), widget=DATE)
    ends_on = forms.DateField(label=_("截止日期"), widget=DATE)
    signed_on = forms.DateField(label=_("签订日期"), widget=DATE)
    org_commitments = forms.CharField(
        label=_("党组织一方的承诺"), widget=forms.Textarea(attrs={"rows": 3}), help_text=_("每行一项")
    )
    partner_commitments = forms.CharField(
        label=_("共建单位一方的承诺"), widget=forms.Textarea(attrs={"rows": 3}), help_text=_("每行一项")
    )
    file = CheckedFileField(
        label=_("协议文本（签字盖章的扫描件）"),
        allowed=ATTACHMENTS,
        max_bytes=10 * 1024 * 1024,
        required=False,
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["party_org"].queryset = selectors.signing_orgs(user)
        self.fields["partner"].queryset = selectors.signable_partners(user)
        self.fields["party_org"].empty_label = _("请选择…")
        self.fields["partner"].empty_label = _("请选择…")

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        data["commitments"] = [(Side.ORG, t) for t in _lines(data.pop("org_commitments"))] + [
            (Side.PARTNER, t) for t in _lines(data.pop("partner_commitments"))
        ]
        return data


class RenewForm(forms.Form):
    ends_on = forms.DateField(label=_("新的截止日期"), widget=DATE)
    signed_on = forms.DateField(label=_("签订日期"), widget=DATE)
    file = CheckedFileField(
        label=_("协议文本"), allowed=ATTACHMENTS, max_bytes=10 * 1024 * 1024, required=False
    )


class EndForm(forms.Form):
    reason = forms.CharField(label=_("终止原因"), widget=forms.Textarea(attrs={"rows": 2}))


class PartnerFilter(forms.Form):
    q = forms.CharField(label=_("单位名称"), required=False, max_length=50)
    kind = forms.ChoiceField(
        label=_("单位类型"), choices=[("", _("全部")), *PartnerKind.choices], required=False
    )


class AgreementFilter(forms.Form):
    status = forms.ChoiceField(
        label=_("状态"), choices=[("", _("全部")), *AgreementStatus.choices], required=False
    )


class VolunteerFilter(forms.Form):
    q = forms.CharField(label=_("姓名"), required=False, max_length=50)
    skill = forms.CharField(label=_("技能特长"), required=False, max_length=20)
