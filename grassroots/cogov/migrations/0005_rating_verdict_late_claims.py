"""Ratings get the three-level verdict (满意 / 基本满意 / 不满意) besides the score — those given before take
it from their score (4–5 满意, 3 基本满意, 1–2 不满意) — and claims the date their late-delivery reminder was
sent for."""

from django.db import migrations, models


def verdict_from_score(apps, schema_editor):
    Rating = apps.get_model("cogov", "Rating")
    Rating.objects.filter(score__gte=4).update(verdict="satisfied")
    Rating.objects.filter(score=3).update(verdict="basic")
    Rating.objects.filter(score__lte=2).update(verdict="unsatisfied")


class Migration(migrations.Migration):
    dependencies = [("cogov", "0004_joint_meetings")]

    operations = [
        migrations.AddField(
            model_name="claim",
            name="late_reminded_for",
            field=models.DateField(blank=True, editable=False, null=True, verbose_name="逾期提醒对应的计划日期"),
        ),
        migrations.AddField(
            model_name="rating",
            name="verdict",
            field=models.CharField(default="", max_length=12, verbose_name="满意程度"),
            preserve_default=False,
        ),
        migrations.RunPython(verdict_from_score, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="rating",
            name="verdict",
            field=models.CharField(
                choices=[("satisfied", "满意"), ("basic", "基本满意"), ("unsatisfied", "不满意")],
                max_length=12,
                verbose_name="满意程度",
            ),
        ),
    ]
