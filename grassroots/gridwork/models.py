"""The grid worker's visit log (走访日志 / 民情日志): one visit to an area of their grid, to a resident or a
household there, and what was heard."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from grassroots.areas.models import Area
from grassroots.portal.submissions import one_per_submission, submission_field


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
    # A visit needing follow-up waits on its worker's to-do (/todo/, /api/todo/) until closed with a note
    # (services.close_follow_up).
    closed_at = models.DateTimeField(_("跟进办结时间"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("办结人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    closing_note = models.TextField(_("跟进结果"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    submission = submission_field()  # the form's token: posted twice, one visit (portal/submissions.py)

    scope_path = "area__path"

    class Meta:
        verbose_name = _("走访日志")
        verbose_name_plural = _("走访日志")
        ordering = ["-visited_on", "-pk"]
        constraints = [one_per_submission("worker", "one_grid_visit_per_submission")]

    def __str__(self) -> str:
        return f"{self.visited_on} · {self.heard[:30]}"

    def get_absolute_url(self) -> str:
        return reverse("gridwork:visit_detail", args=[self.pk])

    @property
    def awaits_follow_up(self) -> bool:
        return self.follow_up and self.closed_at is None

    # --- the worker's to-do (workflow.selectors.register_worklist: a worklist without steps) ---------------

    @classmethod
    def pending_for(cls, user) -> models.QuerySet | None:
        """The user's own visits that need following up and are not closed, oldest first (one query); None
        (no worklist, no query) for those who log no visits."""
        from grassroots.access.scoping import has_perm

        if user is None or not user.is_authenticated or not has_perm(user, "gridwork.record"):
            return None
        return (
            cls.objects.filter(worker=user, follow_up=True, closed_at__isnull=True, area__retired=False)
            .select_related("area")
            .order_by("created_at", "pk")
        )

    def as_pending_item(self):
        from grassroots.workflow.models import PendingItem

        subject = _("跟进：%(note)s") % {"note": self.follow_up_note[:40]}
        return PendingItem(
            title=str(subject),
            url=self.get_absolute_url(),
            state_label=str(_("待跟进")),
            since=self.created_at,
            kind=self._meta.label_lower,
            kind_label=str(self._meta.verbose_name),
            subject=str(subject),
            area=self.area,
        )
