"""On-site meetings (现场会): a gathering of kind 现场会 (time, place, attendance, minutes and photos
stay on the gathering) that shows one piece of work — a duty task, an inspection's rectified
findings, or a community's practice — at a host area to visiting Party organizations; the
lessons drawn from it become duty tasks the issuing level (the gathering's area) hands down."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from grassroots.areas.models import Area, PartyOrg
from grassroots.core.assessments.models.inspections import Inspection
from grassroots.portal.submissions import one_per_submission, submission_field


class Shows(models.TextChoices):
    TASK = "task", _("任务落实")
    RECTIFICATION = "rectification", _("督察整改成效")
    PRACTICE = "practice", _("社区经验做法")


class SiteMeeting(models.Model):
    """The on-site meeting's own record beside its gathering. Exactly one of `task`, `inspection` or
    `practice` (with `practice_area`, a community) says what it shows, as `shows` names it."""

    gathering = models.OneToOneField(
        "gatherings.Gathering",
        verbose_name=_("会议活动"),
        on_delete=models.PROTECT,
        related_name="site_meeting",
    )
    shows = models.CharField(_("观摩内容"), max_length=20, choices=Shows.choices)
    task = models.ForeignKey(
        "duties.DutyTask",
        verbose_name=_("观摩的任务"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="site_meetings",
    )
    inspection = models.ForeignKey(
        Inspection,
        verbose_name=_("观摩的督察整改"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="site_meetings",
    )
    practice_area = models.ForeignKey(
        Area,
        verbose_name=_("经验做法所在社区"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    practice = models.TextField(_("经验做法"), blank=True)
    host_area = models.ForeignKey(
        Area, verbose_name=_("承办区域"), on_delete=models.PROTECT, related_name="+"
    )
    visiting_orgs = models.ManyToManyField(
        PartyOrg, verbose_name=_("观摩单位"), blank=True, related_name="site_meetings_visited"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    scope_path = "gathering__area__path"

    submission = submission_field()  # the form's token: posted twice, one meeting (portal/submissions.py)

    class Meta:
        verbose_name = _("现场会")
        verbose_name_plural = _("现场会")
        ordering = ["-gathering__starts_at", "-pk"]
        constraints = [
            one_per_submission("created_by", "one_site_meeting_per_submission"),
            models.CheckConstraint(
                name="assess_site_meeting_shows_one",
                condition=(
                    Q(shows="task", task__isnull=False, inspection__isnull=True, practice_area__isnull=True)
                    | Q(
                        shows="rectification",
                        task__isnull=True,
                        inspection__isnull=False,
                        practice_area__isnull=True,
                    )
                    | Q(
                        shows="practice",
                        task__isnull=True,
                        inspection__isnull=True,
                        practice_area__isnull=False,
                    )
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.gathering.title

    def get_absolute_url(self) -> str:
        return reverse("assessments:site_meeting_detail", args=[self.pk])


class Lesson(models.Model):
    """A lesson drawn at the meeting (经验启示): the issuing level turns it into a duty task in one step; the
    task links back to it (`task.site_lesson`)."""

    meeting = models.ForeignKey(
        SiteMeeting, verbose_name=_("现场会"), on_delete=models.CASCADE, related_name="lessons"
    )
    text = models.TextField(_("经验启示"))
    task = models.OneToOneField(
        "duties.DutyTask",
        verbose_name=_("转化的任务"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="site_lesson",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    scope_path = "meeting__gathering__area__path"

    class Meta:
        verbose_name = _("现场会经验启示")
        verbose_name_plural = _("现场会经验启示")
        ordering = ["meeting", "pk"]

    def __str__(self) -> str:
        return self.text[:40]
