"""Cultivation by virtue's figures in the one figure registry (figures/registry.py, docs/figures.md),
summed per subtree by the one roll-up; for `virtue.view` (and the officials' dashboard permission):

- `virtue.venue_coverage` 廉洁文化阵地覆盖率: the live communities with all three kinds of venue, beside each
  kind's communities with and without it (a community *has* a kind when a venue of it lies in its subtree, the
  rule of `selectors.coverage`; a street's own venue covers no community). A state, no trend;
- `virtue.warning_teams` 警示教育班子覆盖率: the live street and community leadership teams with a warning
  education session held in the year (the team stored on each session: `selectors.covered_by_warning`);
  `virtue.warning_attendance` 警示教育参加人次: those marked present at them (the attendance sheet), trend
  by the month held;
- `virtue.education_events` 教育活动: the education events (`kinds.EDUCATION_KINDS`: 廉洁文化大讲堂, 警示教育,
  道德讲堂, 主题党日, 法治宣传教育) held in the year, each kind beside, with those present (`attended`);
- `virtue.brand_activities` 品牌活动: the culture brands' activities held in the year, by the brand's kind;
- `virtue.environmental_actions` 绿美雅安环保行动: the environmental actions of the year (not cancelled), with
  their sign-ups and check-ins.

Per-row figures (those present at a gathering, its sign-ups) are annotations of a grouped queryset, which the
roll-up sums as a derived table (`Sum` of a column, `Count` of rows); their trend is each month's rows
(`month_rows`), the grouped rows not being regrouped by month."""

from __future__ import annotations

from django.db.models import BooleanField, Count, ExpressionWrapper, Q, Sum
from django.utils.functional import lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from grassroots.figures.registry import Definition, count, rate, register

VIEW = "virtue.view"


def _communities(year, today):
    from grassroots.areas.models import Area, Level
    from grassroots.areas.subtree import holds_q
    from grassroots.virtue.models import Venue, VenueKind

    depths = range(1, Level.COMMUNITY + 1)  # a community lies at depth 4 or above
    return Area.objects.filter(level=Level.COMMUNITY, retired=False).annotate(
        **{
            f"has_{kind}": ExpressionWrapper(
                holds_q(Venue.objects.filter(kind=kind), "area__path", depths), output_field=BooleanField()
            )
            for kind in VenueKind.values
        }
    )


def _teams(year, today):
    from grassroots.areas.models import Area, Level
    from grassroots.virtue.selectors import covered_by_warning

    return Area.objects.filter(level__in=(Level.STREET, Level.COMMUNITY), retired=False).annotate(
        covered=covered_by_warning(year)
    )


def _warning_attendance(year, today):
    from grassroots.gatherings.models import Participant, Status
    from grassroots.virtue.kinds import WARNING

    return Participant.objects.filter(
        gathering__warning_education__isnull=False,  # a team's session, as `virtue.warning_teams` counts
        gathering__kind=WARNING,
        gathering__status=Status.HELD,
        gathering__starts_at__year=year,
        present__isnull=False,
    )


def _education_events(year, today):
    from grassroots.gatherings.models import Gathering, Status
    from grassroots.virtue.kinds import EDUCATION_KINDS, WARNING

    # Warning education counts as `virtue.warning_teams` does: the sessions with their team stored
    # (WarningEducation); a gathering of the kind held at a county or the city before the kind had a form of
    # its own has no team (migration 0012) and is in neither figure, so the two agree.
    return (
        Gathering.objects.filter(kind__in=EDUCATION_KINDS, status=Status.HELD, starts_at__year=year)
        .filter(~Q(kind=WARNING) | Q(warning_education__isnull=False))
        .annotate(present_count=Count("participants", filter=Q(participants__present=True)))
    )


def _brand_activities(year, today):
    from grassroots.gatherings.models import Status
    from grassroots.virtue.models_brands import BrandActivity

    return BrandActivity.objects.filter(gathering__status=Status.HELD, gathering__starts_at__year=year)


def _environmental_actions(year, today):
    from grassroots.gatherings.models import Gathering, Status
    from grassroots.virtue.brands_setup import ENV_KINDS

    return (
        Gathering.objects.filter(kind__in=tuple(ENV_KINDS), starts_at__year=year)
        .exclude(status=Status.CANCELLED)
        .annotate(
            signups=Count("participants", filter=Q(participants__signed_up_at__isnull=False)),
            checkins=Count("participants", filter=Q(participants__checked_in_at__isnull=False)),
        )
    )


def _kind_label(code) -> str:
    from grassroots.gatherings.kinds import kind_label

    return str(kind_label(code))


lazy_kind_label = lazy(_kind_label, str)  # read when shown: the kinds of other parts register later


