"""The figure "coverage.rate" for assessments (grassroots.core.assessments.figures), when that app is
installed: the share of the entities under each target area covered by a Party organization."""

from __future__ import annotations

from collections.abc import Sequence

from django.apps import apps
from django.urls import reverse
from django.utils.translation import gettext as _

from grassroots.core.coverage import selectors


def coverage_rate(targets: Sequence, year: int) -> dict:
    from grassroots.figures.registry import Figure

    out = {}
    for area_id, counts in selectors.per_area(targets).items():
        if not counts.total:
            continue
        out[area_id] = Figure(
            rate=counts.covered / counts.total,
            detail=_("已覆盖 %(covered)d / %(total)d 家")
            % {"covered": counts.covered, "total": counts.total},
            url=reverse("coverage:overview") + f"?area={area_id}",
        )
    return out


def _entities(year, today):
    from grassroots.core.coverage.models import Entity

    return Entity.objects.all()


def register_figures() -> None:
    from django.utils.translation import gettext_lazy

    from grassroots.figures.registry import Definition, rate, register

    register(
        Definition(
            name="coverage.rate",
            label=gettext_lazy("党组织覆盖率"),
            unit="%",
            definition=gettext_lazy(
                "新兴领域单位中已建立或覆盖党组织（单建、联建、派驻指导员）的比例；现状，无月度趋势"
            ),
            permission="coverage.view",
            part="coverage",
            rows=_entities,
            counts=lambda year, today: selectors._aggregates(),
            value=rate("covered", "total"),
            parts=(
                ("total", gettext_lazy("单位")),
                ("covered", gettext_lazy("已覆盖")),
                ("own", gettext_lazy("单独组建")),
                ("joint", gettext_lazy("联合组建")),
                ("instructor", gettext_lazy("派驻指导员")),
            ),
            url="coverage:overview",
        )
    )


def register_providers() -> None:
    register_figures()
    if not apps.is_installed("grassroots.core.assessments"):
        return
    from grassroots.figures.registry import register_provider

    register_provider("coverage.rate", coverage_rate)
