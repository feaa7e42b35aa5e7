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
    from grassroots.figures.registry import Figure

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


def _year_rows(year, today):
    from grassroots.core.orglife.selectors.compliance import rows

    return rows(Period.of(YEAR, date(year, 1, 1)), today)


def _month_rows(year, month, today):
    from grassroots.core.orglife.periods import MONTH
    from grassroots.core.orglife.selectors.compliance import rows

    return rows(Period.of(MONTH, date(year, month, 1)), today)


def register_figures() -> None:
    from django.utils.translation import gettext_lazy

    from grassroots.core.orglife.selectors.compliance import _SUMS
    from grassroots.figures.registry import Definition, rate, register

    register(
        Definition(
            name="orglife.compliance",
            label=gettext_lazy("组织生活合规率"),
            unit="%",
            definition=gettext_lazy(
                "本年度已到期的三会一课等组织生活中，按规定开展并通过审核的比例（应开次数之和为分母）；"
                "趋势为各月按月判定的比例"
            ),
            permission="orglife.view",
            part="orglife",
            rows=_year_rows,
            counts=lambda year, today: dict(_SUMS),
            value=rate("met", "required"),
            parts=(
                ("required", gettext_lazy("应开次数")),
                ("met", gettext_lazy("已开次数")),
                ("compliant", gettext_lazy("达标支部")),
                ("judged", gettext_lazy("参评支部")),
            ),
            month_rows=_month_rows,
            url="orglife:compliance",
        )
    )


def register_providers() -> None:
    register_figures()
    if not apps.is_installed("grassroots.core.assessments"):
        return
    from grassroots.figures.registry import register_provider

    register_provider("orglife.compliance", compliance_rate)
