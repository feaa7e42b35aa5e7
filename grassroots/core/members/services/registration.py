"""Dual registration (双报到), member side: an in-service member registers with the community where they
live, a unit's Party organization with the community where it is located; the community's workers or
secretary confirm or return it; either side may end it. Transitions go through the workflow service, which
checks who may take them (see models/registration.py)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from grassroots.access.scoping import has_perm
from grassroots.areas.models import Area, Level, PartyOrg
from grassroots.areas.subtree import ancestor_paths
from grassroots.core.members.models import Member, Registration
from grassroots.workflow import services as workflow
from grassroots.workflow.services import TransitionRefused

CHANGE = "members.change"


def community_of(area: Area | None) -> Area | None:
    """The community an area lies in (itself when it is one), or None."""
    if area is None:
        return None
    if area.level == Level.COMMUNITY:
        return area
    paths = ancestor_paths(area.path, include_self=False)
    return Area.objects.filter(path__in=paths, level=Level.COMMUNITY).order_by("-depth").first()


def _check_community(community: Area | None, expected: Area | None, errors: dict, *, where: str) -> None:
    if community is None:
        errors["community"] = [_("请选择报到社区。")]
    elif community.level != Level.COMMUNITY or community.retired:
        errors["community"] = [_("请选择一个现有的社区。")]
    elif expected is not None and community.pk != expected.pk:
        errors["community"] = [
            _("应到%(where)s所在的社区（%(name)s）报到。") % {"where": where, "name": expected.name}
        ]


def _create(registration: Registration, *, actor, message: str) -> Registration:
    try:
        with transaction.atomic():
            registration.save()
    except IntegrityError as exc:  # an open registration exists (conditional unique constraint)
        raise ValidationError({"__all__": [message]}) from exc
    workflow.start(registration, actor=actor)
    return registration


def register_member(
    *, actor, member: Member, community: Area | None = None, services_offered: str = ""
) -> Registration:
    """The member (or whoever keeps their record) registers them with the community where they live: the
    community of their home address when `community` is not given, and only that one when it is known."""
    own = member.user_id is not None and actor is not None and member.user_id == actor.pk
    if not own and not has_perm(actor, CHANGE, member):
        raise PermissionDenied(_("只能为本人或您负责的党员办理报到。"))
    errors: dict[str, list] = {}
    if not member.in_service:
        errors["member"] = [_("双报到面向在职党员；请先在档案中标注“在职党员”。")]
    home = community_of(member.home_area)
    community = community or home
    _check_community(community, home, errors, where=_("居住地"))
    if errors:
        raise ValidationError(errors)
    registration = Registration(
        member=member,
        community=community,
        services_offered=(services_offered or "").strip(),
        registered_by=actor,
    )
    with transaction.atomic():
        return _create(
            registration, actor=actor, message=_("该党员已有一项待确认或有效的报到，请先结束原报到。")
        )


def register_org(
    *, actor, party_org: PartyOrg, community: Area | None, services_offered: str = ""
) -> Registration:
    """A unit's Party organization registers with the community where it is located (when its own area
    lies in a community, that one)."""
    if not has_perm(actor, CHANGE, party_org):
        raise PermissionDenied(_("只能为您负责的党组织办理报到。"))
    errors: dict[str, list] = {}
    if party_org.retired:
        errors["party_org"] = [_("该党组织已撤销。")]
    _check_community(community, community_of(party_org.area), errors, where=_("单位"))
    if errors:
        raise ValidationError(errors)
    registration = Registration(
        party_org=party_org,
        community=community,
        services_offered=(services_offered or "").strip(),
        registered_by=actor,
    )
    with transaction.atomic():
        return _create(registration, actor=actor, message=_("该党组织已在这个社区报到或正在等待确认。"))


def _step(registration: Registration, name: str, *, actor, comment: str) -> Registration:
    """Take a step; a refusal becomes what forms and the API understand: PermissionDenied (403) when the
    actor may not take it, otherwise a ValidationError (a missing reason on the field "comment")."""
    try:
        workflow.transition(registration, name, actor=actor, comment=comment)
    except TransitionRefused as refused:
        if refused.code == "permission":
            raise PermissionDenied(refused.message) from refused
        if refused.code == "comment_required":
            raise ValidationError({"comment": [refused.message]}, code=refused.code) from refused
        raise ValidationError(refused.message, code=refused.code) from refused
    return registration


def confirm(*, actor, registration: Registration, comment: str = "") -> Registration:
    """The community confirms (its workers or secretary, on the community or above)."""
    return _step(registration, "confirm", actor=actor, comment=comment)


def reject(*, actor, registration: Registration, reason: str) -> Registration:
    """The community returns the registration, with the reason."""
    return _step(registration, "reject", actor=actor, comment=reason)


def end(*, actor, registration: Registration, comment: str = "") -> Registration:
    """Either side ends a pending or confirmed registration (moved house, changed job…)."""
    return _step(registration, "end", actor=actor, comment=comment)
