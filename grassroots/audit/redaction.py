"""Pseudonymising a deleted person's identifiers in the audit trail without breaking the hash chain
(docs/audit.md, "Redaction"; docs/decisions.md).

A deletion request (PIPL art. 47) removes a person's name from the records; the trail's entries written
before it still named them (object_repr, the changes' old and new values, the username of their sign-ins).
`redact` replaces each identifier (name, username, masked phone and ID) with its placeholder in the hashed
text fields of the entries that concern the person, then:

- writes one `Redaction` per changed row with the row's new content hash (the link keeps the old one);
- writes one `AuditEvent` (个人信息处理) — itself appended to the chain — whose text ends with the digest of
  the set of redactions it made: sha256 of the sorted `source:row_id:content_hash` lines.

`chain.verify` accepts a row whose content no longer matches its link when the row's content matches its
latest redaction and that redaction's event still exists with the digest of its redactions. Changing a
redacted row again, adding or changing a redaction, or changing the event's text is reported as tampering,
like any other change: forging a redaction needs a new event on the chain, i.e. rewriting the chain from
there, which the head hash kept outside the database exposes.
"""

from __future__ import annotations

import hashlib
import re

from auditlog.models import LogEntry
from django.db import models, transaction
from django.utils.translation import gettext as _

from grassroots.audit import chain
from grassroots.audit.models import AuditEvent, ChainLink, Redaction, allow_redaction

DIGEST = re.compile(r"([0-9a-f]{64})\s*$")


def _replace(value, replacements: list[tuple[str, str]]):
    if isinstance(value, str):
        for old, new in replacements:
            value = value.replace(old, new)
        return value
    if isinstance(value, list):
        return [_replace(v, replacements) for v in value]
    if isinstance(value, dict):
        return {k: _replace(v, replacements) for k, v in value.items()}
    return value


def digest(redactions) -> str:
    lines = sorted(f"{r.source}:{r.row_id}:{r.content_hash}" for r in redactions)
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


def _own(values: dict, own_fields: dict[str, str]) -> dict:
    """In the changes of the person's own account, every value of a personal field (also an earlier phone
    number the text replacement does not know) becomes its placeholder."""
    changes = values.get("changes")
    if not isinstance(changes, dict):
        return values
    changed = dict(changes)
    for key, new in own_fields.items():
        if isinstance(changes.get(key), list):
            changed[key] = [new if v not in (None, "") else v for v in changes[key]]
    return {**values, "changes": changed}


def _exact(source, values: dict, username: tuple[str, str] | None) -> dict:
    """The username is replaced only where it stands as a whole: a sign-in's username, the account's
    username in a change, the description of an account without a name (a username like "admin" may be a
    word of other text)."""
    if username is None:
        return values
    old, new = username
    if source is chain.EVENT:
        if values.get("username") == old:
            values = {**values, "username": new}
        return values
    changes = values.get("changes")
    if isinstance(changes, dict) and isinstance(changes.get("username"), list):
        values = {
            **values,
            "changes": {**changes, "username": [new if v == old else v for v in changes["username"]]},
        }
    if values.get("object_repr") == old:
        values = {**values, "object_repr": new}
    return values


def _candidates(*, user, identifiers: list[str], username: str):
    """The entries that concern the person: about their account, written by them, or naming them in the
    object's description; their sign-ins, exports and other events."""
    from django.contrib.contenttypes.models import ContentType

    names = [i for i in identifiers if len(i) >= 2]
    about = models.Q(content_type=ContentType.objects.get_for_model(type(user)), object_pk=str(user.pk))
    about |= models.Q(actor_id=user.pk)
    for name in names:
        about |= models.Q(object_repr__contains=name)
    changes = LogEntry.objects.filter(about)
    mine = models.Q(user_id=user.pk) | models.Q(username=username)
    for name in names:
        mine |= models.Q(what__contains=name)
    events = AuditEvent.objects.filter(mine)
    return [(chain.CHANGE, LogEntry, changes), (chain.EVENT, AuditEvent, events)]


