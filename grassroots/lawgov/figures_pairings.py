"""The pairings' figure in the one figures registry (双报到结对服务率): of the pairings in force in the year
in each target area's subtree, the share with a service recorded in the year; the line of evidence names the
services and their hours. The per-child figures of the 法治数据 page are in figures.py (`subtree_figures`)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from grassroots.areas.rollup import per_subtree
from grassroots.lawgov.figures import (
    hours_text,
    pairing_aggregates,
    pairings_of,
    service_aggregates,
    services_of,
)


def pairings_served(targets: Sequence, year: int) -> dict:
    """Of the pairings in force in the year in each target's subtree, the share with a service recorded in
    the year; the evidence names the services and their hours. Two queries."""
    from grassroots.core.assessments.figures import Figure

    paths = [t.path for t in targets]
    pairings = per_subtree(pairings_of(year), paths, path_field="community__path", **pairing_aggregates())
    services = per_subtree(
        services_of(year), paths, path_field="pairing__community__path", **service_aggregates()
    )
    out = {}
    for target in targets:
        line = pairings[target.path] | services[target.path]
        if line["pairings"]:
            out[target.pk] = Figure(
                rate=Decimal(line["pairings_served"]) / line["pairings"],
                detail=_(
                    "有服务记录 %(served)d / 结对 %(pairings)d 个，服务 %(services)d 次共 %(hours)s 小时"
                )
                % {
                    "served": line["pairings_served"],
                    "pairings": line["pairings"],
                    "services": line["services"],
                    "hours": hours_text(line["service_hours"]),
                },
                url=reverse("lawgov:pairing_list"),
            )
    return out


def register_pairing_figures() -> None:
    from django.apps import apps

    if not apps.is_installed("grassroots.core.assessments"):
        return
    from grassroots.core.assessments.figures import register_provider

    register_provider(
        "lawgov.pairings_served",
        pairings_served,
        label=gettext_lazy("双报到结对服务率"),
        description=gettext_lazy("当年在结对中的单位和干部结对中有服务记录的比例（附服务次数和时长）"),
    )
