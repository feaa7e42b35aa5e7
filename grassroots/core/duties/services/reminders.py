"""Reminders before the deadline, and one notice when an assignment falls overdue.

Overdue itself is never stored: it is the query `overdue_q(today)` (deadline passed, not approved), so every
page, figure and API answer marks it the moment the day passes, with no job to run. Only the *notices* need
a job: `remind_assignments` (the django-tasks task `duties.tasks.remind_duty_assignments`, run daily). It is
idempotent: each assignment remembers the deadline it was reminded for (`reminded_for`) and the deadline it
was reported overdue for (`overdue_notified_for`), so running it twice a day, or on two workers at once,
sends nothing twice; moving a task's deadline makes its assignments due for a reminder again."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from grassroots.accounts.models import RoleGrant
from grassroots.core.duties.models import OPEN_STATES, DutyAssignment, DutyTask, overdue_q
from grassroots.core.duties.rules import CHECKER_ROLES, DOER_ROLES
from grassroots.workflow.services import notify

REMIND_DAYS = 3


def _not_yet(field: str) -> Q:
    """The assignment has not been handled for its task's current deadline."""
    return (
        Q(**{f"{field}__isnull": True})
        | Q(**{f"{field}__lt": F("task__deadline")})
        | Q(**{f"{field}__gt": F("task__deadline")})
    )


def _grant_users(area_ids: set[int], roles) -> dict[int, set[int]]:
    """{area id: ids of active users holding one of `roles` directly on it}."""
    users: dict[int, set[int]] = defaultdict(set)
    ids = sorted(area_ids)
    for start in range(0, len(ids), 1000):
        rows = RoleGrant.objects.filter(
            area_id__in=ids[start : start + 1000], role__in=list(roles), user__is_active=True
        ).values_list("area_id", "user_id")
        for area_id, user_id in rows:
            users[area_id].add(user_id)
    return users


def _by_task(qs) -> dict[int, list[tuple[int, int]]]:
    grouped: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for pk, task_id, area_id in qs.values_list("pk", "task_id", "area_id").order_by("task_id", "pk"):
        grouped[task_id].append((pk, area_id))
    return grouped


def remind_assignments(*, today: date | None = None, days: int = REMIND_DAYS) -> dict[str, int]:
    """Notify the targets' officials of open assignments due within `days` days (today included), once per
    deadline; and notify the targets' and the issuers' officials of assignments that fell overdue, once per
    deadline. Returns {"reminded": n, "overdue": m} (assignments notified by this run). Queries per run:
    a few per task concerned, none per assignment."""
    today = today or timezone.localdate()
    due = DutyAssignment.objects.filter(
        _not_yet("reminded_for"),
        state__in=OPEN_STATES,
        task__issued_at__isnull=False,
        task__deadline__gte=today,
        task__deadline__lte=today + timedelta(days=days),
    )
    late = DutyAssignment.objects.filter(
        _not_yet("overdue_notified_for"), overdue_q(today), task__issued_at__isnull=False
    )
    return {
        "reminded": _send(due, field="reminded_for", overdue=False),
        "overdue": _send(late, field="overdue_notified_for", overdue=True),
    }


def _send(qs, *, field: str, overdue: bool) -> int:
    grouped = _by_task(qs)
    if not grouped:
        return 0
    tasks = DutyTask.objects.in_bulk(list(grouped))
    area_ids = {area_id for rows in grouped.values() for _pk, area_id in rows}
    doers = _grant_users(area_ids, DOER_ROLES)
    checkers = _grant_users({t.area_id for t in tasks.values()}, CHECKER_ROLES) if overdue else {}
    sent = 0
    for task_id, rows in grouped.items():
        task = tasks[task_id]
        with transaction.atomic():
            # Claim the rows (a concurrent run claims none of them): only they are notified.
            claimed = list(
                DutyAssignment.objects.select_for_update()
                .filter(_not_yet(field), pk__in=[pk for pk, _area in rows])
                .values_list("pk", "area_id")
            )
            if not claimed:
                continue
            DutyAssignment.objects.filter(pk__in=[pk for pk, _area in claimed]).update(
                **{field: task.deadline}
            )
            recipients = {user for _pk, area_id in claimed for user in doers.get(area_id, ())}
            with translation.override(settings.LANGUAGE_CODE):
                values = {"title": task.title, "deadline": task.deadline.isoformat(), "count": len(claimed)}
                if overdue:
                    verb = _("任务“%(title)s”已超过完成时限（%(deadline)s），请尽快办理并提交。") % values
                else:
                    verb = _("任务“%(title)s”将于 %(deadline)s 到期，请抓紧办理并提交。") % values
            notify(recipients=recipients, verb=verb, target=task, url=reverse("duties:worklist"))
            if overdue:
                verb_up = _("任务“%(title)s”有 %(count)d 个承办单位逾期未完成。")
                with translation.override(settings.LANGUAGE_CODE):
                    text = verb_up % values
                notify(
                    recipients=checkers.get(task.area_id, ()),
                    verb=text,
                    target=task,
                    url=task.get_absolute_url(),
                )
            sent += len(claimed)
    return sent
