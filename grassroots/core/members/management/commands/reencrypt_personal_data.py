"""Re-encrypt every encrypted field under the current key: members' ID and phone numbers, the phone numbers
of accounts, real-name verifications, dispute parties and partner contacts (`grassroots.accounts.fields`), and
any later one (every model field that is an EncryptedFieldMixin is found by itself).

Key rotation (docs/operations.md): put the new key first — a new SECRET_KEY with the old one in
SECRET_KEY_FALLBACKS, or a new salt first in SALT_KEY ("new,old") — restart, run this command, then remove
the old key. Values are encrypted with the first key and read with any; this command rewrites the values
not yet under the first key, in batches, and can be run again after an interruption. It refuses to write
anything while some value cannot be read with any configured key (the old key was removed too early)."""

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from encrypted_fields.fields import EncryptedFieldMixin


def encrypted_models():
    """[(model, [encrypted fields])] for every installed model that has one."""
    found = []
    for model in apps.get_models():
        fields = [f for f in model._meta.concrete_fields if isinstance(f, EncryptedFieldMixin)]
        if fields:
            found.append((model, fields))
    return found


def forget_keys(fields) -> None:
    """The fields cache their keys: derive them again from the settings as they are now."""
    for field in fields:
        field.__dict__.pop("keys", None)
        field.__dict__.pop("f", None)


def stored_values(model, fields):
    """(pk, {attname: ciphertext}) straight from the table, without the fields' decryption."""
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    pk = quote(model._meta.pk.column)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {pk}, {columns} FROM {quote(model._meta.db_table)} ORDER BY {pk}")
        for row in cursor.fetchall():
            yield row[0], {f.attname: value for f, value in zip(fields, row[1:], strict=True)}


class Command(BaseCommand):
    help = "Re-encrypt every person's ID and phone numbers (every encrypted field) under the first key."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="only count values not under the first key")
        parser.add_argument("--batch-size", type=int, default=500)

    def handle(self, *args, check=False, batch_size=500, **options):
        stale_total = 0
        for model, fields in encrypted_models():
            forget_keys(fields)
            keys = fields[0].keys
            current, readable = Fernet(keys[0]), MultiFernet([Fernet(k) for k in keys])
            stale, unreadable = [], 0
            for pk, values in stored_values(model, fields):
                row_stale = False
                for value in values.values():
                    if not value:
                        continue
                    token = value.encode() if isinstance(value, str) else bytes(value)
                    try:
                        current.decrypt(token)
                    except InvalidToken:
                        try:
                            readable.decrypt(token)
                            row_stale = True
                        except InvalidToken:
                            unreadable += 1
                if row_stale:
                    stale.append(pk)
            label = model._meta.label
            if unreadable:
                raise CommandError(
                    f"{label}: {unreadable} value(s) cannot be decrypted with any configured key "
                    "(SECRET_KEY, SECRET_KEY_FALLBACKS, SALT_KEY). Put the old key back as a fallback; "
                    "nothing was written."
                )
            stale_total += len(stale)
            if check or not stale:
                self.stdout.write(f"{label}: {len(stale)} row(s) not under the current key")
                continue
            names = [f.name for f in fields]
            for start in range(0, len(stale), batch_size):
                with transaction.atomic():
                    rows = list(model._base_manager.filter(pk__in=stale[start : start + batch_size]))
                    model._base_manager.bulk_update(rows, names)  # saving encrypts under the first key
            self.stdout.write(self.style.SUCCESS(f"{label}: re-encrypted {len(stale)} row(s)"))
        if check and stale_total:
            raise CommandError(f"{stale_total} row(s) are not yet under the current key")
