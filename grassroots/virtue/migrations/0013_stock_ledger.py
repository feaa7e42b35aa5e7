"""The points store's stock ledger (issue 17): `StockEntry`, one line per change of a good's stock, only added
(its table refuses UPDATE, DELETE and on PostgreSQL TRUNCATE: `STOCK_GUARD`, the audit trail's mechanism,
audit/dbguard.py). Each existing good gets one opening line (期初库存) for its stock now, so its lines sum to its
stock from here on; a good with no stock gets none (a line never changes the stock by 0). Its history before
is in the audit trail."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def install(apps, schema_editor):
    from grassroots.virtue.models_points import STOCK_GUARD

    STOCK_GUARD.install(schema_editor)
    STOCK_GUARD.install_truncate(schema_editor)


def uninstall(apps, schema_editor):
    from grassroots.virtue.models_points import STOCK_GUARD

    STOCK_GUARD.uninstall_truncate(schema_editor)
    STOCK_GUARD.uninstall(schema_editor)


def open_stock(apps, schema_editor):
    from django.utils import timezone

    StoreItem = apps.get_model("virtue", "StoreItem")
    StockEntry = apps.get_model("virtue", "StockEntry")
    now = timezone.now()
    goods = StoreItem.objects.filter(stock__gt=0).order_by("pk").values_list("pk", "area_id", "stock")
    StockEntry.objects.bulk_create(
        [
            StockEntry(item_id=pk, area_id=area_id, kind="opening", change=stock, at=now)
            for pk, area_id, stock in goods.iterator(chunk_size=500)
        ],
        batch_size=500,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("areas", "0004_area_depth_path_index"),
        ("virtue", "0012_warning_team_stored"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="StockEntry",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("opening", "期初库存"),
                            ("restock", "入库"),
                            ("exchange", "兑换"),
                            ("cancel", "撤销兑换"),
                        ],
                        max_length=20,
                        verbose_name="类别",
                    ),
                ),
                ("change", models.IntegerField(verbose_name="库存变动")),
                ("at", models.DateTimeField(verbose_name="时间")),
                (
                    "submission",
                    models.CharField(blank=True, editable=False, max_length=64, verbose_name="提交标识"),
                ),
                (
                    "area",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="areas.area",
                        verbose_name="社区",
                    ),
                ),
                (
                    "by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="经办人",
                    ),
                ),
                (
                    "exchange",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="stock_entries",
                        to="virtue.exchange",
                        verbose_name="积分兑换",
                    ),
                ),
                (
                    "item",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="stock_entries",
                        to="virtue.storeitem",
                        verbose_name="积分商品",
                    ),
                ),
            ],
            options={
                "verbose_name": "库存记录",
                "verbose_name_plural": "库存记录",
                "ordering": ["-at", "-pk"],
                "indexes": [models.Index(fields=["item", "-at"], name="virtue_stock_item")],
                "constraints": [
                    models.UniqueConstraint(
                        condition=models.Q(("submission", ""), _negated=True),
                        fields=("item", "by", "submission"),
                        name="virtue_stock_one_per_submission",
                    ),
                    models.UniqueConstraint(
                        condition=models.Q(("exchange__isnull", False)),
                        fields=("exchange", "kind"),
                        name="virtue_stock_once_per_exchange",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("change", 0), _negated=True), name="virtue_stock_change_not_zero"
                    ),
                ],
            },
        ),
        migrations.RunPython(open_stock, migrations.RunPython.noop, elidable=False),
        migrations.RunPython(install, uninstall, elidable=False),
    ]
