"""The staff of an office (科室人员): officials of the office's own area, each with a post there."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from grassroots.accounts.roles import LINE_OFFICIALS
from grassroots.areas.models import Area
from grassroots.core.duties.models import Office, OfficeMember, OfficePost
from grassroots.core.duties.services.tasks import require_issue


def staff_candidates(area: Area) -> QuerySet:
    """Active users holding an official's role (street official on a street, community staff on a community)
    on exactly `area`, the offices' area: "officials of the street"."""
    return (
        get_user_model()
        .objects.filter(is_active=True, grants__area_id=area.pk, grants__role__in=LINE_OFFICIALS)
        .distinct()
        .order_by("full_name", "username")
    )


@transaction.atomic
def add_office_member(*, actor, office: Office, user, post: str = OfficePost.STAFF) -> OfficeMember:
    """Put an official of the office's area on its staff (duties.issue on the area)."""
    require_issue(actor, office.area)
    errors = {}
    if office.retired:
        errors["office"] = _("该科室已撤销。")
    if user is None or not staff_candidates(office.area).filter(pk=user.pk).exists():
        errors["user"] = _("科室人员须是本单位的在职干部。")
    if post not in OfficePost.values:
        errors["post"] = _("请选择职务。")
    if errors:
        raise ValidationError(errors)
    if OfficeMember.objects.filter(office=office, user=user).exists():
        raise ValidationError({"user": _("此人已在该科室。")})
    try:
        with transaction.atomic():
            return OfficeMember.objects.create(office=office, user=user, post=post, added_by=actor)
    except IntegrityError as exc:  # the same person added twice at once
        raise ValidationError({"user": _("此人已在该科室。")}) from exc


@transaction.atomic
def remove_office_member(*, actor, member: OfficeMember) -> None:
    require_issue(actor, member.office.area)
    member.delete()
