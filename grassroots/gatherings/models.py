"""One model for any scheduled gathering: meetings of organizational life, hearings, joint meetings, legal
sessions, lectures, activities, on-site meetings… Later parts add their kinds through `kinds.register_kind`.

A `Participant` row joins a person to a gathering: invited, signed up, and their attendance, all on one row,
so the attendance sheet is one query."""

from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import transition

from grassroots.access.rules import perm_on
from grassroots.areas.models import Area, PartyOrg
from grassroots.files.naming import random_name
from grassroots.gatherings.kinds import get_kind, kind_choices, kind_label, validate_kind
from grassroots.gatherings.recurrence import WEEK_OF_MONTH_CHOICES, WEEKDAY_CHOICES, Frequency
from grassroots.portal.submissions import one_per_submission, submission_field
from grassroots.workflow.fields import StateField
from grassroots.workflow.models import Notice, WorkflowModel
from grassroots.workflow.permissions import Check, step

# A person may check in themselves from this long before the start until the end.
CHECK_IN_EARLY = timezone.timedelta(minutes=30)
# … and check out themselves after checking in, until this long after the end.
CHECK_OUT_LATE = timezone.timedelta(hours=2)


class Visibility(models.TextChoices):
    PUBLIC = "public", _("公开（本区域及下级居民可见）")
    INVITED = "invited", _("仅限受邀人员")


class Status(models.TextChoices):
    PLANNED = "planned", _("计划中")
    HELD = "held", _("已召开")
    CANCELLED = "cancelled", _("已取消")


# Who organizes and manages a gathering: whoever holds gatherings.manage on an area covering its area.
may_manage = perm_on("area__path", "gatherings.manage")


