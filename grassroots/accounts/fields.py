"""The model field of a person's phone number outside the members' records: stored encrypted, like members'
ID and phone numbers (django-fernet-encrypted-fields: Fernet under keys derived from SECRET_KEY and SALT_KEY
with their fallbacks; `manage.py reencrypt_personal_data` rewrites it under a new key).

An encrypted value cannot be searched: a model that finds records by the number keeps its keyed hash beside it
(`grassroots.accounts.pii.phone_hash`, e.g. `User.phone_hash`), filled by the model's `save()`."""

from __future__ import annotations

from encrypted_fields.fields import EncryptedCharField


class EncryptedPhoneField(EncryptedCharField):
    """A phone number, encrypted at rest. No number stays "" in the column (the library would write NULL), so
    that `blank=True` fields keep their NOT NULL column and `.update(phone="")` erases a number."""

    def get_prep_value(self, value):
        return super().get_prep_value(value) or ""


# --- the migrations that turned plain phone columns into encrypted ones -----------------------------------
# They run on the table's raw column (never through a model), so that they are idempotent and reversible:
# forwards encrypts the values that are not yet ciphertext (and fills the lookup hash), backwards decrypts.


def _rows(cursor, table: str, column: str):
    quote = cursor.db.ops.quote_name
    cursor.execute(f"SELECT id, {quote(column)} FROM {quote(table)} WHERE {quote(column)} <> ''")
    return cursor.fetchall()


def encrypt_column(table: str, column: str, hash_column: str | None = None):
    """A RunPython forwards step: encrypt every plain value of `table.column` (and write its keyed hash to
    `hash_column`)."""
    from cryptography.fernet import InvalidToken

    from grassroots.accounts.pii import phone_hash

    def forwards(apps, schema_editor):
        field = EncryptedPhoneField()
        quote = schema_editor.connection.ops.quote_name
        with schema_editor.connection.cursor() as cursor:
            for pk, value in _rows(cursor, table, column):
                try:
                    field.f.decrypt(value.encode())
                    continue  # already ciphertext (the migration ran before, or was interrupted)
                except (InvalidToken, UnicodeEncodeError):
                    pass
                sets, params = [f"{quote(column)} = %s"], [field.get_prep_value(value)]
                if hash_column:
                    sets.append(f"{quote(hash_column)} = %s")
                    params.append(phone_hash(value))
                cursor.execute(f"UPDATE {quote(table)} SET {', '.join(sets)} WHERE id = %s", [*params, pk])

    return forwards


def decrypt_column(table: str, column: str):
    """A RunPython backwards step: write every value of `table.column` back in plain text (the column's old
    type, varchar, is restored after it)."""

    def backwards(apps, schema_editor):
        field = EncryptedPhoneField()
        quote = schema_editor.connection.ops.quote_name
        with schema_editor.connection.cursor() as cursor:
            for pk, value in _rows(cursor, table, column):
                plain = field.to_python(value)  # a value that is not ciphertext comes back as it is
                cursor.execute(f"UPDATE {quote(table)} SET {quote(column)} = %s WHERE id = %s", [plain, pk])

    return backwards
