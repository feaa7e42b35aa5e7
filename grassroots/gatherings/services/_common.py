"""Helpers shared by the gathering services: who may manage, the row lock, the field rules, the workflow step
under the lock, notifications."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext as _

from grassroots.access.scoping import has_perm
from grassroots.gatherings.kinds import own_form_message, validate_kind
from grassroots.gatherings.models import Gathering, Status, Visibility
from grassroots.workflow.services import notify, transition


def require_manage(actor, area) -> None:
    """The actor must hold gatherings.manage on an area covering `area`."""
    if not has_perm(actor, "gatherings.manage", area):
        raise PermissionDenied(_("您无权组织或管理该区域的会议活动。"))


def refuse_own_form(kind: str) -> None:
    """The general create (page, API, series) does not make a kind with a form of its own (kinds.OwnForm);
    the message names its page and endpoint."""
    message = own_form_message(kind)
    if message:
        raise ValidationError({"kind": ValidationError(message, code="own_form")})


def lock(gathering: Gathering) -> Gathering:
    """Re-read the gathering under a row lock (PostgreSQL); SQLite's IMMEDIATE transactions serialize
    writers anyway. Call inside transaction.atomic."""
    return Gathering.objects.select_for_update().get(pk=gathering.pk)


def validate(gathering: Gathering) -> None:
    """Field rules of a gathering being created or changed; errors are attached to the field that caused
    them."""
    errors = common_errors(gathering)
    if gathering.ends_at <= gathering.starts_at:
        errors["ends_at"] = _("结束时间必须晚于开始时间。")
    if gathering.signup_deadline and gathering.signup_deadline > gathering.ends_at:
        errors["signup_deadline"] = _("报名截止时间不能晚于结束时间。")
    if errors:
        raise ValidationError(errors)


def common_errors(record) -> dict[str, str]:
    """The field rules a gathering and a series of gatherings share (kind, title, capacity, visibility,
    area, organizing Party organization), by field name."""
    errors: dict[str, str] = {}
    try:
        validate_kind(record.kind)
    except ValidationError as exc:
        errors["kind"] = exc.messages[0]
    if not record.title.strip():
        errors["title"] = _("请填写名称。")
    if record.capacity is not None and record.capacity < 1:
        errors["capacity"] = _("名额至少为 1 人；不限人数请留空。")
    if record.visibility not in Visibility.values:
        errors["visibility"] = _("请选择公开范围。")
    if record.area.retired:
        errors["area"] = _("该区域已撤销。")
    party_org = record.party_org
    if party_org is not None and (party_org.retired or not party_org.area.covers(record.area)):
        errors["party_org"] = _("组织党组织必须是本区域或上级区域的党组织。")
    return errors


def take_step(gathering: Gathering, name: str, *, actor, comment: str = "", authorized: bool = False):
    """Lock the gathering's row and take workflow step `name` on it (see Gathering's transitions); returns
    the locked, moved gathering. The lock orders the step after any sign-up or attendance being written."""
    with transaction.atomic():
        gathering = lock(gathering)
        transition(gathering, name, actor=actor, comment=comment, authorized=authorized)
    return gathering


def require_not_cancelled(gathering: Gathering) -> None:
    if gathering.status == Status.CANCELLED:
        raise ValidationError(_("该会议活动已取消。"), code="cancelled")


def require_started(gathering: Gathering, now) -> None:
    if now < gathering.starts_at:
        raise ValidationError(_("会议活动尚未开始。"), code="not_started")


def notify_about(gathering: Gathering, *, recipients, verb: str) -> None:
    """In-app notification linking to the gathering (sent on commit by the workflow part). `verb` is a
    message id with a %(title)s placeholder, translated into the site's language whatever the actor's."""
    with translation.override(settings.LANGUAGE_CODE):
        text = gettext(verb) % {"title": gathering.title}
    notify(
        recipients=recipients,
        verb=text,
        target=gathering,
        url=reverse("gatherings:detail", args=[gathering.pk]),
    )
