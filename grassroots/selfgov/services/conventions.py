"""Residents' conventions (居民公约), one per courtyard: the community's staff start one (a document of kind
`convention`, written on the documents' editor) and open its discussion; the courtyard's verified residents
comment; the staff call a vote of the voting mechanism (the courtyard's verified residents or households,
同意 / 不同意); once it is closed `settle_vote` publishes the draft when 同意 is carried with the quorum met
(documents' publish, `by_part`: the documents' own pages cannot publish a convention), else the draft goes
back to drafting. Residents then sign the version in force (one signature each, in the database; or one per
household when the vote adopted the version with that rule, `per_household`, in the database too); an
amendment starts a new draft, the version in force staying in force until the next vote carries."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from grassroots.access.scoping import has_perm
from grassroots.areas.models import Area, Level
from grassroots.areas.subtree import lies_under
from grassroots.documents import services as documents
from grassroots.documents.models import DocumentVersion, Item, Kind, VersionState
from grassroots.selfgov import selectors
from grassroots.selfgov.models import (
    Convention,
    ConventionAdoption,
    ConventionComment,
    ConventionState,
    Signature,
)
from grassroots.voting.models import Electorate, Majority, VoteStatus
from grassroots.voting.selectors import household_of
from grassroots.voting.services import votes
from grassroots.workflow.services import notify

# The vote's options: the first is "adopt".
OPTIONS = [_("同意"), _("不同意")]
ELECTORATES = (Electorate.RESIDENTS, Electorate.HOUSEHOLDS)


def _require_keeper(actor, convention_or_area) -> None:
    area = getattr(convention_or_area, "courtyard", convention_or_area)
    if not has_perm(actor, "selfgov.manage", area):
        raise PermissionDenied(_("您无权办理该院落的居民公约。"))


def _lock(convention: Convention) -> Convention:
    return (
        Convention.objects.select_for_update(of=("self",))
        .select_related("courtyard", "document", "vote")
        .get(pk=convention.pk)
    )


def _tell_residents(convention: Convention, verb) -> None:
    notify(
        recipients=selectors.verified_residents(convention.courtyard).values_list("pk", flat=True),
        verb=verb,
        target=convention,
        url=convention.get_absolute_url(),
    )


def draft_of(convention: Convention) -> DocumentVersion | None:
    return convention.document.versions.filter(state=VersionState.DRAFT).first()


def in_force(convention: Convention) -> DocumentVersion | None:
    return convention.document.versions.filter(state=VersionState.PUBLISHED).first()


@transaction.atomic
def start_convention(*, actor, courtyard: Area) -> Convention:
    """The courtyard's convention, with its first (empty) draft."""
    if courtyard.level != Level.COURTYARD or courtyard.retired:
        raise ValidationError({"courtyard": _("居民公约以院落为单位，请选择一个院落。")})
    _require_keeper(actor, courtyard)
    if Convention.objects.filter(courtyard=courtyard).exists():
        raise ValidationError({"courtyard": _("该院落已有居民公约，请修订它。")})
    draft = documents.create_document(
        actor=actor,
        area=courtyard,
        kind=Kind.CONVENTION,
        title=_("%(name)s居民公约") % {"name": courtyard.name},
    )
    try:
        with transaction.atomic():
            return Convention.objects.create(
                courtyard=courtyard, community=selectors.community_of(courtyard), document=draft.document
            )
    except IntegrityError as exc:
        raise ValidationError({"courtyard": _("该院落已有居民公约，请修订它。")}) from exc


