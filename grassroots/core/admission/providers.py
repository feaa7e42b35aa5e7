"""The figure "admission.funds_received" for assessments (grassroots.core.assessments.figures), when that app
is installed: for each target area, the share of the affairs its communities carry in the year whose funds
the community confirmed received (费随事转); its detail names the affairs without funds received. It is one
of the key figures on the officials' home (grassroots.figures.registry.register_home_figure)."""

from __future__ import annotations

from collections.abc import Sequence

from django.apps import apps
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from grassroots.core.admission import selectors


def funds_received_rate(targets: Sequence, year: int) -> dict:
    from grassroots.figures.registry import Figure

    out = {}
    figures = selectors.unfunded_per_area(targets, year)
    for target in targets:
        counts = figures.get(target.path)
        if not counts or not counts["carried"]:
            continue
        out[target.pk] = Figure(
            rate=(counts["carried"] - counts["unfunded"]) / counts["carried"],
            detail=_("承接事项 %(carried)d 项次，经费未到位 %(unfunded)d 项次") % counts,
            url=reverse("admission:funds_overview") + f"?area={target.pk}&year={year}",
        )
    return out


def _carried(year, today):
    from grassroots.core.admission.models import CarriedAffair

    return selectors.with_funds_received(CarriedAffair.objects.filter(year=year))


def _carried_counts(year, today):
    from django.db.models import Sum

    return {**selectors._unfunded_figures(), "funds": Sum("funds")}


def _funded_rate(counts):
    from grassroots.figures.registry import rate

    return rate("funded", "carried")({**counts, "funded": counts["carried"] - counts["unfunded"]})


def register_figures() -> None:
    from grassroots.figures.registry import Definition, count, register

    common = {
        "permission": "admission.view",
        "part": "admission",
        "rows": _carried,
        "counts": _carried_counts,
        "parts": (
            ("carried", gettext_lazy("承接事项（项次）")),
            ("unfunded", gettext_lazy("经费未到位（项次）")),
            ("funds", gettext_lazy("随事经费（元）")),
        ),
        "month_field": "created_at",
        "url": "admission:funds_overview",
    }
    register(
        Definition(
            name="admission.carried",
            label=gettext_lazy("承接准入事项"),
            unit=gettext_lazy("项次"),
            definition=gettext_lazy(
                "本年度本区域社区承接的准入事项（事项与社区的组合）及其随事经费；趋势按首次下达月份"
            ),
            value=count("carried"),
            behind="high",
            **common,
        )
    )
    register(
        Definition(
            name="admission.funds_received",
            label=gettext_lazy("随事经费到位率"),
            unit="%",
            definition=gettext_lazy("社区承接的准入事项中，本年度经费已确认到账的比例（费随事转）"),
            value=_funded_rate,
            **common,
        )
    )


def register_providers() -> None:
    register_figures()
    if not apps.is_installed("grassroots.core.assessments"):
        return
    from grassroots.figures.registry import register_home_figure, register_provider

    register_provider(
        "admission.funds_received",
        funds_received_rate,
        label=gettext_lazy("随事经费到位率"),
        description=gettext_lazy("社区承接的准入事项中，本年度经费已确认到账的比例（费随事转）"),
    )
    # On the officials' home (key figures) of those who read the ledger.
    register_home_figure("admission.funds_received", "admission.view")
