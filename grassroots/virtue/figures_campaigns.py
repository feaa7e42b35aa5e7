"""Selection campaigns' figures in the one figure registry (grassroots/figures/registry.py, docs/figures.md),
by the campaign's area (the subtree's campaigns), summed by the one roll-up:

- `virtue.campaigns` 评选活动: campaigns started in the year (awarded, cancelled beside), trend by the month
  started;
- `virtue.nominations` 评选提名: nominations put forward in the year (qualified, refused, withdrawn beside);
- `virtue.campaign_voters` 评选投票人次: the voters who cast a ballot in the campaigns' public votes opened in
  the year (voting's turnout rows: who voted, never what);
- `virtue.objections_answered` 公示异议答复率: objections raised in the year that have been answered."""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from grassroots.figures.registry import Definition, count, rate, register

VIEW = "virtue.view"


def _campaigns(year, today):
    from grassroots.virtue.models_campaigns import Campaign

    return Campaign.objects.filter(created_at__year=year)


def _nominations(year, today):
    from grassroots.virtue.models_campaigns import Nomination

    return Nomination.objects.filter(nominated_at__year=year)


def _voters(year, today):
    from grassroots.virtue.services_campaigns import PURPOSE
    from grassroots.voting.models import Turnout

    return Turnout.objects.filter(vote__purpose=PURPOSE, vote__opens_at__year=year)


def _objections(year, today):
    from grassroots.virtue.models_campaigns import Objection

    return Objection.objects.filter(raised_at__year=year)


def register_figures() -> None:
    from grassroots.virtue.models_campaigns import CampaignStatus, NominationStatus

    # The nominations' outcomes counted beside the total and shown as its parts: one tuple for both.
    reviewed = (NominationStatus.QUALIFIED, NominationStatus.REJECTED, NominationStatus.WITHDRAWN)
    register(
        Definition(
            name="virtue.campaigns",
            label=_("评选活动"),
            unit=_("次"),
            definition=_("本年度在本区域发起的评选活动（另列已评定、已取消）；趋势按发起月份"),
            permission=VIEW,
            part="virtue",
            rows=_campaigns,
            counts=lambda year, today: {
                "started": Count("pk"),
                "awarded": Count("pk", filter=Q(status=CampaignStatus.AWARDED)),
                "cancelled": Count("pk", filter=Q(status=CampaignStatus.CANCELLED)),
            },
            value=count("started"),
            parts=(("awarded", CampaignStatus.AWARDED.label), ("cancelled", CampaignStatus.CANCELLED.label)),
            month_field="created_at",
            url="virtue:campaign_list",
        )
    )
    register(
        Definition(
            name="virtue.nominations",
            label=_("评选提名"),
            unit=_("个"),
            definition=_(
                "本年度本区域评选活动收到的提名（另列资格审查通过、未通过、已撤回）；趋势按提名月份"
            ),
            permission=VIEW,
            part="virtue",
            rows=_nominations,
            path_field="campaign__area__path",
            counts=lambda year, today: {
                "nominated": Count("pk"),
                **{status.value: Count("pk", filter=Q(status=status.value)) for status in reviewed},
            },
            value=count("nominated"),
            parts=tuple((status.value, status.label) for status in reviewed),
            month_field="nominated_at",
            url="virtue:campaign_list",
        )
    )
    register(
        Definition(
            name="virtue.campaign_voters",
            label=_("评选投票人次"),
            unit=_("人次"),
            definition=_(
                "本年度开始的评选群众投票中投出选票的人次（只计谁投过票，不涉及投给谁）；趋势按投票开始月份"
            ),
            permission=VIEW,
            part="virtue",
            rows=_voters,
            path_field="vote__area__path",
            counts=lambda year, today: {"voters": Count("pk")},
            value=count("voters"),
            month_field="vote__opens_at",
            url="virtue:campaign_list",
        )
    )
    register(
        Definition(
            name="virtue.objections_answered",
            label=_("公示异议答复率"),
            unit="%",
            definition=_("本年度评选公示期内提出的异议中已答复的比例；趋势按提出月份"),
            permission=VIEW,
            part="virtue",
            rows=_objections,
            path_field="campaign__area__path",
            counts=lambda year, today: {
                "raised": Count("pk"),
                "answered": Count("pk", filter=Q(answered_at__isnull=False)),
            },
            value=rate("answered", "raised"),
            parts=(("raised", _("提出异议")), ("answered", _("已答复"))),
            month_field="raised_at",
            url="virtue:campaign_list",
        )
    )
