"""Standing resident representatives (居民代表) of a community, kept by its workers (`voting.manage`). A
representatives' vote takes those standing in its area when it is created, unless it names its own list
(services/votes.create_vote). A person stands for one community at a time (unique in the database)."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from grassroots.access.scoping import has_perm
from grassroots.areas.models import Level
from grassroots.areas.subtree import lies_under
from grassroots.voting.models import Representative


@transaction.atomic
def appoint_representative(*, actor, community, user, since: date | None = None) -> Representative:
    if not has_perm(actor, "voting.manage", community):
        raise PermissionDenied(_("您无权维护该社区的居民代表。"))
    if community.level != Level.COMMUNITY or community.retired:
        raise ValidationError({"community": _("居民代表须登记在社区。")})
    if not user.identity_verified or not user.is_active:
        raise ValidationError({"user": _("居民代表须是已实名核验的居民。")})
    if user.home_area is None or not lies_under(user.home_area.path, community.path):
        raise ValidationError({"user": _("该居民不住在本社区。")})
    try:
        with transaction.atomic():
            return Representative.objects.create(
                community=community,
                user=user,
                since=since or timezone.localdate(),
                created_by=actor,
            )
    except IntegrityError as exc:
        raise ValidationError({"user": _("该居民已是在任的居民代表。")}, code="standing") from exc


@transaction.atomic
def retire_representative(*, actor, representative: Representative, until: date | None = None):
    if not has_perm(actor, "voting.manage", representative.community):
        raise PermissionDenied(_("您无权维护该社区的居民代表。"))
    if representative.until is not None:
        raise ValidationError(_("该居民代表已卸任。"), code="retired")
    until = until or timezone.localdate()
    if until < representative.since:
        raise ValidationError({"until": _("卸任日期不能早于推选日期。")})
    representative.until = until
    representative.save(update_fields=["until"])
    return representative
