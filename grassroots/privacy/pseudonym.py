"""The stable pseudonym of a person whose deletion request was carried out (services.erase_person).

What the law or Party rules require kept stays, but it must not lead back to the person. The account
itself (its id, sign-in history, home area, dates) is that way back: so every kept record that names the
account — as its subject (a member record, an attendance, a request) or as its author (a step of a workflow,
a visit logged, a payment recorded) — is moved to a new account made for this deletion alone: no password,
disabled, no area, no contact, a random name (`已注销用户` + eight random hex digits). It is the same
pseudonym for all the person's kept records, so a branch's counts, a ledger and an author still add up; its
id and name are not derived from the person's account, and nothing outside the audit trail records which
account it replaced.

The person's own account stays, emptied (parts.erase_account), for the one record that must keep it: the
audit trail (append-only, MLPS; its entries about the person are redacted, audit/redaction.py). Also left on
it, each for its reason (KEEP): the account's own credentials (deleted or ended with it), the ballots of
a vote's hash chain and the append-only points ledger (docs/decisions.md "Kept records move to a
pseudonym")."""

from __future__ import annotations

import secrets

from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.db import models
from django.utils.translation import gettext as _

# model label → why its rows keep pointing at the emptied account
KEEP = {
    "auditlog.LogEntry": "the audit trail: append-only, redacted by audit/redaction.py",
    "audit.AuditEvent": "the audit trail: append-only, redacted by audit/redaction.py",
    "accounts.ApiToken": "the account's own credential (ended when the account was disabled)",
    "accounts.AccountSession": "the account's own sessions (deleted with it)",
    "accounts.UsedPassword": "the account's own password history (deleted with it)",
    "accounts.User_groups": "the account's own permissions",
    "accounts.User_user_permissions": "the account's own permissions",
    "otp_totp.TOTPDevice": "the account's own second factor (deleted with it)",
    "otp_static.StaticDevice": "the account's own second factor (deleted with it)",
    "voting.Ballot": "the vote's hash chain hashes the voter, the enterer and the witness as cast",
    "virtue.PointsEntry": "the points ledger is append-only in the database (its guard has no opening)",
    "virtue.StockEntry": "the store's stock ledger is append-only in the database (its guard has no opening)",
}


def _guarded(model) -> bool:
    """A table of an append-only guard (audit/dbguard.py): its rows cannot be moved; it must be in KEEP."""
    from grassroots.audit.dbguard import GUARDS

    return any(model._meta.db_table in guard.tables for guard in GUARDS.values())


PREFIX = "anon-"  # the username of every pseudonym account (its random token follows)


def new_pseudonym(name: str | None = None):
    """A fresh account standing for one erased person: disabled, no password, nothing about anybody.
    `name` (with `%(token)s`) is its display name, 已注销用户 by default."""
    from grassroots.accounts.models import User

    while True:
        token = secrets.token_hex(4)
        if not User.objects.filter(username=f"{PREFIX}{token}").exists():
            break
    return User.objects.create(
        username=f"{PREFIX}{token}",
        full_name=(name or _("已注销用户%(token)s")) % {"token": token},
        password=make_password(None),
        is_active=False,
    )


def links_to_account() -> list[models.Field]:
    """Every foreign key to the account model outside KEEP (m2m tables included) and the guarded tables."""
    from grassroots.accounts.models import User

    return [
        field
        for model in apps.get_models(include_auto_created=True)
        if model._meta.label not in KEEP and not model._meta.proxy and not _guarded(model)
        for field in model._meta.local_concrete_fields
        if field.is_relation and field.remote_field.model is User
    ]


def move_to_pseudonym(user, pseudonym) -> int:
    """Point every kept record that names `user` at `pseudonym` instead; returns how many links moved. A
    plain UPDATE (no change entry: an entry would record the pair, which is what must not exist; the step
    is one event of the trail, by count). The models' own guards against updates (append-only logs) are
    passed by design: this is the one change a kept record gets."""
    moved = 0
    for field in links_to_account():
        rows = models.QuerySet(field.model).filter(**{field.attname: user.pk})
        moved += rows.update(**{field.attname: pseudonym.pk})
    return moved


def pseudonymous(field: str) -> models.Q:
    """Rows whose account link `field` already names a pseudonym account (disabled, `PREFIX` name)."""
    return models.Q(**{f"{field}__username__startswith": PREFIX, f"{field}__is_active": False})


def move_rows_to_pseudonyms(model, pks, field_name: str) -> int:
    """A retention run's kept rows (`pks` of `model`) stop naming their person: their account link
    `field_name` moves to a new pseudonym account per account found (not the same for two people, so every
    unique constraint over the link — one rating per resident and round, one turnout row per voter — still
    holds: the move is one-to-one onto fresh accounts). The rows of one person in the run share their
    pseudonym (counts per person still add up) but are not linked to the person's other records, kept or
    later forgotten. Rows already on a pseudonym stay (idempotent). A plain UPDATE, as `move_to_pseudonym`.
    Returns how many rows moved."""
    from django.utils.translation import gettext as _

    field = model._meta.get_field(field_name)
    rows = model._base_manager.filter(pk__in=pks).exclude(pseudonymous(field_name))
    accounts = sorted({pk for pk in rows.values_list(field.attname, flat=True) if pk is not None})
    moved = 0
    for account in accounts:
        pseudonym = new_pseudonym(_("匿名用户%(token)s"))
        moved += rows.filter(**{field.attname: account}).update(**{field.attname: pseudonym.pk})
    return moved
