"""Seed the standard dues table (the common rule of the Party's dues regulations, 2008): monthly income after
tax up to 3,000 yuan: 0.5 %; above 3,000 up to 5,000: 1 %; above 5,000 up to 10,000: 1.5 %; above 10,000: 2 %;
students and the unemployed: a fixed 0.2 yuan a month. Only when the table is empty, so a locally adjusted
table is never overwritten."""

from decimal import Decimal

from django.db import migrations

STANDARD = [
    # name, income_from, income_to, rate (%), fixed_amount
    ("月收入3000元以下（含）", "0", "3000", "0.5", None),
    ("月收入3000元以上至5000元（含）", "3000", "5000", "1.0", None),
    ("月收入5000元以上至10000元（含）", "5000", "10000", "1.5", None),
    ("月收入10000元以上", "10000", None, "2.0", None),
    ("学生、失业人员", "0", None, "0", "0.20"),
]


def seed(apps, schema_editor):
    DuesBracket = apps.get_model("members", "DuesBracket")
    if DuesBracket.objects.exists():
        return
    DuesBracket.objects.bulk_create(
        DuesBracket(
            name=name,
            income_from=Decimal(low),
            income_to=Decimal(high) if high is not None else None,
            rate=Decimal(rate),
            fixed_amount=Decimal(fixed) if fixed is not None else None,
        )
        for name, low, high, rate, fixed in STANDARD
    )


class Migration(migrations.Migration):
    dependencies = [("members", "0002_precisions")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
