"""Phone numbers encrypted at rest (docs/security.md §6): the column becomes ciphertext (text), the existing
values are encrypted in place. Reversible: backwards writes them back in plain text."""

import grassroots.accounts.fields
from grassroots.accounts.fields import decrypt_column, encrypt_column
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("lawgov", "0008_pairing_station_submissions"),
    ]

    operations = [
        migrations.AlterField(
            model_name="disputeparty",
            name="phone",
            field=grassroots.accounts.fields.EncryptedPhoneField(
                blank=True, max_length=20, verbose_name="联系电话"
            ),
        ),
        migrations.RunPython(
            encrypt_column("lawgov_disputeparty", "phone"), decrypt_column("lawgov_disputeparty", "phone")
        ),
    ]