@transaction.atomic
def open_discussion(
    *, actor, convention: Convention, ends_at: datetime, now: datetime | None = None
) -> Convention:
    """Put the draft before the courtyard's residents until `ends_at`; they are notified."""
    _require_keeper(actor, convention)
    convention = _lock(convention)
    now = now or timezone.now()
    if convention.state != ConventionState.DRAFTING:
        raise ValidationError(_("只有起草中的公约可以发起讨论。"))
    draft = draft_of(convention)
    if draft is None or not Item.objects.filter(section__version=draft).exists():
        raise ValidationError(_("草稿还没有条目，请先编写公约条文。"))
    if ends_at <= now:
        raise ValidationError({"ends_at": _("讨论截止时间须晚于现在。")})
    convention.state, convention.discussion_ends_at = ConventionState.DISCUSSION, ends_at
    convention.save(update_fields=["state", "discussion_ends_at"])
    _tell_residents(convention, _("《%(title)s》草案开始征求意见") % {"title": convention.document.title})
    return convention


def may_take_part(user, convention: Convention) -> bool:
    """A verified resident living in the courtyard (comment, sign)."""
    return (
        user.is_authenticated
        and user.identity_verified
        and user.home_area_id is not None
        and lies_under(user.home_area.path, convention.courtyard.path)
    )


@transaction.atomic
def comment(*, user, convention: Convention, text: str, now: datetime | None = None) -> ConventionComment:
    """A resident of the courtyard (or its keepers) comments on the draft during the discussion."""
    if not (may_take_part(user, convention) or has_perm(user, "selfgov.manage", convention.courtyard)):
        if not user.identity_verified:
            raise PermissionDenied(_("您尚未通过社区的实名核验，暂时不能发表意见。"))
        raise PermissionDenied(_("只有本院落的居民可以对公约草案发表意见。"))
    now = now or timezone.now()
    if convention.state != ConventionState.DISCUSSION or now > convention.discussion_ends_at:
        raise ValidationError({"text": _("公约草案的讨论已结束。")})
    if not (text or "").strip():
        raise ValidationError({"text": _("请填写意见。")})
    return ConventionComment.objects.create(
        convention=convention, version=draft_of(convention), author=user, text=text.strip()[:1000]
    )


@transaction.atomic
def call_vote(
    *,
    actor,
    convention: Convention,
    opens_at: datetime,
    closes_at: datetime,
    electorate: str = Electorate.RESIDENTS,
    quorum_percent: int = 50,
    majority: str = Majority.SIMPLE,
    secret: bool = True,
    per_household: bool = False,
    now: datetime | None = None,
) -> Convention:
    """The adoption vote (同意 / 不同意) of the courtyard's verified residents or households, published;
    the discussion ends. `per_household`: the text is put to the vote with the signing rule "one signature
    per household", which the version keeps once adopted."""
    _require_keeper(actor, convention)
    convention = _lock(convention)
    if convention.state != ConventionState.DISCUSSION:
        raise ValidationError(_("公约草案须先经居民讨论，才能提交表决。"))
    if electorate not in ELECTORATES:
        raise ValidationError({"electorate": _("公约由本院落的居民或居民户表决。")})
    if majority not in (Majority.SIMPLE, Majority.TWO_THIRDS):
        raise ValidationError({"majority": _("公约的表决须为过半数或三分之二以上通过。")})
    vote = votes.create_vote(
        actor=actor,
        area=convention.courtyard,
        title=_("表决：%(title)s") % {"title": convention.document.title},
        description=_("院落居民公约草案的表决。"),
        purpose="selfgov",
        options=[str(o) for o in OPTIONS],
        electorate=electorate,
        opens_at=opens_at,
        closes_at=closes_at,
        majority=majority,
        quorum_percent=quorum_percent,
        secret=secret,
    )
    votes.publish_vote(actor=actor, vote=vote, now=now)
    convention.state, convention.vote = ConventionState.VOTING, vote
    convention.per_household = per_household
    convention.save(update_fields=["state", "vote", "per_household"])
    _tell_residents(
        convention, _("《%(title)s》草案提交表决，请参加投票") % {"title": convention.document.title}
    )
    return convention


