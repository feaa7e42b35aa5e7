"""Matters through the five steps. Creating one opens its collection period; the hearing is a gathering of the
hearing kind announced at least the community's notice days ahead, with participants without an account
(guests) and residents' comments online until it ends; the decision is a vote of the voting mechanism created
from the matter, its result shown on the matter. Each step is a workflow transition
(`grassroots.workflow.services.transition`), logged on the matter's timeline, residents concerned notified."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from grassroots.access.scoping import has_perm
from grassroots.areas.models import Area
from grassroots.areas.subtree import lies_under
from grassroots.gatherings import services as gatherings
from grassroots.gatherings.models import Visibility
from grassroots.portal.submissions import create_once
from grassroots.selfgov import selectors
from grassroots.selfgov.models import (
    Category,
    HearingComment,
    Matter,
    MatterState,
    Opinion,
    community_staff,
)
from grassroots.selfgov.services.opinions import group_opinions
from grassroots.voting.models import Electorate, Majority
from grassroots.voting.services import votes
from grassroots.workflow.services import TransitionRefused, start, transition

# The decision vote's options: the first is "adopt" (Matter.vote_carried reads it).
DECISION_OPTIONS = [_("同意"), _("不同意")]


def require_staff(actor, area: Area) -> None:
    if not has_perm(actor, "selfgov.manage", area):
        raise PermissionDenied(_("您无权办理该区域的民生事项。"))


def require_step_taker(actor, matter: Matter) -> None:
    """The steps of a matter are its community's staff's (the transitions' rule)."""
    if not community_staff(matter, actor):
        raise PermissionDenied(_("只有本社区的社区工作者和书记可以办理该事项的步骤。"))


def _step(matter: Matter, name: str, *, actor, comment: str = "") -> None:
    """Take a workflow step; a refusal becomes PermissionDenied or ValidationError with its message."""
    try:
        transition(matter, name, actor=actor, comment=comment)
    except TransitionRefused as refused:
        if refused.code == "permission":
            raise PermissionDenied(refused.message) from refused
        raise ValidationError(refused.message) from refused


def lock(matter: Matter) -> Matter:
    return (
        Matter.objects.select_for_update(of=("self",))
        .select_related("area", "community", "hearing", "vote")
        .get(pk=matter.pk)
    )


@transaction.atomic
def create_matter(
    *,
    actor,
    area: Area,
    title: str,
    category: str,
    description: str = "",
    collection_days: int | None = None,
    opinions: Iterable[Opinion] = (),
    now: datetime | None = None,
    submission: str = "",
) -> Matter:
    """A matter of a community or one of its courtyards, in its collection period (the community's
    setting unless given), with the opinions grouped into it. `submission`: the form's token — the same
    form posted again (a double click) gives the matter it made (portal/submissions.py)."""
    community = selectors.community_of(area)
    errors = {}
    if community is None or area.retired:
        errors["area"] = _("请选择社区或其下的院落。")
    if not (title or "").strip():
        errors["title"] = _("请填写事项名称。")
    if category not in Category.values:
        errors["category"] = _("请选择类别。")
    if collection_days is not None and not 1 <= collection_days <= 365:
        errors["collection_days"] = _("征集期应为 1 至 365 天。")
    if errors:
        raise ValidationError(errors)
    require_staff(actor, area)
    now = now or timezone.now()
    days = collection_days or selectors.setting_for(community)["collection_days"]

    def create(token: str) -> Matter:
        matter = Matter.objects.create(
            community=community,
            area=area,
            title=title.strip(),
            category=category,
            description=description,
            collection_ends_at=now + timedelta(days=days),
            created_by=actor,
            created_at=now,
            step_since=now,
            submission=token,
        )
        start(matter, actor=actor)
        group_opinions(actor=actor, opinions=opinions, matter=matter)
        return matter

    return create_once(Matter, submission=submission, create=create, created_by=actor)


def parse_guests(text: str) -> list[dict]:
    """Guests one per line: "名称" or "名称，身份" (a full-width or ASCII comma)."""
    guests = []
    for line in (text or "").splitlines():
        line = line.strip()
        if not line:
            continue
        name, _sep, role = line.replace(",", "，").partition("，")
        guests.append({"name": name.strip()[:100], "role": role.strip()[:100]})
    return guests


@transaction.atomic
def schedule_hearing(
    *,
    actor,
    matter: Matter,
    starts_at: datetime,
    ends_at: datetime,
    place: str = "",
    description: str = "",
    guests: Iterable[dict] = (),
    now: datetime | None = None,
) -> Matter:
    """Announce the matter's public hearing (a gathering of the hearing kind, public, in the matter's area) at
    least the community's notice days ahead, with its guests, and move the matter to the hearing step (the
    residents concerned are notified)."""
    require_step_taker(actor, matter)
    matter = lock(matter)
    if matter.state != MatterState.COLLECTION or matter.hearing_id:
        raise ValidationError(_("该事项已安排听证会。"))
    now = now or timezone.now()
    days = selectors.setting_for(matter.community)["hearing_notice_days"]
    if starts_at < now + timedelta(days=days):
        raise ValidationError(
            {
                "starts_at": _("听证会须至少提前 %(days)d 天公告，最早可安排在 %(date)s。")
                % {
                    "days": days,
                    "date": timezone.localtime(now + timedelta(days=days)).strftime("%Y-%m-%d %H:%M"),
                }
            }
        )
    hearing = gatherings.create_gathering(
        actor=actor,
        area=matter.area,
        kind="hearing",
        title=_("听证会：%(title)s") % {"title": matter.title},
        starts_at=starts_at,
        ends_at=ends_at,
        place=place,
        description=description or matter.description,
        visibility=Visibility.PUBLIC,
    )
    for guest in guests:
        gatherings.add_guest(actor=actor, gathering=hearing, **guest)
    matter.hearing = hearing
    _step(matter, "open_hearing", actor=actor)
    return matter


hearing_open_for_comments = selectors.hearing_open_for_comments


@transaction.atomic
def comment_on_hearing(*, user, matter: Matter, text: str, now: datetime | None = None) -> HearingComment:
    """A verified resident living in the matter's area (or the matter's staff) comments during the hearing
    period."""
    if not (selectors.may_take_part(user, matter) or has_perm(user, "selfgov.manage", matter.area)):
        if not user.identity_verified:
            raise PermissionDenied(_("您尚未通过社区的实名核验，暂时不能发表听证意见。"))
        raise PermissionDenied(_("只有本事项涉及范围内的居民可以发表听证意见。"))
    if not hearing_open_for_comments(matter, now):
        raise ValidationError({"text": _("听证意见征集已结束。")})
    if not (text or "").strip():
        raise ValidationError({"text": _("请填写意见。")})
    return HearingComment.objects.create(matter=matter, author=user, text=text.strip()[:1000])


def _electorate_area(matter: Matter, area: Area | None) -> Area:
    if area is None:
        return matter.area
    if not lies_under(area.path, matter.community.path):
        raise ValidationError({"area": _("表决范围须在本社区内。")})
    return area


@transaction.atomic
def call_vote(
    *,
    actor,
    matter: Matter,
    opens_at: datetime,
    closes_at: datetime,
    electorate: str = Electorate.RESIDENTS,
    area: Area | None = None,
    quorum_percent: int = 50,
    majority: str = Majority.SIMPLE,
    secret: bool = True,
    electors: Iterable = (),
    now: datetime | None = None,
) -> Matter:
    """The democratic decision: a vote (同意 / 不同意) of the community's verified residents, of a courtyard
    or building (`area`), or of the resident representatives (`electors`), with the quorum and majority chosen
    for the matter; published at once; the matter moves to the decision step once its hearing was held."""
    require_step_taker(actor, matter)
    matter = lock(matter)
    if matter.state != MatterState.HEARING or matter.vote_id:
        raise ValidationError(_("只有听证阶段、尚未发起表决的事项可以发起表决。"))
    if matter.hearing is None or matter.hearing.status != "held":
        raise ValidationError(_("听证会尚未召开（请先在听证会页面标记为已召开）。"))
    if majority not in (Majority.SIMPLE, Majority.TWO_THIRDS):
        raise ValidationError({"majority": _("民生事项的表决须为过半数或三分之二以上通过。")})
    if electorate not in (Electorate.RESIDENTS, Electorate.HOUSEHOLDS, Electorate.REPRESENTATIVES):
        raise ValidationError({"electorate": _("请选择投票人范围。")})
    area = _electorate_area(matter, area)
    electors = list(electors)
    outside = [u for u in electors if u.home_area is None or not lies_under(u.home_area.path, area.path)]
    if outside:
        raise ValidationError(
            {"electors": _("居民代表须居住在表决范围内：%(names)s") % {"names": "、".join(map(str, outside))}}
        )
    vote = votes.create_vote(
        actor=actor,
        area=area,
        title=matter.title,
        description=_("民生事项“%(title)s”的民主决策表决。") % {"title": matter.title},
        purpose="selfgov",
        options=[str(o) for o in DECISION_OPTIONS],
        electorate=electorate,
        opens_at=opens_at,
        closes_at=closes_at,
        majority=majority,
        quorum_percent=quorum_percent,
        secret=secret,
        electors=electors,
    )
    votes.publish_vote(actor=actor, vote=vote, now=now)
    matter.vote = vote
    _step(matter, "to_decision", actor=actor)
    return matter


STEPS = ("adopt", "not_adopted", "start_evaluation", "finish", "reopen")


def take_step(*, actor, matter: Matter, name: str, comment: str = "") -> Matter:
    """Any other step of the matter (adopt, not_adopted, start_evaluation, finish, reopen); a refusal is a
    ValidationError with the workflow's message."""
    if name not in STEPS:
        raise ValidationError(_("没有这项操作。"))
    _step(matter, name, actor=actor, comment=comment)
    return matter
