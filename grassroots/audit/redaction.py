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


def _exact(source, values: dict, usernames: dict[str, str]) -> dict:
    """A username is replaced only where it stands as a whole: a sign-in's username, the account's username in
    a change, the description of an account without a name (a username like "admin" may be a word of other
    text)."""
    if not usernames:
        return values
    if source is chain.EVENT:
        if values.get("username") in usernames:
            values = {**values, "username": usernames[values["username"]]}
        return values
    changes = values.get("changes")
    if isinstance(changes, dict) and isinstance(changes.get("username"), list):
        values = {
            **values,
            "changes": {**changes, "username": [usernames.get(v, v) for v in changes["username"]]},
        }
    if values.get("object_repr") in usernames:
        values = {**values, "object_repr": usernames[values["object_repr"]]}
    return values


CHUNK = 500


def _content_type_id(model) -> int:
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(model).pk


def _linked(roots) -> dict[int, set[str]]:
    """The rows the audit trail tracks that concern `roots` (the person's account, the records forgotten):
    the roots themselves and every tracked row pointing at one of them by a foreign key (a grant, a
    household membership, a visit logged to them, a care visit of the member record, …), found by identity
    — content type and primary key —, never by a name a namesake shares. content type id → primary keys."""
    from grassroots.audit.registry import tracked_models

    wanted: dict[type[models.Model], list] = {}
    for root in roots:
        wanted.setdefault(type(root)._meta.concrete_model, []).append(root.pk)
    found: dict[int, set[str]] = {}
    for model, pks in wanted.items():
        found.setdefault(_content_type_id(model), set()).update(map(str, pks))
    for model in tracked_models():
        for field in model._meta.concrete_fields:
            target = field.remote_field.model if field.is_relation and field.remote_field else None
            if target is None or target._meta.concrete_model not in wanted:
                continue
            pks = wanted[target._meta.concrete_model]
            for start in range(0, len(pks), CHUNK):
                rows = model._base_manager.filter(**{f"{field.attname}__in": pks[start : start + CHUNK]})
                found.setdefault(_content_type_id(model), set()).update(
                    map(str, rows.values_list("pk", flat=True))
                )
    return found


def _candidates(*, people: list, usernames: list[str], roots: list):
    """The entries that concern the person (or the forgotten records): change entries about `roots` or a
    tracked row pointing at one of them (`_linked`), or written by one of `people` (their accounts); events
    of those accounts (`user`) or of their usernames (a failed sign-in names only the username typed). All by
    identity: a name is no key, and a namesake keeps their entries."""
    about = models.Q(pk__in=[])
    for content_type_id, pks in _linked(roots).items():  # one condition per model, not per record
        about |= models.Q(content_type_id=content_type_id, object_pk__in=sorted(pks))
    ids = [person.pk for person in people]
    if ids:
        about |= models.Q(actor_id__in=ids)
    changes = LogEntry.objects.filter(about)
    mine = models.Q(pk__in=[])
    if ids:
        mine |= models.Q(user_id__in=ids)
    if usernames:
        mine |= models.Q(username__in=usernames)
    events = AuditEvent.objects.filter(mine)
    return [(chain.CHANGE, LogEntry, changes), (chain.EVENT, AuditEvent, events)]


def redact(
    *,
    user=None,
    identifiers: dict[str, str],
    username: tuple[str, str] | None = None,
    own_fields: dict[str, str] | None = None,
    actor,
    label: str,
    scope_path: str = "",
    records: list[tuple[models.Model, dict[str, str]]] = (),
    accounts: list[tuple[models.Model, tuple[str, str] | None]] = (),
) -> int:
    """Replace each identifier (key) by its placeholder (value) in the text of the trail's entries that
    concern the person — `user` (a deletion request) and `accounts` (the closed accounts linked to members
    a retention run forgets: (account, (former username, new) or None)) — and `records` (the records
    forgotten): found by identity (`_candidates`), never by name. Former usernames are replaced where they
    stand whole (`_exact`); in the change entries of `user` itself every value of `own_fields` (field →
    placeholder), and likewise in those of each of `records` (record, its own fields → placeholder); returns
    how many rows changed. Runs inside the caller's transaction (the deletion request's, the retention
    run's), holding the chain's head so that no entry is written meanwhile."""
    replacements = sorted(
        ((old, new) for old, new in identifiers.items() if len(old or "") >= 2 and old != new),
        key=lambda p: -len(p[0]),
    )
    people = ([(user, username)] if user is not None else []) + list(accounts)
    if not replacements and not people and not records:
        return 0
    redactions: list[Redaction] = []
    with transaction.atomic(), allow_redaction():
        chain._lock_head()
        own: dict[tuple[int, str], dict[str, str]] = {}
        for record, fields in records:
            own[(_content_type_id(type(record)), str(record.pk))] = fields
        if user is not None and own_fields:
            own[(_content_type_id(type(user)), str(user.pk))] = own_fields
        usernames: dict[str, str] = {}
        for person, pair in people:
            former, new = pair or (person.get_username(), person.get_username())
            usernames[former] = new
        found = _candidates(
            people=[p for p, _pair in people],
            usernames=list(usernames),
            roots=[p for p, _pair in people] + [r for r, _f in records],
        )
        renamed = {old: new for old, new in usernames.items() if old != new}
        for source, model, queryset in found:
            chained = ChainLink.objects.filter(source=source.key, pruned=False)
            rows = queryset.filter(pk__in=chained.values("row_id")).values("pk", *source.fields)
            for row in rows:
                values = {f: row[f] for f in source.fields}
                redacted = _exact(source, {f: _replace(v, replacements) for f, v in values.items()}, renamed)
                if source is chain.CHANGE and (values["content_type_id"], values["object_pk"]) in own:
                    redacted = _own(redacted, own[(values["content_type_id"], values["object_pk"])])
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