def redact(
    *,
    user,
    identifiers: dict[str, str],
    username: tuple[str, str] | None = None,
    own_fields: dict[str, str] | None = None,
    actor,
    label: str,
    scope_path: str = "",
) -> int:
    """Replace each identifier (key) by its placeholder (value) in the text of the trail's entries about
    `user`, and their former `username` (old, new) where it stands whole (`_exact`); in the change entries
    of their account itself, every value of `own_fields` (field → placeholder); returns how many rows
    changed. Runs inside the caller's transaction (the deletion request's), holding the
    chain's head so that no entry is written meanwhile."""
    replacements = sorted(
        ((old, new) for old, new in identifiers.items() if len(old or "") >= 2 and old != new),
        key=lambda p: -len(p[0]),
    )
    if not replacements and username is None:
        return 0
    redactions: list[Redaction] = []
    with transaction.atomic(), allow_redaction():
        chain._lock_head()
        from django.contrib.contenttypes.models import ContentType

        own = (ContentType.objects.get_for_model(type(user)).pk, str(user.pk))
        names = [o for o, _n in replacements]
        former = username[0] if username else user.get_username()
        for source, model, queryset in _candidates(user=user, identifiers=names, username=former):
            chained = ChainLink.objects.filter(source=source.key, pruned=False)
            rows = queryset.filter(pk__in=chained.values("row_id")).values("pk", *source.fields)
            for row in rows:
                values = {f: row[f] for f in source.fields}
                redacted = _exact(source, {f: _replace(v, replacements) for f, v in values.items()}, username)
                if (
                    own_fields
                    and source is chain.CHANGE
                    and (values["content_type_id"], values["object_pk"]) == own
                ):
                    redacted = _own(redacted, own_fields)
                changed = {f: v for f, v in redacted.items() if v != values[f]}
                if not changed:
                    continue
                model._base_manager.filter(pk=row["pk"]).update(**changed)
                stored = model._base_manager.filter(pk=row["pk"]).values(*source.fields).get()
                redactions.append(
                    Redaction(
                        source=source.key, row_id=row["pk"], content_hash=chain.content_hash(source, stored)
                    )
                )
        if not redactions:
            return 0
        event = AuditEvent.objects.create(
            kind=AuditEvent.Kind.PERSONAL_DATA,
            user=actor,
            username=actor.get_username() if actor is not None else "",
            what=(
                _("%(label)s：审计记录假名化 %(count)s 条，摘要 ")
                % {"label": label, "count": len(redactions)}
            )[:136]
            + digest(redactions),
            count=len(redactions),
            scope_path=scope_path,
        )
        for redaction in redactions:
            redaction.event_id = event.pk
        Redaction.objects.bulk_create(redactions)
    return len(redactions)


class Vouching:
    """For the verifier: the latest redaction of each row, and whether its event vouches for it."""

    def __init__(self):
        self._events: dict[int, bool] = {}

    def latest(self, links: list[ChainLink]) -> dict[tuple[str, int], Redaction]:
        wanted = models.Q()
        for key in {link.source for link in links}:
            ids = [link.row_id for link in links if link.source == key]
            wanted |= models.Q(source=key, row_id__in=ids)
        found: dict[tuple[str, int], Redaction] = {}
        if not wanted:
            return found
        for redaction in Redaction.objects.filter(wanted).order_by("pk"):
            found[(redaction.source, redaction.row_id)] = redaction
        return found

    def vouched(self, redaction: Redaction) -> bool:
        if redaction.event_id not in self._events:
            event = AuditEvent.objects.filter(pk=redaction.event_id).values_list("what", flat=True).first()
            match = DIGEST.search(event or "")
            made = Redaction.objects.filter(event_id=redaction.event_id)
            self._events[redaction.event_id] = bool(match) and match.group(1) == digest(made)
        return self._events[redaction.event_id]
