"""Forms of dual registration (双报到): a member's registration (the community defaults to where they live)
and a unit Party organization's."""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from grassroots.areas.models import Area, Level, PartyOrgKind
from grassroots.core.members.forms.records import community_choices
from grassroots.core.members.selectors.records import MAX_OPTIONS, orgs_for


class MemberRegistrationForm(forms.Form):
    community = forms.ModelChoiceField(
        label=_("报到社区（居住地所在社区）"),
        queryset=Area.objects.filter(level=Level.COMMUNITY, retired=False),
        required=False,
        help_text=_("留空则按档案中的居住地址确定。"),
    )
    services_offered = forms.CharField(
        label=_("可提供的服务"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("如：法律咨询、义诊、课业辅导、志愿服务时间等。"),
    )

    def __init__(self, *args, registrar=None, member=None, **kwargs):
        """`registrar`: a staff member registering `member` (not the member themself): the communities offered
        are those of their scope (`members.change`), and the member's home community wherever it is."""
        super().__init__(*args, **kwargs)
        if registrar is None:
            self.fields["community"].choices = community_choices()
            return
        from grassroots.access.scoping import scoped
        from grassroots.core.members.services.registration import community_of

        home = community_of(member.home_area) if member is not None else None
        offered = scoped(Area.objects.all(), registrar, "members.change", "path")
        offered = Area.objects.filter(Q(pk__in=offered.values("pk")) | Q(pk=home.pk if home else None))
        self.fields["community"].queryset = offered.filter(level=Level.COMMUNITY, retired=False)
        self.fields["community"].choices = community_choices(offered)


class OrgRegistrationForm(forms.Form):
    party_org = forms.ModelChoiceField(
        label=_("单位党组织"),
        queryset=None,
        error_messages={"invalid_choice": _("请选择您负责的党组织。")},
    )
    community = forms.ModelChoiceField(
        label=_("报到社区（单位所在社区）"),
        queryset=Area.objects.filter(level=Level.COMMUNITY, retired=False),
    )
    services_offered = forms.CharField(
        label=_("可提供的服务和资源"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        orgs = (
            orgs_for(user, "members.change").exclude(kind=PartyOrgKind.GROUP).order_by("area__path", "name")
        )
        self.fields["party_org"].queryset = orgs
        self.fields["party_org"].choices = [("", _("请选择")), *orgs.values_list("pk", "name")[:MAX_OPTIONS]]
        self.fields["community"].choices = community_choices()