def register_figures() -> None:
    from grassroots.virtue.kinds import EDUCATION_KINDS
    from grassroots.virtue.models import VenueKind
    from grassroots.virtue.models_brands import BrandKind

    def venue_counts(year, today):
        every = Q(**{f"has_{kind}": True for kind in VenueKind.values})
        out = {"communities": Count("pk"), "complete": Count("pk", filter=every)}
        for kind in VenueKind.values:
            out[f"with_{kind}"] = Count("pk", filter=Q(**{f"has_{kind}": True}))
            out[f"without_{kind}"] = Count("pk", filter=Q(**{f"has_{kind}": False}))
        return out

    venue_parts = [("communities", _("社区"))]
    for kind, label in VenueKind.choices:
        venue_parts += [
            (f"with_{kind}", format_lazy(_("有{kind}"), kind=label)),
            (f"without_{kind}", format_lazy(_("无{kind}"), kind=label)),
        ]
    register(
        Definition(
            name="virtue.venue_coverage",
            label=_("廉洁文化阵地覆盖率"),
            unit="%",
            definition=_(
                "本区域的社区中廉政书屋、警示教育栏、廉洁文化墙三类阵地齐全的比例（另列每类阵地有、无的社区数；"
                "阵地在社区或其下级区域即算该社区有）；为当前状态，无趋势"
            ),
            permission=VIEW,
            part="virtue",
            rows=_communities,
            path_field="path",
            counts=venue_counts,
            value=rate("complete", "communities"),
            parts=tuple(venue_parts),
            url="virtue:coverage",
        )
    )
    register(
        Definition(
            name="virtue.warning_teams",
            label=_("警示教育班子覆盖率"),
            unit="%",
            definition=_("本区域的街道、社区领导班子中本年度已召开警示教育的比例"),
            permission=VIEW,
            part="virtue",
            rows=_teams,
            path_field="path",
            counts=lambda year, today: {
                "teams": Count("pk"),
                "covered": Count("pk", filter=Q(covered=True)),
            },
            value=rate("covered", "teams"),
            parts=(("teams", _("领导班子")), ("covered", _("已开展警示教育"))),
            url="virtue:warning_list",
        )
    )
    register(
        Definition(
            name="virtue.warning_attendance",
            label=_("警示教育参加人次"),
            unit=_("人次"),
            definition=_(
                "本年度本区域已召开的警示教育中登记出席的人次（另列登记考勤的人次）；趋势按召开月份"
            ),
            permission=VIEW,
            part="virtue",
            rows=_warning_attendance,
            path_field="gathering__area__path",
            counts=lambda year, today: {
                "recorded": Count("pk"),
                "present": Count("pk", filter=Q(present=True)),
            },
            value=count("present"),
            parts=(("recorded", _("登记考勤")), ("present", _("出席"))),
            month_field="gathering__starts_at",
            url="virtue:warning_list",
        )
    )
    register(
        Definition(
            name="virtue.education_events",
            label=_("教育活动"),
            unit=_("场"),
            definition=_(
                "本年度本区域已召开的廉洁文化大讲堂、警示教育、道德讲堂、主题党日和法治宣传教育（另列各类场次"
                "和出席人次）；趋势按召开月份"
            ),
            permission=VIEW,
            part="virtue",
            rows=_education_events,
            counts=lambda year, today: {
                "events": Count("pk"),
                "attended": Sum("present_count"),
                **{kind: Count("pk", filter=Q(kind=kind)) for kind in EDUCATION_KINDS},
            },
            value=count("events"),
            month_rows=lambda year, month, today: _education_events(year, today).filter(
                starts_at__month=month
            ),
            parts=(
                *((kind, lazy_kind_label(kind)) for kind in EDUCATION_KINDS),
                ("attended", _("出席人次")),
            ),
            url="virtue:calendar",
        )
    )
    register(
        Definition(
            name="virtue.brand_activities",
            label=_("文化品牌活动"),
            unit=_("场"),
            definition=_(
                "本年度本区域各社区文化品牌已开展的活动（另列红色文化、道德文化、邻里文化）；趋势按开展月份"
            ),
            permission=VIEW,
            part="virtue",
            rows=_brand_activities,
            path_field="gathering__area__path",
            counts=lambda year, today: {
                "activities": Count("pk"),
                **{kind: Count("pk", filter=Q(brand__kind=kind)) for kind in BrandKind.values},
            },
            value=count("activities"),
            parts=tuple(BrandKind.choices),
            month_field="gathering__starts_at",
            url="virtue:brand_list",
        )
    )
    register(
        Definition(
            name="virtue.environmental_actions",
            label=_("绿美雅安环保行动"),
            unit=_("次"),
            definition=_(
                "本年度本区域组织的环保行动（未取消的清洁家园、垃圾分类、环保宣传；另列报名和签到人次）；趋势按开始月份"
            ),
            permission=VIEW,
            part="virtue",
            rows=_environmental_actions,
            counts=lambda year, today: {
                "actions": Count("pk"),
                "signups": Sum("signups"),
                "checkins": Sum("checkins"),
            },
            value=count("actions"),
            month_rows=lambda year, month, today: _environmental_actions(year, today).filter(
                starts_at__month=month
            ),
            parts=(("signups", _("报名人次")), ("checkins", _("签到人次"))),
            url="virtue:action_list",
        )
    )
