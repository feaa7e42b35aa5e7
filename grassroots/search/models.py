"""One row per searchable record: what the results show (title, summary, place) and the words it is found
by (`text`, segmented by text.py). The full-text structures over `text` are the database's own (backend.py).
Rows are derived: written by services.py on commit of the record's write, rebuilt by `rebuild_search_index`.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class SearchEntry(models.Model):
    kind = models.CharField(_("类别"), max_length=20)
    object_id = models.PositiveBigIntegerField(_("记录编号"))
    title = models.CharField(_("标题"), max_length=200)
    summary = models.CharField(_("摘要"), max_length=200, blank=True)
    place = models.CharField(_("所属区域"), max_length=100, blank=True)
    text = models.TextField(_("检索词"), blank=True)
    updated_at = models.DateTimeField(_("索引时间"), auto_now=True)

    class Meta:
        verbose_name = _("搜索索引条目")
        verbose_name_plural = _("搜索索引条目")
        constraints = [models.UniqueConstraint(fields=["kind", "object_id"], name="search_entry_record")]

    def __str__(self) -> str:
        return f"{self.kind}:{self.object_id}"
