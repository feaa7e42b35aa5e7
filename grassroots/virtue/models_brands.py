"""Brand activities and environmental actions of cultivation by virtue (一化).

- `CultureBrand`: a community's culture brand (红色文化, 道德文化, 邻里文化) with a name and a description;
  its activities are gatherings (`BrandActivity` joins one gathering of kind 品牌活动 to its brand).
- `EnvironmentalAction`: an action of “绿美雅安·党员先行” (a clean-up, waste sorting, publicity): a gathering
  of its own kind, open for sign-up (capacity, cancel through the gatherings), checked in by the organizer
  on the attendance sheet or by the resident with the code shown on site (`check_in_code`, kept here),
  with photos (the gathering's, served by the scoped `gatherings:photo`)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from grassroots.areas.models import Area


class BrandKind(models.TextChoices):
    RED = "red", _("红色文化")
    MORAL = "moral", _("道德文化")
    NEIGHBOURHOOD = "neighbourhood", _("邻里文化")


class CultureBrand(models.Model):
    area = models.ForeignKey(Area, verbose_name=_("所属社区"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("品牌类型"), max_length=20, choices=BrandKind.choices)
    name = models.CharField(_("品牌名称"), max_length=100)
    description = models.TextField(_("品牌简介"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    scope_path = "area__path"

    class Meta:
        verbose_name = _("文化品牌")
        verbose_name_plural = _("文化品牌")
        ordering = ["area__path", "kind", "name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["area", "name"], name="virtue_brand_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("virtue:brand_detail", args=[self.pk])


class BrandActivity(models.Model):
    """One activity of a brand: a gathering (its page, sign-up, attendance, photos)."""

    brand = models.ForeignKey(
        CultureBrand, verbose_name=_("文化品牌"), on_delete=models.PROTECT, related_name="activities"
    )
    gathering = models.OneToOneField(
        "gatherings.Gathering",
        verbose_name=_("会议活动"),
        on_delete=models.PROTECT,
        related_name="brand_activity",
    )

    scope_path = "brand__area__path"

    class Meta:
        verbose_name = _("品牌活动")
        verbose_name_plural = _("品牌活动")
        ordering = ["-gathering__starts_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.brand} · {self.gathering}"

    def get_absolute_url(self) -> str:
        return reverse("gatherings:detail", args=[self.gathering_id])


class EnvironmentalAction(models.Model):
    """An action of “绿美雅安·党员先行”: the gathering, and the code its organizer shows on site."""

    gathering = models.OneToOneField(
        "gatherings.Gathering",
        verbose_name=_("会议活动"),
        on_delete=models.PROTECT,
        related_name="environmental_action",
    )
    check_in_code = models.CharField(_("签到码"), max_length=6)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    scope_path = "gathering__area__path"

    class Meta:
        verbose_name = _("环保行动")
        verbose_name_plural = _("环保行动")
        ordering = ["-gathering__starts_at", "-pk"]

    def __str__(self) -> str:
        return str(self.gathering)

    def get_absolute_url(self) -> str:
        return reverse("virtue:action_detail", args=[self.gathering_id])
