"""The grid worker's visit log (走访日志 / 民情日志): one visit to an area of their grid, to a resident or a
household there, and what was heard."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from grassroots.areas.models import Area


class Visit(models.Model):
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("走访人"), on_delete=models.PROTECT, related_name="+"
    )
    area = models.ForeignKey(Area, verbose_name=_("走访区域"), on_delete=models.PROTECT, related_name="+")
    resident = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("走访居民"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    household = models.ForeignKey(
        "voting.Household",
        verbose_name=_("走访住户"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    visited_on = models.DateField(_("走访日期"))
    heard = models.TextField(_("民情记录"), help_text=_("走访中听到的情况、诉求和意见。"))
    follow_up = models.BooleanField(_("需要跟进"), default=False)
    follow_up_note = models.TextField(_("跟进说明"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    scope_path = "area__path"

    class Meta:
        verbose_name = _("走访日志")
        verbose_name_plural = _("走访日志")
        ordering = ["-visited_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.visited_on} · {self.heard[:30]}"
