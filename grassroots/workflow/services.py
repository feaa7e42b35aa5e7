"""Actions of the workflow mechanism: start a record's log, take a transition, notify people, mark
notifications read. Every write runs in one transaction; notifications are created only on commit."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction as db_transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_fsm import ConcurrentTransition

from grassroots.files.checks import ATTACHMENTS, check_upload
from grassroots.workflow.engine import TransitionRefused, check
from grassroots.workflow.models import Notification, TransitionAttachment, TransitionLog, WorkflowModel

__all__ = ["TransitionRefused", "check", "mark_read", "notify", "start", "transition"]

MAX_ATTACHMENTS = 5
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024


def transition(
    record: WorkflowModel,
    name: str,
    *,
    actor,
    comment: str = "",
    attachments: Iterable[UploadedFile] = (),
    authorized: bool = False,
) -> TransitionLog:
    """Take transition `name` on `record` as `actor`.

    In one transaction: check that the actor may take it now (state, roles on the record's area,
    conditions, a comment when the step requires one; otherwise raise TransitionRefused with a message
    for the user), run the transition method, save the record, append the log row with its attachments,
    and queue the notifications the model declares for this transition (sent on commit, never to the
    actor). A record changed by someone else since it was loaded is refused, not overwritten.

    `authorized=True` is for a part's service that has checked by its own rules that `actor` may take the
    step (organizational life marks a branch's gathering held when its secretary opens the report): the
    transition's declared permission is not asked again; the state, the checks, the comment, the log and
    the notices are as for everyone. Never pass it from a view. With `actor=None` it is the platform itself
    (a clock task): the timeline shows the step without a person.
    """
    comment = (comment or "").strip()
    attachments = _check_attachments(list(attachments))
    from_state = record.state_value
    try:
        with db_transaction.atomic():
            check(record, name, actor=actor, comment=comment, authorized=authorized)
            getattr(record, name)(actor=actor, comment=comment)
            record.save()
            log = _append_log(record, name, actor, from_state, comment, attachments)
            _send_notices(record, name, actor, comment)
            _answer_notifications(record, actor)
    except ConcurrentTransition as exc:
        record.refresh_from_db()
        raise TransitionRefused(_("该记录已被他人处理，请刷新页面后再试。"), code="concurrent") from exc
    return log


def start(
    record: WorkflowModel,
    *,
    actor,
    comment: str = "",
    attachments: Iterable[UploadedFile] = (),
) -> TransitionLog:
    """Open the log of a record just created: the first timeline entry ("start", from nothing to the
    record's initial state) and the notifications the model declares for "start"."""
    attachments = _check_attachments(list(attachments))
    with db_transaction.atomic():
        log = _append_log(record, "start", actor, "", (comment or "").strip(), attachments)
        _send_notices(record, "start", actor, comment)
    return log


def notify(*, recipients: Iterable, verb, target=None, url: str = "") -> None:
    """Send an in-app notification to each recipient (users or user ids; duplicates and inactive users
    dropped) once the current transaction commits; nothing is sent if it rolls back. `verb` is stored as
    text in the site's language (zh-Hans)."""
    ids = sorted({r if isinstance(r, int) else r.pk for r in recipients if r is not None})
    if not ids:
        return
    with translation.override(settings.LANGUAGE_CODE):
        text = str(verb)[:255]
    target_type_id = ContentType.objects.get_for_model(target).pk if target is not None else None
    target_id = target.pk if target is not None else None
    url = str(url or "")[:500]

    def send() -> None:
        active = get_user_model().objects.filter(pk__in=ids, is_active=True).values_list("pk", flat=True)
        now = timezone.now()
        Notification.objects.bulk_create(
            Notification(
                recipient_id=pk,
                verb=text,
                target_type_id=target_type_id,
                target_id=target_id,
                url=url,
                created_at=now,
            )
            for pk in active
        )

    db_transaction.on_commit(send)


def mark_read(*, user, notification_ids: Iterable[int] | None = None) -> int:
    """Mark the user's unread notifications read (all, or those listed); returns how many changed."""
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_ids is not None:
        unread = unread.filter(pk__in=list(notification_ids))
    return unread.update(read_at=timezone.now())


# --- internals ------------------------------------------------------------------------------------------
def _check_attachments(files: list[UploadedFile]) -> list:
    """The files to store: each checked by its content (files.checks; images re-encoded), or refused."""
    if len(files) > MAX_ATTACHMENTS:
        raise TransitionRefused(
            _("最多上传 %(count)d 个附件。") % {"count": MAX_ATTACHMENTS}, code="attachment"
        )
    checked = []
    for f in files:
        try:
            checked.append(check_upload(f, allowed=ATTACHMENTS, max_bytes=MAX_ATTACHMENT_BYTES))
        except ValidationError as exc:
            raise TransitionRefused(exc.messages[0], code="attachment") from exc
    return checked


def _append_log(record, name, actor, from_state, comment, files) -> TransitionLog:
    log = TransitionLog.objects.create(
        content_type=ContentType.objects.get_for_model(record),
        object_id=record.pk,
        actor=actor if actor is not None and actor.is_authenticated else None,
        transition=name,
        from_state=from_state or "",
        to_state=record.state_value,
        comment=comment,
    )
    for f in files:
        attachment = TransitionAttachment(log=log, name=f.name[:255], size=f.size or 0)
        attachment.file.save(f.name, f, save=False)
        attachment.save()
    return log


def _answer_notifications(record, actor) -> None:
    """A step taken on a record answers the actor's unread notifications about it (those that asked them to
    act, and those telling them of earlier steps): the bell no longer counts work its reader has done."""
    if actor is None or not actor.is_authenticated:
        return
    Notification.objects.filter(
        recipient=actor,
        target_type=ContentType.objects.get_for_model(record),
        target_id=record.pk,
        read_at__isnull=True,
    ).update(read_at=timezone.now())


def _send_notices(record, name, actor, comment) -> None:
    actor_id = getattr(actor, "pk", None)
    with translation.override(settings.LANGUAGE_CODE):
        notices = list(record.workflow_notices(name, actor=actor, comment=comment))
        for notice in notices:
            notify(
                recipients=[r for r in notice.recipients if getattr(r, "pk", r) != actor_id],
                verb=notice.verb,
                target=record,
                url=notice.url or record.get_absolute_url(),
            )


def forget_comments(records: Iterable, *, placeholder: str) -> int:
    """The one sanctioned change of the append-only step log (TransitionLog): a retention run
    (grassroots/privacy/retention.py) replaces the comments of `records`' steps — where a work report or a
    reason was written, possibly naming residents — by `placeholder`; who took which step when stays.
    Returns how many steps changed."""
    records = list(records)
    if not records:
        return 0
    content_type = ContentType.objects.get_for_model(type(records[0]))
    steps = TransitionLog._base_manager.filter(
        content_type=content_type, object_id__in=[record.pk for record in records]
    ).exclude(comment__in=("", placeholder))
    return steps.update(comment=placeholder)
