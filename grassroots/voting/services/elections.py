"""The record of a community's election of its resident representatives (居民代表推选): the day, the term
(five years by default), the vote or the meeting that elected them, the result's document; those elected
become (or stay) the community's standing representatives, linked to the record. The clock reminds the
community's staff TERM_NOTICE_DAYS before the term of the latest record ends (docs/voting.md)."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from grassroots.access.scoping import has_perm
from grassroots.accounts.roles import COMMUNITY_STAFF
from grassroots.areas.models import Level
from grassroots.areas.subtree import lies_under
from grassroots.files.checks import ATTACHMENTS, check_upload
from grassroots.voting.models import (
    TERM_NOTICE_DAYS,
    TERM_YEARS,
    ElectionCorrection,
    Representative,
    RepresentativeElection,
)
from grassroots.voting.services.representatives import appoint_representative
from grassroots.workflow.services import notify

MAX_DOCUMENT_BYTES = 20 * 1024 * 1024


def default_term_end(held_on: date) -> date:
    """TERM_YEARS after the election day (29 February → 28 February when that year has none)."""
    try:
        return held_on.replace(year=held_on.year + TERM_YEARS)
    except ValueError:
        return held_on.replace(year=held_on.year + TERM_YEARS, day=28)


def _check(community, held_on, term_ends_on, vote, gathering) -> dict:
    errors = {}
    if community.level != Level.COMMUNITY or community.retired:
        errors["community"] = [_("居民代表推选须登记在社区。")]
        return errors
    if held_on > timezone.localdate():
        errors["held_on"] = [_("推选日期不能晚于今天。")]
    if term_ends_on <= held_on:
        errors["term_ends_on"] = [_("任期届满日期须晚于推选日期。")]
    if vote is None and gathering is None:
        errors["vote"] = [_("请选择推选投票或推选会议（至少一项）。")]
    if vote is not None and not lies_under(vote.area.path, community.path):
        errors["vote"] = [_("该投票不属于本社区。")]
    if gathering is not None:
        if not lies_under(gathering.area.path, community.path):
            errors["gathering"] = [_("该会议不属于本社区。")]
        elif gathering.status == "cancelled":
            errors["gathering"] = [_("该会议已取消。")]
    return errors


@transaction.atomic
def record_election(
    *,
    actor,
    community,
    held_on: date,
    term_ends_on: date | None = None,
    vote=None,
    gathering=None,
    document=None,
    note: str = "",
    elected=(),
) -> RepresentativeElection:
    """Record an election of `community`'s representatives; each person `elected` becomes a standing
    representative from `held_on` (or, already standing there, is linked to this record). All or nothing."""
    if not has_perm(actor, "voting.manage", community):
        raise PermissionDenied(_("您无权维护该社区的居民代表。"))
    term_ends_on = term_ends_on or default_term_end(held_on)
    errors = _check(community, held_on, term_ends_on, vote, gathering)
    checked = None
    if document:
        try:
            checked = check_upload(document, allowed=ATTACHMENTS, max_bytes=MAX_DOCUMENT_BYTES)
        except ValidationError as exc:
            errors["document"] = exc.messages
    if errors:
        raise ValidationError(errors)
    election = RepresentativeElection(
        community=community,
        held_on=held_on,
        term_ends_on=term_ends_on,
        vote=vote,
        gathering=gathering,
        note=(note or "").strip(),
        created_by=actor,
    )
    if checked is not None:
        election.document_name = getattr(document, "name", "")[:200]
        election.document.save(checked.name, checked, save=False)
    election.save()
    standing = {
        r.user_id: r
        for r in Representative.objects.select_for_update().filter(community=community, until__isnull=True)
    }
    for user in elected:
        found = standing.get(user.pk)
        if found is None:
            try:
                found = appoint_representative(actor=actor, community=community, user=user, since=held_on)
            except ValidationError as exc:
                messages = exc.message_dict.get("user", exc.messages)
                raise ValidationError({"elected": [f"{user.display_name}：{m}" for m in messages]}) from exc
        found.election = election
        found.save(update_fields=["election"])
    return election


CORRECTABLE = ("held_on", "term_ends_on", "vote", "gathering", "note")


def _shown(value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        return value
    return str(getattr(value, "title", value))


@transaction.atomic
def correct_election(*, actor, election, reason: str, **changes) -> ElectionCorrection:
    """更正: correct a wrong entry of an election record (the day, the term's end, the vote, the meeting, the
    note), with the reason. The record takes the corrected values (audited by the trail like any change), and
    an `ElectionCorrection` keeps what each field was and became, who and why: the history. The same checks as
    recording it, at the fields; nothing changed or no reason → refused, nothing written. The community and
    those elected are not corrected here (a new record does that)."""
    unknown = set(changes) - set(CORRECTABLE)
    if unknown:
        raise TypeError(f"not correctable: {sorted(unknown)}")
    if not has_perm(actor, "voting.manage", election.community):
        raise PermissionDenied(_("您无权维护该社区的居民代表。"))
    election = (
        RepresentativeElection.objects.select_for_update().select_related("community").get(pk=election.pk)
    )
    if "note" in changes:
        changes["note"] = (changes["note"] or "").strip()
    if changes.get("term_ends_on", election.term_ends_on) is None:
        changes["term_ends_on"] = default_term_end(changes.get("held_on", election.held_on))
    before = {name: getattr(election, name) for name in CORRECTABLE}
    after = {**before, **changes}
    errors = _check(
        election.community, after["held_on"], after["term_ends_on"], after["vote"], after["gathering"]
    )
    if not (reason or "").strip():
        errors["reason"] = [_("请写明更正理由。")]
    diff = {name: (before[name], after[name]) for name in CORRECTABLE if before[name] != after[name]}
    if not diff and not errors:
        errors["__all__"] = [_("没有要更正的内容：请修改有误的项目。")]
    if errors:
        raise ValidationError(errors)
    for name, (_old, new) in diff.items():
        setattr(election, name, new)
    election.save(update_fields=list(diff))
    return ElectionCorrection.objects.create(
        election=election,
        reason=reason.strip(),
        changes={name: [_shown(old), _shown(new)] for name, (old, new) in diff.items()},
        corrected_by=actor,
    )


def _community_staff(community) -> list[int]:
    return list(
        get_user_model()
        .objects.filter(
            is_active=True,
            grants__role__in=COMMUNITY_STAFF,
            grants__area=community,
        )
        .values_list("pk", flat=True)
        .distinct()
    )


def latest_elections(queryset=None):
    """The latest election record of each community (the one whose term counts)."""
    from django.db.models import OuterRef, Subquery

    queryset = RepresentativeElection.objects.all() if queryset is None else queryset
    latest = RepresentativeElection.objects.filter(community=OuterRef("community")).order_by(
        "-held_on", "-pk"
    )
    return queryset.filter(pk=Subquery(latest.values("pk")[:1]))


def remind_term_ends(*, today: date | None = None) -> int:
    """Remind each community's staff once (per term end) that the representatives' term ends within
    TERM_NOTICE_DAYS days (or has ended without a newer election). Returns how many were reminded."""
    today = today or timezone.localdate()
    due = (
        latest_elections()
        .filter(term_ends_on__lte=today + timedelta(days=TERM_NOTICE_DAYS), community__retired=False)
        .select_related("community")
        .order_by("term_ends_on", "pk")
    )
    reminded = 0
    for election in due:
        if election.reminded_for == election.term_ends_on:
            continue
        with transaction.atomic():
            claimed = RepresentativeElection.objects.filter(pk=election.pk).exclude(
                reminded_for=election.term_ends_on
            )
            if not claimed.update(reminded_for=election.term_ends_on):
                continue
            if election.term_ends_on >= today:
                verb = _("%(community)s居民代表任期将于%(day)s届满，请及早筹备换届推选。")
            else:
                verb = _("%(community)s居民代表任期已于%(day)s届满，尚未登记新的推选，请及早组织换届推选。")
            notify(
                recipients=_community_staff(election.community),
                verb=verb % {"community": election.community.name, "day": election.term_ends_on},
                target=election,
                url=election.get_absolute_url(),
            )
            reminded += 1
    return reminded
