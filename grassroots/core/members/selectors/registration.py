"""Reads of dual registration (双报到): the registrations a user may see (the community's side, the
registrant's side, the member themself), their one filter for the page and the API, and the totals of a
list (registered members and organizations, service hours) in one aggregate query."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Count, Q, QuerySet, Sum
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from grassroots.api.filters import IdFilter
from grassroots.areas.models import Area
from grassroots.areas.subtree import under_q
from grassroots.core.members.models import Member, Registration, RegistrationState
from grassroots.core.members.models.registration import OPEN_STATES


def registrations_for(user) -> QuerySet[Registration]:
    return Registration.visible_to(user).select_related(
        "member__branch", "party_org", "community", "registered_by", "decided_by"
    )


def get_registration_or_404(user, pk) -> Registration:
    try:
        return registrations_for(user).get(pk=pk)
    except (Registration.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def registrations_of(member: Member) -> tuple[list[Registration], Registration | None]:
    """The member's latest registrations (at most 10) and the open one among them, in one query."""
    rows = list(member.registrations.select_related("community").order_by("-created_at", "-pk")[:10])
    return rows, next((r for r in rows if r.state in OPEN_STATES), None)


KIND_CHOICES = [("member", _("在职党员")), ("org", _("单位党组织"))]
STATE_CHOICES = [("open", _("待确认和已报到")), *RegistrationState.choices]


class RegistrationFilter(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(
        label=_("状态"),
        choices=STATE_CHOICES,
        method="filter_state",
        empty_label=_("全部状态"),
        widget=forms.Select(attrs={"aria-label": _("状态")}),  # laid out without a visible label
    )
    kind = django_filters.ChoiceFilter(
        label=_("类别"),
        choices=KIND_CHOICES,
        method="filter_kind",
        empty_label=_("全部"),
        widget=forms.Select(attrs={"aria-label": _("类别")}),
    )
    community = IdFilter(label=_("报到社区（含下级区域）"), method="filter_community")
    q = django_filters.CharFilter(label=_("党员或党组织名称"), method="filter_q")

    class Meta:
        model = Registration
        fields = ["state", "kind", "community", "q"]

    def filter_state(self, queryset, name, value):
        if value == "open":
            return queryset.filter(state__in=OPEN_STATES)
        return queryset.filter(state=value)

    def filter_kind(self, queryset, name, value):
        return queryset.filter(member__isnull=(value == "org"))

    def filter_community(self, queryset, name, value):
        path = Area.objects.filter(pk=value).values_list("path", flat=True).first()
        if path is None:
            return queryset.none()
        return queryset.filter(under_q(path, "community__path"))

    def filter_q(self, queryset, name, value):
        value = (value or "").strip()
        if not value:
            return queryset
        return queryset.filter(Q(member__name__icontains=value) | Q(party_org__name__icontains=value))


def totals(queryset: QuerySet[Registration]) -> dict:
    """Confirmed members and organizations of the list, and their service hours (one query)."""
    confirmed = Q(state=RegistrationState.CONFIRMED)
    return queryset.order_by().aggregate(
        members=Count("pk", filter=confirmed & Q(member__isnull=False)),
        orgs=Count("pk", filter=confirmed & Q(party_org__isnull=False)),
        pending=Count("pk", filter=Q(state=RegistrationState.PENDING)),
        hours=Sum("service_hours", filter=confirmed),
    )
