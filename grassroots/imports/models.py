"""The records of imports and background exports.

An `ImportJob` is one uploaded file for one registered importer (`kind`, see registry.py): its status and
progress while it runs, and afterwards the counts written or the errors found and the workbook of the
rejected rows. It is visible to its uploader and to whoever holds the importer's permission on an area
covering `area_path` (the uploader's scope when uploading). An `ExportJob` is one large export written by
the worker; only its requester sees it and its file. Stored names are random (files.naming); the files are
deleted FILES_RETENTION_DAYS after the job (files.services.purge_files), the jobs stay.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from grassroots.files.naming import RandomName


class JobStatus(models.TextChoices):
    PENDING = "pending", _("排队中")
    VALIDATING = "validating", _("正在校验")
    WRITING = "writing", _("正在写入")
    DONE = "done", _("已完成")
    REJECTED = "rejected", _("校验未通过，未写入")
    FAILED = "failed", _("出错，未写入")


FINISHED = (JobStatus.DONE, JobStatus.REJECTED, JobStatus.FAILED)


def past_retention(cutoff) -> models.Q:
    """Jobs finished before `cutoff`, or never finished and created before it: their files are purged
    (files.services.purge_files, registered in apps.py; docs/files.md)."""
    finished = models.Q(status__in=FINISHED)
    return (finished & models.Q(finished_at__lt=cutoff)) | (~finished & models.Q(created_at__lt=cutoff))


class ImportJob(models.Model):
    Status = JobStatus

    kind = models.CharField(_("类型"), max_length=30, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("导入人"), on_delete=models.PROTECT, related_name="+"
    )
    file = models.FileField(_("文件"), upload_to=RandomName("imports"), blank=True)
    original_name = models.CharField(_("原文件名"), max_length=255, blank=True)
    # The uploader's scope for the importer's permission when uploading ("" for the system).
    area_path = models.CharField(_("所属区域路径"), max_length=255, blank=True, db_index=True)
    status = models.CharField(
        _("状态"), max_length=20, choices=JobStatus.choices, default=JobStatus.PENDING, db_index=True
    )
    total_rows = models.PositiveIntegerField(_("总行数"), default=0)
    processed_rows = models.PositiveIntegerField(_("已处理行数"), default=0)
    counts = models.JSONField(_("写入数量"), default=dict, blank=True)  # {"members": 100000, "tags": 2}
    error_count = models.PositiveIntegerField(_("错误数"), default=0)
    # The first ERRORS_KEPT errors: [{"sheet": "党员", "row": 3, "column": "身份证号", "message": "…"}, …];
    # the rejected-rows workbook has every bad row.
    errors = models.JSONField(_("错误"), default=list, blank=True)
    rejected_file = models.FileField(_("被拒绝的行"), upload_to=RandomName("imports/rejected"), blank=True)
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    validated_at = models.DateTimeField(_("校验完成时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    # Who runs the job now ("host:pid:nonce", see runner.py); a run only changes the job while it is its
    # runner, so a run that was taken over (a retry, the stale-job check) can neither write nor finish it.
    runner = models.CharField(_("处理进程"), max_length=120, blank=True)
    heartbeat_at = models.DateTimeField(_("最近心跳"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("处理次数"), default=0)
    # What the stale-job check did, shown on the job page ("…已自动重新开始" or why it failed).
    recovery = models.CharField(_("中断处理"), max_length=255, blank=True)

    scope_path = "area_path"
    ERRORS_KEPT = 1000

    class Meta:
        verbose_name = _("导入任务")
        verbose_name_plural = _("导入任务")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["kind", "created_by", "created_at"])]

    def __str__(self) -> str:
        return f"{self.original_name or self.file.name} · {self.get_status_display()}"

    def get_absolute_url(self) -> str:
        return reverse("imports:detail", args=[self.pk])

    @property
    def finished(self) -> bool:
        return self.status in FINISHED

    @property
    def percent(self) -> int:
        if self.status == JobStatus.DONE:
            return 100
        if not self.total_rows:
            return 0
        return min(100, round(100 * self.processed_rows / self.total_rows))


class ExportJob(models.Model):
    """A large export written by the worker; the file is for its requester only."""

    Status = JobStatus

    kind = models.CharField(_("类型"), max_length=30, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("导出人"), on_delete=models.PROTECT, related_name="+"
    )
    params = models.JSONField(_("筛选条件"), default=dict, blank=True)  # {"status": ["normal"], "q": "张"}
    unmasked = models.BooleanField(_("未脱敏"), default=False)
    status = models.CharField(
        _("状态"), max_length=20, choices=JobStatus.choices, default=JobStatus.PENDING, db_index=True
    )
    total_rows = models.PositiveIntegerField(_("总行数"), default=0)
    processed_rows = models.PositiveIntegerField(_("已处理行数"), default=0)
    file = models.FileField(_("文件"), upload_to=RandomName("exports"), blank=True)
    filename = models.CharField(_("文件名"), max_length=255, blank=True)
    error = models.TextField(_("错误"), blank=True)
    created_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    # As for imports: who runs the job now, its last sign of life, how many runs it took, and what the
    # stale-job check did (recovery.py; shown on the job page).
    runner = models.CharField(_("处理进程"), max_length=120, blank=True)
    heartbeat_at = models.DateTimeField(_("最近心跳"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("处理次数"), default=0)
    recovery = models.CharField(_("中断处理"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("导出任务")
        verbose_name_plural = _("导出任务")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.filename or self.kind} · {self.get_status_display()}"

    def get_absolute_url(self) -> str:
        return reverse("imports:export_detail", args=[self.pk])

    @property
    def finished(self) -> bool:
        return self.status in FINISHED

    @property
    def percent(self) -> int:
        if self.status == JobStatus.DONE:
            return 100
        if not self.total_rows:
            return 0
        return min(100, round(100 * self.processed_rows / self.total_rows))
