"""Cultivation by virtue (一化): warning education of the leadership teams, and integrity venues.

- `WarningEducation`: a gathering of kind 警示教育 held for the leadership team (领导班子) of one street or
  community (`team`, the gathering's area), by case teaching, testimony or on-site teaching. Who attended is
  the gathering's attendance sheet; the figure is the teams without warning education in a year.
- `Venue`: an integrity venue (reading room, warning board, culture wall) in an area, with its location and
  photos (`VenuePhoto`, checked uploads served by the scoped `virtue:venue_photo`)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from grassroots.areas.models import Area
from grassroots.files.naming import RandomName


class WarningMode(models.TextChoices):
    CASE = "case", _("以案说纪")
    TESTIMONY = "testimony", _("现身说法")
    ON_SITE = "on_site", _("现场教学")


class WarningEducation(models.Model):
    gathering = models.OneToOneField(
        "gatherings.Gathering",
        verbose_name=_("会议活动"),
        on_delete=models.PROTECT,
        related_name="warning_education",
    )
    team = models.ForeignKey(Area, verbose_name=_("受教育班子"), on_delete=models.PROTECT, related_name="+")
    # Blank only on the sessions made on the general form before the kind had its own (migration 0012).
    mode = models.CharField(_("教育形式"), max_length=20, choices=WarningMode.choices, blank=True)
    case_summary = models.TextField(_("案例或内容摘要"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    scope_path = "team__path"

    class Meta:
        verbose_name = _("警示教育")
        verbose_name_plural = _("警示教育")
        ordering = ["-gathering__starts_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.team.name} · {self.get_mode_display()}"

    def get_absolute_url(self) -> str:
        return reverse("gatherings:detail", args=[self.gathering_id])


class VenueKind(models.TextChoices):
    READING_ROOM = "reading_room", _("廉政书屋")
    WARNING_BOARD = "warning_board", _("警示教育栏")
    CULTURE_WALL = "culture_wall", _("廉洁文化墙")


class Venue(models.Model):
    kind = models.CharField(_("阵地类型"), max_length=20, choices=VenueKind.choices)
    name = models.CharField(_("名称"), max_length=100)
    area = models.ForeignKey(Area, verbose_name=_("所在区域"), on_delete=models.PROTECT, related_name="+")
    address = models.CharField(_("位置"), max_length=200)
    latitude = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("经度"), max_digits=9, decimal_places=6, null=True, blank=True)
    description = models.TextField(_("简介"), blank=True)
    opened_on = models.DateField(_("建成日期"), null=True, blank=True)
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
        verbose_name = _("廉洁文化阵地")
        verbose_name_plural = _("廉洁文化阵地")
        ordering = ["area__path", "kind", "name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["area", "kind", "name"], name="virtue_venue_unique_name"),
            models.CheckConstraint(
                condition=(models.Q(latitude__isnull=True) | models.Q(latitude__gte=-90, latitude__lte=90))
                & (models.Q(longitude__isnull=True) | models.Q(longitude__gte=-180, longitude__lte=180)),
                name="virtue_venue_coordinates",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("virtue:venue_detail", args=[self.pk])


class VenuePhoto(models.Model):
    """A photo of a venue: stored under an unguessable name, served only by `virtue:venue_photo`."""

    venue = models.ForeignKey(Venue, verbose_name=_("阵地"), on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(_("照片"), upload_to=RandomName("virtue"))
    caption = models.CharField(_("说明"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    scope_path = "venue__area__path"

    class Meta:
        verbose_name = _("阵地照片")
        verbose_name_plural = _("阵地照片")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.caption or self.venue.name

    def get_absolute_url(self) -> str:
        return reverse("virtue:venue_photo", args=[self.venue_id, self.pk])


from grassroots.virtue.models_campaigns import (  # noqa: E402  the campaigns' models, in their own module
    Campaign,
    CampaignKind,
    CampaignStatus,
    Nomination,
    NominationMaterial,
    NominationStatus,
    Objection,
)

# Points and the community points store live in their own module; Django finds them through this one.
from grassroots.virtue.models_points import (  # noqa: E402
    Exchange,
    ExchangeState,
    PointsEntry,
    PointsRule,
    StockEntry,
    StockKind,
    StoreItem,
)

__all__ = [
    "BrandActivity",
    "BrandKind",
    "Campaign",
    "CampaignKind",
    "CampaignStatus",
    "CultureBrand",
    "EnvironmentalAction",
    "Exchange",
    "ExchangeState",
    "Nomination",
    "NominationMaterial",
    "NominationStatus",
    "Objection",
    "PointsEntry",
    "PointsRule",
    "StockEntry",
    "StockKind",
    "StoreItem",
    "Venue",
    "VenueKind",
    "VenuePhoto",
    "WarningEducation",
    "WarningMode",
]

from grassroots.virtue.models_brands import (  # noqa: E402  (brands and environmental actions)
    BrandActivity,
    BrandKind,
    CultureBrand,
    EnvironmentalAction,
)
