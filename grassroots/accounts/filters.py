"""The accounts lists' FilterSets, each for its page and its API alike: people (用户, `/api/users/`), grants
(a person's page, `/api/grants/`) and real-name verifications (实名核验, `/api/verifications/`)."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters

from grassroots.access.scoping import area_from_request
from grassroots.accounts.models import ResidentVerification, RoleGrant, User, VerificationState
from grassroots.accounts.pii import may_search_by_number, phone_hash
from grassroots.accounts.roles import Role
from grassroots.accounts.services.grants import visible_grants
from grassroots.api.filters import IdFilter, SubtreeFilter
from grassroots.areas.subtree import under_q


class UserFilter(filters.FilterSet):
    q = filters.CharFilter(
        method="search", label=_("按姓名、用户名（有查看完整手机号权限者还可按手机号）查找")
    )
    role = filters.ChoiceFilter(choices=Role.choices, method="with_role", label=_("在您的范围内拥有该角色"))
    area = IdFilter(method="in_area", label=_("居住地或授权区域位于该区域（含下级）"))

    class Meta:
        model = User
        fields = ["is_active"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        match = Q(full_name__icontains=value) | Q(username__icontains=value)
        if may_search_by_number(self.request.user):  # only those who may read phone numbers search by them
            match |= Q(phone_hash=phone_hash(value))  # a whole number: it is stored encrypted
        return queryset.filter(match)

    def with_role(self, queryset, name, value):
        ids = visible_grants(self.request.user).filter(role=value).values("user_id")
        return queryset.filter(pk__in=ids)

    def in_area(self, queryset, name, value):
        path = area_from_request(self.request, "areas.view", param=name).path
        ids = visible_grants(self.request.user).filter(under_q(path)).values("user_id")
        return queryset.filter(under_q(path, "home_area__path") | Q(pk__in=ids))


class GrantFilter(filters.FilterSet):
    area = SubtreeFilter(label=_("授权区域位于该区域（含下级）"))
    user = IdFilter(field_name="user_id", label=_("用户 id"))

    class Meta:
        model = RoleGrant
        fields = ["role"]


class VerificationFilter(filters.FilterSet):
    """`?state=` (the page opens on 待核验), `?area=` (the address, with its subtree)."""

    state = filters.ChoiceFilter(choices=VerificationState.choices, label=_("状态"))
    area = SubtreeFilter(path_field="area__path")

    class Meta:
        model = ResidentVerification
        fields = ["state", "area"]
