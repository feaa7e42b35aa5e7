"""Retention runs on the clock, one way for every part (PIPL art. 19: personal information is kept for the
shortest period the purpose needs; docs/privacy.md "Retention", docs/decisions.md "Retention of business
records").

A part describes one run as a `Rule`: the setting holding its period in years, the rows due at a cutoff
date (`due`), and what becomes of them — the fields a row keeps of the person once forgotten (`erased`,
an update: the record stays, pseudonymised, where the law or the organization's record keeping needs it)
or `delete` (the row goes). `run` then, in one transaction:

1. takes the due rows (locked);
2. pseudonymises (or deletes) them; a kept row's account links (`links`: an opinion's author, a rating's
   resident, a turnout row's voter) move to pseudonym accounts (pseudonym.move_rows_to_pseudonyms), so the
   kept record no longer names the person;
3. writes one audit event (个人信息处理) saying how many;
4. redacts the earlier change entries about them in the audit trail (audit/redaction.py: each erased field's
   old values become its placeholder), the hash chain still verifying.

A run is idempotent: `due` never selects a row already forgotten (its content erased and its links on
pseudonyms: `unlinked`), so a second run finds nothing and writes
nothing. The grid workers' visit log (gridwork/retention.py) was the first such run; the parts' rules are in
their `retention.py`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from grassroots.audit.models import AuditEvent


def years_of(setting: str) -> int:
    """The period a setting holds, at least one year."""
    return max(1, int(getattr(settings, setting)))


def erased_text() -> str:
    """What a free text holds once forgotten (the visit log's and the parts' one placeholder)."""
    from django.utils.translation import gettext as _

    return _("（内容已按个人信息规则删除）")


def start_of(day: dt.date) -> dt.datetime:
    """The first moment of `day`, local time: for comparing a timestamp with a cutoff date."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def cutoff(years: int, now: dt.datetime) -> dt.date:
    """The local date `years` calendar years before `now` (29 February → the 28th): what happened before it
    is due."""
    day = timezone.localdate(now)
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


@dataclass(frozen=True)
class Rule:
    """One retention run of a part. `due(cutoff_date)` is a queryset of the rows to forget (never one already
    forgotten); `erased()` the update that forgets a row (ignored when `delete`); `own()` what each field's
    earlier values become in the change entries about a forgotten row (default: `erased()`'s fields, a
    removed link shown as ""); `what` the audit event's text with `%(count)s`; `links` the account foreign
    keys of a kept row that move to pseudonym accounts (`due` also selects rows whose content is already
    erased but a link still names a person: `unlinked`)."""

    setting: str
    label: str
    what: str
    due: Callable[[dt.date], models.QuerySet]
    erased: Callable[[], dict] = dict
    own: Callable[[], dict] | None = None
    delete: bool = False
    extra: Callable[[list], None] | None = field(default=None)  # more to forget with the rows, e.g. files
    links: tuple[str, ...] = ()

    def own_fields(self) -> dict:
        if self.own is not None:
            return self.own()
        own = {name: "" if value is None else str(value) for name, value in self.erased().items()}
        return own | dict.fromkeys(self.links, "")


def unlinked(*links: str) -> models.Q:
    """Rows none of whose account `links` still names a person (each on a pseudonym account or empty): what
    a `due` with links excludes along with the erased content."""
    from grassroots.privacy.pseudonym import pseudonymous

    q = models.Q()
    for link in links:
        q &= pseudonymous(link) | models.Q(**{f"{link}__isnull": True})
    return q


def run(rule: Rule, *, now: dt.datetime | None = None) -> dict:
    """Forget the rows `rule` finds due at `now` (default: the clock's now). Returns {"count", "redacted",
    "years"}."""
    from grassroots.audit.redaction import redact
    from grassroots.privacy.pseudonym import move_rows_to_pseudonyms

    years = years_of(rule.setting)
    due_date = cutoff(years, now or timezone.now())
    with transaction.atomic():
        rows = list(rule.due(due_date).select_for_update(of=("self",)).order_by("pk"))
        if not rows:
            return {"count": 0, "redacted": 0, "years": years}
        model = type(rows[0])
        pks = [row.pk for row in rows]
        if rule.extra is not None:
            rule.extra(rows)
        if rule.delete:
            model._base_manager.filter(pk__in=pks).delete()
        else:
            if erased := rule.erased():
                model._base_manager.filter(pk__in=pks).update(**erased)
            for link in rule.links:
                move_rows_to_pseudonyms(model, pks, link)
        count = len(pks)
        AuditEvent.objects.create(
            kind=AuditEvent.Kind.PERSONAL_DATA, what=str(rule.what % {"count": count}), count=count
        )
        own = rule.own_fields()
        redacted = redact(
            user=None, identifiers={}, actor=None, label=str(rule.label), records=[(row, own) for row in rows]
        )
    return {"count": count, "redacted": redacted, "years": years}
