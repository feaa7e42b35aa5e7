"""Helpers shared by the gathering services."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext as _

from grassroots.accounts.scoping import has_perm
from grassroots.gatherings.models import Gathering, Status
from grassroots.workflow.services import notify


def require_manage(actor, area) -> None:
    """The actor must hold gatherings.manage on an area covering `area`."""
    if not has_perm(actor, "gatherings.manage", area):
        raise PermissionDenied(_("您无权组织或管理该区域的会议活动。"))


def lock(gathering: Gathering) -> Gathering:
    """Re-read the gathering under a row lock (PostgreSQL); SQLite's IMMEDIATE transactions serialize
    writers anyway. Call inside transaction.atomic."""
    return Gathering.objects.select_for_update().get(pk=gathering.pk)


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
