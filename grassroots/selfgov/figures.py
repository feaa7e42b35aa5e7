"""Self-governance's figures in the one figure registry (grassroots/figures/registry.py, docs/figures.md):
the livelihood matters by step and the evaluations' satisfaction; the residents' opinions (submitted, grouped,
rejected, reaching the support threshold); the courtyard conventions adopted and their signing by household;
the turnout of self-governance's votes (matters' decisions and conventions' adoptions)."""

from __future__ import annotations

import calendar
from datetime import date, datetime, time

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Sum
from django.db.models.fields.json import KT
from django.db.models.functions import Cast, Length, Substr
from django.utils import timezone
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


def _opinions(year, today):
    from grassroots.selfgov.models import Opinion

    return Opinion.objects.filter(created_at__year=year)


def _opinion_counts(year, today):
    from grassroots.selfgov.models import OpinionState

    return {
        "submitted": Count("pk"),
        "grouped": Count("pk", filter=Q(state=OpinionState.GROUPED)),
        "rejected": Count("pk", filter=Q(state=OpinionState.REJECTED)),
        "reached": Count("pk", filter=Q(threshold_reached_at__isnull=False)),
    }


def _adoptions(year, today):
    from grassroots.selfgov.models import ConventionAdoption

    return ConventionAdoption.objects.filter(adopted_at__year=year)


def _end_of(year: int, month: int, today: date) -> datetime:
    """The end of the month (or today, within the current month) as an aware moment."""
    last = date(year, month, calendar.monthrange(year, month)[1])
    return timezone.make_aware(datetime.combine(min(last, today), time.max))


def _households_at(end: datetime):
    """The households of the courtyards whose convention was in force by `end` (a household lies under its
    courtyard), each marked `signed` when a member had signed the convention by then."""
    from grassroots.selfgov.models import Convention, Signature
    from grassroots.voting.models import Household

    in_force = Convention.objects.filter(
        in_force_since__lte=end, courtyard__path=Substr(OuterRef("area__path"), 1, Length("courtyard__path"))
    )
    signed = Signature.objects.filter(household=OuterRef("pk"), signed_at__lte=end)
    return Household.objects.filter(Exists(in_force)).annotate(signed=Exists(signed))


def _signing_rows(year, today):
    return _households_at(_end_of(year, 12, today))


def _signing_month(year, month, today):
    return _households_at(_end_of(year, month, today))


def _signing_counts(year, today):
    return {"households": Count("pk"), "signed": Count("pk", filter=Q(signed=True))}


def _votes(year, today):
    from grassroots.voting.models import Vote, VoteStatus

    return Vote.objects.filter(
        purpose="selfgov", status=VoteStatus.CLOSED, closed_at__year=year, result__isnull=False
    )


def _turnout_counts(year, today):
    return {
        "votes": Count("pk"),
        "ballots": Sum(Cast(KT("result__ballots"), IntegerField())),
        "electorate": Sum(Cast(KT("result__electorate"), IntegerField())),
    }


def register_figures() -> None:
    _register_participation()
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


def _register_participation() -> None:
    register(
        Definition(
            name="selfgov.opinions",
            label=_("居民意见"),
            unit=_("条"),
            definition=_(
                "本年度居民提出的意见（含随手拍、网格员代为登记），另列已归入事项、不予采纳、附议达到门槛的"
                "条数；趋势按提出月份"
            ),
            permission="selfgov.view",
            part="selfgov",
            rows=_opinions,
            counts=_opinion_counts,
            value=count("submitted"),
            parts=(
                ("submitted", _("提出")),
                ("grouped", _("已归入事项")),
                ("rejected", _("不予采纳")),
                ("reached", _("附议达到门槛")),
            ),
            month_field="created_at",
            url="selfgov:opinion_list",
        )
    )
    register(
        Definition(
            name="selfgov.conventions_adopted",
            label=_("居民公约表决通过"),
            unit=_("次"),
            definition=_("本年度经院落居民表决通过的居民公约版本（含修订）；趋势按通过月份"),
            permission="selfgov.view",
            part="selfgov",
            rows=_adoptions,
            counts=lambda year, today: {
                "adopted": Count("pk"),
                "per_household": Count("pk", filter=Q(per_household=True)),
            },
            value=count("adopted"),
            path_field="convention__courtyard__path",
            parts=(("adopted", _("表决通过")), ("per_household", _("其中每户签署一次"))),
            month_field="adopted_at",
            url="selfgov:conventions",
        )
    )
    register(
        Definition(
            name="selfgov.convention_signing",
            label=_("居民公约签署率（按户）"),
            unit="%",
            definition=_(
                "年末（本年为今天）居民公约已生效的院落中，已有成员签署公约的住户占登记住户的比例；"
                "趋势按各月末"
            ),
            permission="selfgov.view",
            part="selfgov",
            rows=_signing_rows,
            counts=_signing_counts,
            value=rate("signed", "households"),
            parts=(("households", _("登记住户")), ("signed", _("已签署住户"))),
            month_rows=_signing_month,
            url="selfgov:conventions",
        )
    )
    register(
        Definition(
            name="selfgov.vote_turnout",
            label=_("议事表决参与率"),
            unit="%",
            definition=_(
                "本年度结束的民生事项决策和居民公约表决中，投出的票数占投票人（或户）总数的比例；"
                "趋势按表决结束月份"
            ),
            permission="selfgov.view",
            part="selfgov",
            rows=_votes,
            counts=_turnout_counts,
            value=rate("ballots", "electorate"),
            parts=(("votes", _("表决次数")), ("ballots", _("投出票数")), ("electorate", _("投票人（户）"))),
            month_field="closed_at",
            url="voting:list",
        )
    )
