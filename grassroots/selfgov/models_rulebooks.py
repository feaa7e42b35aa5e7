"""The four systems (四项制度) each community keeps: its rules of democratic deliberation, decision,
management and supervision, each a published document of the documents mechanism (kind `rulebook`:
versions draft → published → superseded, who adopted each version and when, numbered items, diff).
`Rulebook` ties a community and one of the four kinds to its document. See docs/selfgov.md."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grassroots.areas.models import Area


class RulebookKind(models.TextChoices):
    DELIBERATION = "deliberation", _("民主议事制度")
    DECISION = "decision", _("民主决策制度")
    MANAGEMENT = "management", _("民主管理制度")
    SUPERVISION = "supervision", _("民主监督制度")


class Rulebook(models.Model):
    community = models.ForeignKey(Area, verbose_name=_("社区"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("制度"), max_length=20, choices=RulebookKind.choices)
    document = models.OneToOneField(
        "documents.Document", verbose_name=_("制度文件"), on_delete=models.PROTECT, related_name="rulebook"
    )
    created_at = models.DateTimeField(_("建立时间"), default=timezone.now)

    scope_path = "community__path"

    class Meta:
        verbose_name = _("社区四项制度")
        verbose_name_plural = _("社区四项制度")
        ordering = ["community__path", "kind"]
        constraints = [models.UniqueConstraint(fields=["community", "kind"], name="selfgov_one_rulebook")]

    def __str__(self) -> str:
        return f"{self.community} · {self.get_kind_display()}"

    def get_absolute_url(self) -> str:
        return reverse("selfgov:rulebook_detail", args=[self.pk])
