"""Volunteer activities' hours (docs/cogov.md, 志愿活动). An activity is a gathering of the kind
`volunteer_service` (grassroots.gatherings: sign-up with capacity, no double booking, check-in and check-out
per participant); what co-governance adds is the credit: `ServiceHours`, one row per participant whose time
the organizer confirmed, added once to the volunteer's `hours` and, for a Party member, to their service
record (the member on the row) and their dual registration's `service_hours`. A correction reverses the row
(with a reason) and subtracts; only then may the times be confirmed again."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from grassroots.areas.models import Area


class ServiceHours(models.Model):
    participant = models.ForeignKey(
        "gatherings.Participant",
        verbose_name=_("参加记录"),
        on_delete=models.CASCADE,
        related_name="service_hours",
    )
    gathering = models.ForeignKey(
        "gatherings.Gathering",
        verbose_name=_("志愿活动"),
        on_delete=models.PROTECT,
        related_name="service_hours",
    )
    volunteer = models.ForeignKey(
        "cogov.Volunteer", verbose_name=_("志愿者"), on_delete=models.CASCADE, related_name="credits"
    )
    # Where the activity took place: the scope of the row (and of the figures per subtree).
    area = models.ForeignKey(Area, verbose_name=_("活动区域"), on_delete=models.PROTECT, related_name="+")
    member = models.ForeignKey(
        "members.Member",
        verbose_name=_("党员"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="service_hours",
    )
    registration = models.ForeignKey(
        "members.Registration",
        verbose_name=_("双报到"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="service_credits",
    )
    hours = models.DecimalField(_("服务时长（小时）"), max_digits=5, decimal_places=1)
    checked_in_at = models.DateTimeField(_("签到时间"))
    checked_out_at = models.DateTimeField(_("签退时间"))
    confirmed_at = models.DateTimeField(_("确认时间"))
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("确认人"), on_delete=models.PROTECT, related_name="+"
    )
    reversed_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    reversed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("撤销人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reverse_reason = models.CharField(_("撤销原因"), max_length=200, blank=True)

    scope_path = "area__path"

    class Meta:
        verbose_name = _("志愿服务时长")
        verbose_name_plural = _("志愿服务时长")
        ordering = ["-confirmed_at", "-pk"]
        constraints = [
            # Credited once: one live credit per participation, whatever the requests racing.
            models.UniqueConstraint(
                fields=["participant"],
                condition=models.Q(reversed_at__isnull=True),
                name="cogov_one_live_credit_per_participant",
                violation_error_message=_("该参加记录的服务时长已确认。"),
            ),
            models.CheckConstraint(condition=models.Q(hours__gt=0), name="cogov_credit_hours_positive"),
        ]
        indexes = [models.Index(fields=["area", "confirmed_at"], name="cogov_credit_area_time")]

    def __str__(self) -> str:
        return f"{self.volunteer} · {self.gathering} · {self.hours}"

    @property
    def live(self) -> bool:
        return self.reversed_at is None
