"""Forms of the negotiations' pages (parse and check input; the rules live in services/negotiations.py). The
choices are the user's own: areas they manage, Party organizations of those areas and above, matters they
see, organizations of the register they see, and the negotiation's own parties, sessions and items."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from grassroots.access.scoping import scope_paths
from grassroots.areas.models import Area, Level, PartyOrg
from grassroots.areas.subtree import under_q
from grassroots.files.checks import ATTACHMENTS, MAX_ATTACHMENT_BYTES
from grassroots.files.fields import CheckedFileField
from grassroots.portal.submissions import SubmissionField
from grassroots.selfgov import selectors, selectors_negotiations
from grassroots.selfgov.forms import when
from grassroots.selfgov.models import Matter
from grassroots.selfgov.models_negotiations import PartyKind

MANAGE = "selfgov.manage"


class OwnIds:
    """The negotiation's page shows several of these forms at once, and several have a field `text`: each form
    gets ids of its own (`id_<prefix>_<field>`), so that each label names its own control (two `id_text` made
    the agreement's label 协议内容 point at the position's hidden textarea)."""

    id_prefix = ""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", f"id_{self.id_prefix}_%s")
        super().__init__(*args, **kwargs)


class NegotiationForm(forms.Form):
    submission = SubmissionField()  # posted twice (a double click), one negotiation
    area = forms.ModelChoiceField(label=_("涉及范围"), queryset=Area.objects.none())
    party_org = forms.ModelChoiceField(label=_("牵头党组织"), queryset=PartyOrg.objects.none())
    subject = forms.CharField(label=_("协商事项"), max_length=200)
    description = forms.CharField(
        label=_("争议情况"), max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    matter = forms.ModelChoiceField(label=_("来源事项"), queryset=Matter.objects.none(), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        paths = scope_paths(user, MANAGE)
        self.fields["area"].queryset = Area.objects.filter(
            under_q(paths, "path"), retired=False, level__gte=Level.COMMUNITY
        ).order_by("path")
        self.fields["area"].help_text = _("社区，或社区内的院落、楼栋")
        self.fields["party_org"].queryset = selectors_negotiations.org_choices(user).order_by(
            "area__path", "name"
        )
        self.fields["party_org"].help_text = _("本区域或上级区域的党组织")
        self.fields["matter"].queryset = selectors.visible_matters(user).order_by("-created_at")


class PartyForm(OwnIds, forms.Form):
    id_prefix = "party"
    kind = forms.ChoiceField(label=_("参与方类型"), choices=PartyKind.choices)
    partner = forms.ModelChoiceField(label=_("登记的单位"), queryset=PartyOrg.objects.none(), required=False)
    name = forms.CharField(label=_("名称或姓名"), max_length=100, required=False)
    role = forms.CharField(label=_("身份或代表"), max_length=100, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = selectors_negotiations.pickable_partners(user).order_by("name")
        self.fields["partner"].help_text = _(
            "已在共建单位中登记的单位选这里；未登记的单位或个人填写名称、姓名"
        )


class SessionForm(OwnIds, forms.Form):
    id_prefix = "session"
    starts_at = when(_("开始时间"))
    ends_at = when(_("结束时间"))
    place = forms.CharField(label=_("地点"), max_length=200, required=False)
    description = forms.CharField(
        label=_("议程"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )


class PositionForm(OwnIds, forms.Form):
    id_prefix = "position"
    session = forms.ModelChoiceField(label=_("协商会议"), queryset=PartyOrg.objects.none())
    party = forms.ModelChoiceField(label=_("参与方"), queryset=PartyOrg.objects.none())
    text = forms.CharField(label=_("立场与诉求"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, negotiation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = negotiation.sessions.select_related("gathering")
        self.fields["party"].queryset = negotiation.parties.select_related("partner")


class AgreementForm(OwnIds, forms.Form):
    id_prefix = "agreement"
    text = forms.CharField(label=_("协议内容"), max_length=8000, widget=forms.Textarea(attrs={"rows": 5}))
    file = CheckedFileField(
        label=_("协议文本（签字扫描件）"), allowed=ATTACHMENTS, max_bytes=MAX_ATTACHMENT_BYTES, required=False
    )


class FollowUpForm(OwnIds, forms.Form):
    id_prefix = "follow_up"
    text = forms.CharField(label=_("落实事项"), max_length=300)
    owner = forms.ModelChoiceField(label=_("责任方"), queryset=PartyOrg.objects.none())
    due_on = forms.DateField(label=_("完成期限"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, negotiation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = negotiation.parties.select_related("partner")


class FollowUpDoneForm(OwnIds, forms.Form):
    id_prefix = "follow_up_done"
    item = forms.ModelChoiceField(label=_("落实事项"), queryset=PartyOrg.objects.none())
    note = forms.CharField(label=_("落实情况"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, negotiation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = negotiation.follow_ups.filter(done_at__isnull=True)