class Gathering(WorkflowModel):
    """A workflow record (docs/workflow.md): planned → held (once it has begun) or cancelled, each step
    taken through `grassroots.workflow.services.transition` and shown on the gathering's timeline."""

    kind = models.CharField(_("类型"), max_length=40, choices=kind_choices, validators=[validate_kind])
    title = models.CharField(_("名称"), max_length=200)
    area = models.ForeignKey(
        Area, verbose_name=_("所属区域"), on_delete=models.PROTECT, related_name="gatherings"
    )
    organizer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("组织者"),
        on_delete=models.PROTECT,
        related_name="organized_gatherings",
    )
    party_org = models.ForeignKey(
        PartyOrg,
        verbose_name=_("组织党组织"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="gatherings",
    )
    starts_at = models.DateTimeField(_("开始时间"), db_index=True)
    ends_at = models.DateTimeField(_("结束时间"))
    place = models.CharField(_("地点"), max_length=200, blank=True)
    description = models.TextField(_("内容与议程"), blank=True)
    visibility = models.CharField(
        _("公开范围"), max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    capacity = models.PositiveIntegerField(
        _("名额"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("留空表示不限人数"),
    )
    signup_open = models.BooleanField(_("开放报名"), default=False)
    signup_deadline = models.DateTimeField(
        _("报名截止时间"), null=True, blank=True, help_text=_("留空则截止到开始时间")
    )
    status = StateField(
        _("状态"),
        max_length=10,
        choices=Status.choices,
        default=Status.PLANNED,
        protected=True,
        db_index=True,
    )
    cancel_reason = models.CharField(_("取消原因"), max_length=200, blank=True)
    minutes = models.TextField(_("会议记录"), blank=True)
    held_at = models.DateTimeField(_("确认召开时间"), null=True, blank=True)
    # An occurrence of a recurring series (docs/gatherings.md "Recurrence"): its day in the rule, unique
    # per series (the clock may materialise it any number of times); `series_edited` once it was changed on
    # its own, so that a change of the series leaves it as it is.
    series = models.ForeignKey(
        "gatherings.Series",
        verbose_name=_("所属周期性活动"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="occurrences",
    )
    occurrence_on = models.DateField(_("周期日期"), null=True, blank=True)
    series_edited = models.BooleanField(_("已单独修改"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submission = submission_field()  # the form's token: posted twice, one gathering (portal/submissions.py)

    scope_path = "area__path"
    state_field = "status"
    view_permission = "gatherings.view"
    start_label = _("发布会议活动")
    # The worklist: a planned gathering that has begun awaits those who manage it — mark it held (or cancel
    # it); before it begins nothing is due (pending_q). Waiting since its start.
    pending_steps = ("mark_held",)
    pending_related = ("area",)
    pending_order = ("starts_at", "pk")
    pending_since = "starts_at"

    class Meta:
        verbose_name = _("会议活动")
        verbose_name_plural = _("会议活动")
        ordering = ["-starts_at", "-pk"]
        indexes = [models.Index(fields=["kind", "starts_at"]), models.Index(fields=["status", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="gathering_ends_after_start",
                violation_error_message=_("结束时间必须晚于开始时间。"),
            ),
            models.UniqueConstraint(
                fields=["series", "occurrence_on"],
                condition=models.Q(series__isnull=False),
                name="unique_series_occurrence",
            ),
            one_per_submission("organizer", "one_gathering_per_submission"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def kind_label(self):
        return kind_label(self.kind)

    @property
    def kind_icon(self) -> str:
        kind = get_kind(self.kind)
        return kind.icon if kind else "calendar-event"

    @property
    def needs_check_in_code(self) -> bool:
        """Whether a person checks in themselves only with the code shown on site (the kind's rule)."""
        kind = get_kind(self.kind)
        return bool(kind and kind.code_check_in)

    @property
    def effective_signup_deadline(self):
        return self.signup_deadline or self.starts_at

    def signup_is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.status == Status.PLANNED and self.signup_open and now <= self.effective_signup_deadline

    def check_in_is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.status != Status.CANCELLED and self.starts_at - CHECK_IN_EARLY <= now <= self.ends_at

    def check_out_is_open(self, now=None) -> bool:
        """Whether one who checked in may still check out (until two hours after the end)."""
        now = now or timezone.now()
        return self.status != Status.CANCELLED and now <= self.ends_at + CHECK_OUT_LATE

    def has_started(self, now=None) -> bool:
        return (now or timezone.now()) >= self.starts_at

    def get_absolute_url(self) -> str:
        return reverse("gatherings:detail", args=[self.pk])

    @classmethod
    def visible_to(cls, user) -> models.QuerySet:
        """Wider than the subtree rule (public gatherings of the areas above, invitations): selectors."""
        from grassroots.gatherings.selectors import visible_to

        return visible_to(user).select_related("area")

    @classmethod
    def pending_q(cls, user) -> models.Q:
        """`mark_held`'s condition as a filter: only a gathering that has begun is due."""
        return super().pending_q(user) & models.Q(starts_at__lte=timezone.now())

    def pending_title(self) -> str:
        return str(
            _("确认召开：%(title)s（%(area)s，%(starts)s）")
            % {
                "title": self.title,
                "area": self.area.name,
                "starts": timezone.localtime(self.starts_at).strftime("%Y-%m-%d %H:%M"),
            }
        )

    # --- steps (taken only through grassroots.workflow.services.transition) ------------------------------
    @transition(
        field=status,
        source=Status.PLANNED,
        target=Status.HELD,
        permission=may_manage,
        conditions=[Check(lambda g: g.has_started(), _("会议活动尚未开始。"))],
        custom=step(_("标记为已召开"), style="success", icon="check2-square"),
    )
    def mark_held(self, *, actor, comment=""):
        self.held_at = timezone.now()

    @transition(
        field=status,
        source=Status.PLANNED,
        target=Status.CANCELLED,
        permission=may_manage,
        custom=step(_("取消会议活动"), style="danger", icon="x-circle", comment_label=_("取消原因")),
    )
    def cancel(self, *, actor, comment=""):
        self.cancel_reason = comment[:200]

    def workflow_notices(self, name, *, actor, comment):
        if name == "cancel":
            people = list(self.participants.values_list("user_id", flat=True))
            return [Notice(people, _("会议活动已取消：%(title)s") % {"title": self.title})]
        return []


# What a participation loses when its person is forgotten: by a deletion request (privacy/parts.py, the
# row kept, linked to the pseudonymised account) or by the retention of closed gatherings' participant lists
# (services/retention.py, which also drops the link to the person).
PARTICIPANT_ERASED = {"absence_reason": ""}


class Participant(models.Model):
    """A person's relation to a gathering: invited and/or signed up, and whether they attended. `user` is
    empty once the retention of closed gatherings forgot who it was (the row stays for the counts)."""

    gathering = models.ForeignKey(Gathering, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("人员"),
        null=True,
        on_delete=models.CASCADE,
        related_name="gathering_participations",
    )
    invited_at = models.DateTimeField(_("邀请时间"), null=True, blank=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    signed_up_at = models.DateTimeField(_("报名时间"), null=True, blank=True)
    present = models.BooleanField(_("出席"), null=True, blank=True, help_text=_("空表示尚未登记"))
    absence_reason = models.CharField(_("缺席原因"), max_length=200, blank=True)
    checked_in_at = models.DateTimeField(_("签到时间"), null=True, blank=True)
    checked_out_at = models.DateTimeField(_("签退时间"), null=True, blank=True)
    attendance_recorded_at = models.DateTimeField(_("考勤登记时间"), null=True, blank=True)
    attendance_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    scope_path = "gathering__area__path"

    class Meta:
        verbose_name = _("参会人员")
        verbose_name_plural = _("参会人员")
        constraints = [
            models.UniqueConstraint(fields=["gathering", "user"], name="unique_gathering_participant"),
            models.CheckConstraint(
                condition=models.Q(checked_out_at__isnull=True)
                | models.Q(checked_in_at__isnull=False, checked_out_at__gt=models.F("checked_in_at")),
                name="participant_checks_out_after_in",
                violation_error_message=_("签退时间必须晚于签到时间。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.gathering} · {self.user}"

    @property
    def is_invited(self) -> bool:
        return self.invited_at is not None

    @property
    def is_signed_up(self) -> bool:
        return self.signed_up_at is not None

    @property
    def attended_hours(self) -> Decimal | None:
        """From check-in to check-out in hours, to one decimal (None until both are recorded)."""
        if self.checked_in_at is None or self.checked_out_at is None:
            return None
        seconds = Decimal((self.checked_out_at - self.checked_in_at).total_seconds())
        return (seconds / 3600).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


class Guest(models.Model):
    """A participant without an account: an organization (the property company, a unit concerned, the Party
    organization) or a named person (a resident representative). Listed on the gathering's page; no sign-up,
    no check-in, attendance not counted."""

    gathering = models.ForeignKey(Gathering, on_delete=models.CASCADE, related_name="guests")
    name = models.CharField(_("单位或姓名"), max_length=100)
    organization = models.CharField(
        _("所在单位"), max_length=100, blank=True, help_text=_("个人参会时填写其所在单位，可不填")
    )
    role = models.CharField(_("身份"), max_length=100, blank=True, help_text=_("如“物业公司”“居民代表”"))
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    scope_path = "gathering__area__path"

    class Meta:
        verbose_name = _("其他参会方")
        verbose_name_plural = _("其他参会方")
        ordering = ["pk"]
        # a name is listed once (the natural key: posted twice, the repeat is refused at `name`)
        constraints = [models.UniqueConstraint(fields=["gathering", "name"], name="one_guest_per_name")]

    def __str__(self) -> str:
        details = "，".join(x for x in (self.organization, self.role) if x)
        return f"{self.name}（{details}）" if details else self.name


class Decision(models.Model):
    """A decision taken at the gathering, with who carries it out and by when."""

    gathering = models.ForeignKey(Gathering, on_delete=models.CASCADE, related_name="decisions")
    text = models.TextField(_("决定事项"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("责任人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="gathering_decisions",
    )
    due_on = models.DateField(_("完成期限"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    submission = submission_field()  # the form's token: posted twice, one decision (portal/submissions.py)

    scope_path = "gathering__area__path"

    class Meta:
        verbose_name = _("决定事项")
        verbose_name_plural = _("决定事项")
        ordering = ["pk"]
        constraints = [one_per_submission("created_by", "one_gathering_decision_per_submission")]

    def __str__(self) -> str:
        return self.text[:50]


def photo_upload_to(instance: "Photo", filename: str) -> str:
    """gatherings/<year>/<month>/<random>.<ext> (no gathering id, no time: nothing to guess)."""
    return random_name("gatherings", filename)


class Photo(models.Model):
    """A photo of the gathering. Files live under MEDIA_ROOT and are served only through the scoped
    `gatherings:photo` view, never by their bare media URL."""

    gathering = models.ForeignKey(Gathering, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(_("照片"), upload_to=photo_upload_to)
    caption = models.CharField(_("说明"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    submission = submission_field()  # the form's token: posted twice, one photo (portal/submissions.py)

    scope_path = "gathering__area__path"

    class Meta:
        verbose_name = _("现场照片")
        verbose_name_plural = _("现场照片")
        ordering = ["pk"]
        constraints = [one_per_submission("uploaded_by", "one_gathering_photo_per_submission")]

    def __str__(self) -> str:
        return self.caption or self.image.name


class Series(models.Model):
    """A recurring gathering: what each occurrence is (the fields of a gathering, a time of day and a length)
    and when (a rule read by dateutil.rrule, `recurrence.py`). Occurrences are gatherings of their own,
    materialised by the clock up to GATHERINGS_SERIES_HORIZON_DAYS ahead (services/series.py); each is
    signed up for, held and cancelled as any gathering. Cancelling the series from a day sets
    `cancelled_from`: nothing on or after it is materialised, and the planned occurrences from it are
    cancelled."""

    kind = models.CharField(_("类型"), max_length=40, choices=kind_choices, validators=[validate_kind])
    title = models.CharField(_("名称"), max_length=200)
    area = models.ForeignKey(
        Area, verbose_name=_("所属区域"), on_delete=models.PROTECT, related_name="gathering_series"
    )
    organizer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("组织者"), on_delete=models.PROTECT, related_name="+"
    )
    party_org = models.ForeignKey(
        PartyOrg,
        verbose_name=_("组织党组织"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    place = models.CharField(_("地点"), max_length=200, blank=True)
    description = models.TextField(_("内容与议程"), blank=True)
    visibility = models.CharField(
        _("公开范围"), max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    capacity = models.PositiveIntegerField(
        _("每次名额"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("留空表示不限人数"),
    )
    signup_open = models.BooleanField(_("开放报名"), default=False)
    start_time = models.TimeField(_("开始时刻"))
    duration_minutes = models.PositiveIntegerField(_("时长（分钟）"), validators=[MinValueValidator(1)])
    # the rule
    frequency = models.CharField(_("重复方式"), max_length=20, choices=Frequency.choices)
    interval = models.PositiveSmallIntegerField(
        _("间隔"), default=1, validators=[MinValueValidator(1)], help_text=_("每几周或每几个月一次")
    )
    weekday = models.PositiveSmallIntegerField(_("星期几"), null=True, blank=True, choices=WEEKDAY_CHOICES)
    week_of_month = models.SmallIntegerField(
        _("第几个"), null=True, blank=True, choices=WEEK_OF_MONTH_CHOICES
    )
    day_of_month = models.PositiveSmallIntegerField(_("每月几日"), null=True, blank=True)
    starts_on = models.DateField(_("起始日期"))
    until = models.DateField(_("截止日期"), null=True, blank=True, help_text=_("含当日；留空则按次数或长期"))
    count = models.PositiveIntegerField(_("次数"), null=True, blank=True, help_text=_("从起始日期起共几次"))
    cancelled_from = models.DateField(_("自该日起取消"), null=True, blank=True)
    cancel_reason = models.CharField(_("取消原因"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    scope_path = "area__path"

    class Meta:
        verbose_name = _("周期性活动")
        verbose_name_plural = _("周期性活动")
        ordering = ["-pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def kind_label(self):
        return kind_label(self.kind)

    def rule(self) -> dict:
        return {
            "frequency": self.frequency,
            "starts_on": self.starts_on,
            "weekday": self.weekday,
            "week_of_month": self.week_of_month,
            "day_of_month": self.day_of_month,
            "interval": self.interval,
            "until": self.until,
            "count": self.count,
        }

    @property
    def rule_label(self) -> str:
        every = ""
        if self.frequency == Frequency.WEEKLY:
            unit = _("每周") if self.interval == 1 else _("每%(n)d周") % {"n": self.interval}
            every = f"{unit}{dict(WEEKDAY_CHOICES)[self.weekday]}"
        else:
            unit = _("每月") if self.interval == 1 else _("每%(n)d个月") % {"n": self.interval}
            if self.frequency == Frequency.MONTHLY_WEEKDAY:
                nth = dict(WEEK_OF_MONTH_CHOICES)[self.week_of_month]
                every = f"{unit}{nth}{dict(WEEKDAY_CHOICES)[self.weekday]}"
            else:
                every = f"{unit}" + str(_("%(d)d日") % {"d": self.day_of_month})
        return f"{every} {self.start_time:%H:%M}"
