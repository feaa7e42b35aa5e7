"""The figure "orglife.compliance" for assessments (grassroots.core.assessments.figures), when that app is
installed: for each target area, the share of the required gatherings (三会一课 slots judged in the year)
that were held and accepted in its subtree."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.apps import apps
from django.urls import reverse
from django.utils.translation import gettext as _

from grassroots.core.orglife.periods import YEAR, Period
from grassroots.core.orglife.selectors.compliance import per_area


def compliance_rate(targets: Sequence, year: int) -> dict:
    from grassroots.core.assessments.figures import Figure

    period = Period.of(YEAR, date(year, 1, 1))
    out = {}
    for area_id, rollup in per_area(targets, period).items():
        if not rollup.required:
            continue
        out[area_id] = Figure(
            rate=rollup.met / rollup.required,
            detail=_("应开 %(required)d 次，已开 %(met)d 次；达标支部 %(ok)d / %(judged)d")
            % {
                "required": rollup.required,
                "met": rollup.met,
                "ok": rollup.compliant,
                "judged": rollup.judged,
            },
            url=reverse("orglife:compliance") + f"?period={period.key}&area={area_id}",
        )
    return out


def register_providers() -> None:
    if not apps.is_installed("grassroots.core.assessments"):
        return
    from grassroots.core.assessments.figures import register_provider

    register_provider("orglife.compliance", compliance_rate)
