"""Notices (通知公告) that communities, streets and higher levels publish to the people of an area."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grassroots.areas.models import Area
from grassroots.portal.submissions import one_per_submission, submission_field


class Notice(models.Model):
    """A notice addressed to everyone living or working in `area` and below it. Residents see the notices of
    their home area and of every area above it; officials also see those of their subtree."""

    area = models.ForeignKey(
        Area, verbose_name=_("发布范围"), on_delete=models.PROTECT, related_name="notices"
    )
    title = models.CharField(_("标题"), max_length=120)
    body = models.TextField(_("正文"))
    published_at = models.DateTimeField(
        _("发布时间"), default=timezone.now, db_index=True, help_text=_("设为将来的时间即定时发布")
    )
    pinned = models.BooleanField(_("置顶"), default=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发布人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    # The token of the form that created it (services.create_notice): the same form posted twice — a double
    # click — publishes one notice.
    submission = submission_field()

    scope_path = "area__path"

    class Meta:
        verbose_name = _("通知公告")
        verbose_name_plural = _("通知公告")
        ordering = ["-pinned", "-published_at", "-id"]
        constraints = [one_per_submission("author", "one_notice_per_submission")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("portal:notice_detail", args=[self.pk])

    @property
    def is_published(self) -> bool:
        return self.published_at <= timezone.now()
