"""Actions on notices. Views, the admin and tests all go through these functions."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from grassroots.access.scoping import has_perm
from grassroots.areas.models import Area
from grassroots.portal.models import Notice
from grassroots.portal.submissions import create_once


def _check_may_manage(user, area: Area) -> None:
    if not has_perm(user, "notices.manage", area):
        raise PermissionDenied


def create_notice(
    *,
    author,
    area: Area,
    title: str,
    body: str,
    published_at: datetime | None = None,
    pinned: bool = False,
    submission: str = "",
) -> Notice:
    """Publish a notice to `area` and everything below it (now, or at `published_at`). `submission` is the
    token of the form (NoticeForm): posted again — a double click, at the same moment or later — it
    returns the notice that form already published instead of a second one."""
    _check_may_manage(author, area)

    def create(token: str) -> Notice:
        return Notice.objects.create(
            author=author,
            area=area,
            title=title,
            body=body,
            published_at=published_at or timezone.now(),
            pinned=pinned,
            submission=token,
        )

    return create_once(Notice, submission=submission, create=create, author=author)


@transaction.atomic
def update_notice(
    *,
    notice: Notice,
    editor,
    area: Area,
    title: str,
    body: str,
    published_at: datetime,
    pinned: bool,
) -> Notice:
    """Change a notice. The editor must manage both the notice's current area and the new one."""
    _check_may_manage(editor, notice.area)
    _check_may_manage(editor, area)
    notice.area = area
    notice.title = title
    notice.body = body
    notice.published_at = published_at
    notice.pinned = pinned
    notice.save()
    return notice


@transaction.atomic
def delete_notice(*, notice: Notice, user) -> None:
    _check_may_manage(user, notice.area)
    notice.delete()
