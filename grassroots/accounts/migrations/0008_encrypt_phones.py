"""Phone numbers encrypted at rest (docs/security.md §6): the column becomes ciphertext (text), the existing
values are encrypted in place and their keyed lookup hash filled. Reversible: backwards writes them back
in plain text."""

import grassroots.accounts.fields
from grassroots.accounts.fields import decrypt_column, encrypt_column
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0007_sessions_and_password_history"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="phone_hash",
            field=models.CharField(blank=True, db_index=True, editable=False, max_length=64),
        ),
        migrations.AlterField(
            model_name="residentverification",
            name="phone",
            field=grassroots.accounts.fields.EncryptedPhoneField(max_length=20, verbose_name="手机号"),
        ),
        migrations.AlterField(
            model_name="user",
            name="phone",
            field=grassroots.accounts.fields.EncryptedPhoneField(
                blank=True, max_length=20, verbose_name="手机号"
            ),
        ),
        migrations.RunPython(
            encrypt_column("accounts_user", "phone", "phone_hash"), decrypt_column("accounts_user", "phone")
        ),
        migrations.RunPython(
            encrypt_column("accounts_residentverification", "phone"),
            decrypt_column("accounts_residentverification", "phone"),
        ),
    ]
