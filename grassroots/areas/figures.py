"""The areas part's figures in the one figure registry (grassroots/figures/registry.py, docs/figures.md):
the Party organizations of the subtree, by kind, by the organization's area. (Was a count of the officials'
home of its own, `portal.selectors.official_figures`, before the home became the dashboard.)"""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from grassroots.figures.registry import Definition, count, register


def _orgs(year, today):
    from grassroots.areas.models import PartyOrg

    return PartyOrg.objects.filter(retired=False)


def _by_kind(year, today):
    from grassroots.areas.models import PartyOrgKind

    out = {"total": Count("pk")}
    for kind in PartyOrgKind:
        out[kind.value] = Count("pk", filter=Q(kind=kind.value))
    return out


def _kind_parts():
    from grassroots.areas.models import PartyOrgKind

    return tuple((kind.value, kind.label) for kind in PartyOrgKind)


def register_figures() -> None:
    register(
        Definition(
            name="areas.party_orgs",
            label=_("党组织"),
            unit=_("个"),
            definition=_("本区域及下级现有（未撤销）的党组织，按类别（党委、党总支、党支部等）另列；现状数"),
            permission="party_orgs.view",
            part="areas",
            rows=_orgs,
            counts=_by_kind,
            value=count("total"),
            parts=_kind_parts,
            url="areas:party_org_list",
        )
    )
