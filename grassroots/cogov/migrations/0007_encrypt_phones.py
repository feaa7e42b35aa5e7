"""Phone numbers encrypted at rest (docs/security.md §6): the column becomes ciphertext (text), the existing
values are encrypted in place and their keyed lookup hash filled. Reversible: backwards writes them back
in plain text."""

import grassroots.accounts.fields
from grassroots.accounts.fields import decrypt_column, encrypt_column
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cogov", "0006_agreement_need_submission"),
    ]

    operations = [
        migrations.AddField(
            model_name="partner",
            name="contact_phone_hash",
            field=models.CharField(blank=True, db_index=True, editable=False, max_length=64),
        ),
        migrations.AlterField(
            model_name="partner",
            name="contact_phone",
            field=grassroots.accounts.fields.EncryptedPhoneField(
                blank=True, help_text="单位办公电话，不填个人手机号。", max_length=30, verbose_name="联系电话"
            ),
        ),
        migrations.RunPython(
            encrypt_column("cogov_partner", "contact_phone", "contact_phone_hash"),
            decrypt_column("cogov_partner", "contact_phone"),
        ),
    ]