def vote_carried(vote) -> bool:
    result = vote.result or {}
    return bool(result.get("quorum_met")) and any(o.get("carried") for o in result.get("options", [])[:1])


@transaction.atomic
def settle_vote(*, actor, convention: Convention, now: datetime | None = None) -> Convention:
    """After the vote closed: carried → the draft is published (the version before superseded) and recorded
    as adopted by that vote; not carried → back to drafting. The residents are told either way."""
    _require_keeper(actor, convention)
    convention = _lock(convention)
    vote = convention.vote
    if convention.state != ConventionState.VOTING or vote is None or vote.status != VoteStatus.CLOSED:
        raise ValidationError(_("表决尚未结束。"))
    title = convention.document.title
    if vote_carried(vote):
        draft = draft_of(convention)
        version = documents.publish(actor=actor, version=draft, now=now, by_part=True)
        ConventionAdoption.objects.create(
            convention=convention,
            version=version,
            vote=vote,
            adopted_at=version.adopted_at,
            per_household=convention.per_household,
        )
        convention.state, convention.in_force_since = ConventionState.PUBLISHED, version.adopted_at
        _tell_residents(convention, _("《%(title)s》经居民表决通过，现已生效，欢迎签署") % {"title": title})
    else:
        convention.state = ConventionState.DRAFTING
        _tell_residents(
            convention, _("《%(title)s》草案未获表决通过，将修改后重新征求意见") % {"title": title}
        )
    convention.vote = None
    convention.save(update_fields=["state", "vote", "in_force_since"])
    return convention


@transaction.atomic
def amend(*, actor, convention: Convention, note: str = "") -> DocumentVersion:
    """A new draft from the version in force (which stays in force until the amendment's vote carries)."""
    _require_keeper(actor, convention)
    convention = _lock(convention)
    if convention.state != ConventionState.PUBLISHED:
        raise ValidationError(_("只有已生效的公约可以修订。"))
    draft = documents.start_draft(actor=actor, document=convention.document, note=note)
    convention.state = ConventionState.DRAFTING
    convention.save(update_fields=["state"])
    return draft


def signs_per_household(version) -> bool:
    """The signing rule `version` was adopted with: one signature per household?"""
    return ConventionAdoption.objects.filter(version=version, per_household=True).exists()


@transaction.atomic
def sign(*, user, convention: Convention) -> Signature:
    """A resident of the courtyard signs the version in force: once (the database refuses a second); when
    the version is signed per household, once per household (the database refuses a second member's)."""
    if not may_take_part(user, convention):
        if not user.identity_verified:
            raise PermissionDenied(_("您尚未通过社区的实名核验，暂时不能签署公约。"))
        raise PermissionDenied(_("只有本院落的居民可以签署本院落的公约。"))
    version = in_force(convention)
    if version is None:
        raise ValidationError(_("公约尚未生效，不能签署。"))
    household = household_of(user)
    per_household = signs_per_household(version)
    if per_household:
        if household is None or not lies_under(household.area.path, convention.courtyard.path):
            raise ValidationError(
                _("本公约每户签署一次，您尚未登记在本院落的住户中，请联系社区工作人员登记。"),
                code="no_household",
            )
        if Signature.objects.filter(version=version, household=household, per_household=True).exists():
            raise ValidationError(household_signed_message(household), code="household_signed")
    try:
        with transaction.atomic():
            return Signature.objects.create(
                convention=convention,
                version=version,
                user=user,
                household=household,
                per_household=per_household,
            )
    except IntegrityError as exc:
        if Signature.objects.filter(version=version, user=user).exists():
            raise ValidationError(_("您已签署过该公约。"), code="signed") from exc
        raise ValidationError(household_signed_message(household), code="household_signed") from exc


def household_signed_message(household) -> str:
    """What a member of a household that signed already is told (the page, and the refused signature)."""
    return _("您家（%(household)s）已有成员签署过该公约，本公约每户签署一次。") % {"household": household}
