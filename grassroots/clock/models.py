"""What the clock remembers: one row per periodic task and scheduled moment (its claim that the moment was
enqueued, so never twice), and the heartbeat of each running scheduler."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class RunStatus(models.TextChoices):
    # The same values as django-tasks' TaskResultStatus.
    READY = "READY", _("排队中")
    RUNNING = "RUNNING", _("运行中")
    SUCCESSFUL = "SUCCESSFUL", _("成功")
    FAILED = "FAILED", _("失败")


class PeriodicRun(models.Model):
    name = models.CharField(_("任务"), max_length=100)
    slot = models.DateTimeField(_("计划时间"))
    enqueued_at = models.DateTimeField(_("入队时间"), default=timezone.now)
    result_id = models.CharField(_("任务结果编号"), max_length=64, blank=True, db_index=True)
    status = models.CharField(_("状态"), max_length=10, choices=RunStatus.choices, default=RunStatus.READY)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    result = models.JSONField(_("结果"), null=True, blank=True)
    error = models.CharField(_("错误"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("定时任务运行")
        verbose_name_plural = _("定时任务运行")
        ordering = ["-slot", "name"]
        constraints = [
            # THE rule of the clock: a task is enqueued once per moment, however many schedulers run.
            models.UniqueConstraint(fields=["name", "slot"], name="clock_run_once_per_slot"),
        ]

    def __str__(self) -> str:
        return f"{self.name} @ {timezone.localtime(self.slot):%Y-%m-%d %H:%M}"


class SchedulerBeat(models.Model):
    """The last tick of one running scheduler process (host:pid)."""

    scheduler = models.CharField(_("调度进程"), max_length=200, primary_key=True)
    beat_at = models.DateTimeField(_("最近一次运行"))

    class Meta:
        verbose_name = _("调度进程")
        verbose_name_plural = _("调度进程")
        ordering = ["-beat_at"]

    def __str__(self) -> str:
        return self.scheduler
