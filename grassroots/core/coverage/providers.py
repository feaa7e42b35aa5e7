"""The figure "coverage.rate" for assessments (grassroots.core.assessments.figures), when that app is
installed: the share of the entities under each target area covered by a Party organization."""

from __future__ import annotations

from collections.abc import Sequence

from django.apps import apps
from django.urls import reverse
from django.utils.translation import gettext as _

from grassroots.core.coverage import selectors


def coverage_rate(targets: Sequence, year: int) -> dict:
    from grassroots.core.assessments.figures import Figure

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


def register_providers() -> None:
    if not apps.is_installed("grassroots.core.assessments"):
        return
    from grassroots.core.assessments.figures import register_provider

    register_provider("coverage.rate", coverage_rate)
