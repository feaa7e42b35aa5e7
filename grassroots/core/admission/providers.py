"""The figure "admission.funds_received" for assessments (grassroots.core.assessments.figures), when that app
is installed: for each target area, the share of the affairs its communities carry in the year whose funds
the community confirmed received (费随事转); its detail names the affairs without funds received. It is one
of the key figures on the officials' home (portal.selectors.register_home_figure)."""

from __future__ import annotations

from collections.abc import Sequence

from django.apps import apps
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from grassroots.core.admission import selectors


def funds_received_rate(targets: Sequence, year: int) -> dict:
    from grassroots.core.assessments.figures import Figure

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


def register_providers() -> None:
    if not apps.is_installed("grassroots.core.assessments"):
        return
    from grassroots.core.assessments.figures import register_provider
    from grassroots.portal.selectors import register_home_figure

    register_provider(
        "admission.funds_received",
        funds_received_rate,
        label=gettext_lazy("随事经费到位率"),
        description=gettext_lazy("社区承接的准入事项中，本年度经费已确认到账的比例（费随事转）"),
    )
    # On the officials' home (key figures) of those who read the ledger.
    register_home_figure("admission.funds_received", "admission.view")
