"""Self-governance's figures in the one figure registry (grassroots/figures/registry.py, docs/figures.md):
the livelihood matters by step and the evaluations' satisfaction."""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from grassroots.figures.registry import Definition, count, rate, register


def _matters(year, today):
    from grassroots.selfgov.models import Matter

    return Matter.objects.filter(created_at__year=year)


def _by_step(year, today):
    from grassroots.selfgov.models import MatterState

    out = {"total": Count("pk")}
    for state in MatterState:
        out[state.value] = Count("pk", filter=Q(state=state.value))
    return out


def _step_parts():
    from grassroots.selfgov.models import MatterState

    return tuple((state.value, state.label) for state in MatterState)


def _evaluations(year, today):
    from grassroots.selfgov.models import Evaluation

    return Evaluation.objects.filter(closed_at__year=year)


def register_figures() -> None:
    register(
        Definition(
            name="selfgov.matters",
            label=_("民生事项"),
            unit=_("件"),
            definition=_("本年度提出的民生事项，按当前步骤分列；趋势按提出月份"),
            permission="selfgov.view",
            part="selfgov",
            rows=_matters,
            counts=_by_step,
            value=count("total"),
            parts=_step_parts,
            month_field="created_at",
            behind="high",
            url="selfgov:board",
            public=True,  # the matters board is published to residents (docs/decisions.md)
        )
    )
    register(
        Definition(
            name="selfgov.matters_evaluated",
            label=_("民生事项群众满意率"),
            unit="%",
            definition=_(
                "本年度完成公开评议的民生事项中评价满意（达到满意度门槛）的比例；趋势按评议结束月份"
            ),
            permission="selfgov.view",
            part="selfgov",
            rows=_evaluations,
            counts=lambda year, today: {"closed": Count("pk"), "passed": Count("pk", filter=Q(passed=True))},
            value=rate("passed", "closed"),
            path_field="matter__area__path",
            parts=(("closed", _("完成评议")), ("passed", _("评议满意"))),
            month_field="closed_at",
            url="selfgov:board",
            public=True,  # the residents' own public evaluation (docs/decisions.md)
        )
    )
