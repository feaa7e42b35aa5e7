"""Self-governance (自治), the "451" model: opinions residents raise and support, and livelihood matters that
move through the five steps (collection → hearing → decision → execution → evaluation).
See docs/selfgov.md.

- `CommunitySetting`: a community's own numbers (support threshold, hearing notice, collection period);
  a community without a row takes the project's defaults (`settings.SELFGOV_DEFAULTS`).
- `Opinion` (意见): raised by a verified resident (online, a quick report on the phone, or recorded by a
  grid worker on their rounds); supported by others (`Support`, one per resident, unique in the database);
  grouped into a matter or rejected with a reason the submitter sees.
- `Matter` (民生事项): the five steps on the workflow mechanism; its hearing is a gathering of the hearing
  kind, its decision a vote of the voting mechanism.
- `HearingComment`: residents' comments online during the hearing period.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import transition

from grassroots.access.rules import roles_on
from grassroots.accounts.roles import COMMUNITY_STAFF, Role
from grassroots.areas.models import Area
from grassroots.files.naming import random_name
from grassroots.portal.submissions import one_per_submission, submission_field
from grassroots.selfgov.models_base import Comment
from grassroots.voting.models import Electorate, Majority
from grassroots.workflow.fields import StateField
from grassroots.workflow.models import Notice, WorkflowModel
from grassroots.workflow.permissions import Check, step

# Who takes the steps of opinions and matters: the community's workers and secretary, on the record's area.
community_staff = roles_on("area__path", *COMMUNITY_STAFF)
# Street officials check a finished matter's evaluation and may reopen it.
street_officials = roles_on("area__path", Role.STREET_OFFICIAL)


class Category(models.TextChoices):
    ENVIRONMENT = "environment", _("环境卫生")
    PARKING = "parking", _("停车交通")
    FACILITIES = "facilities", _("公共设施")
    SAFETY = "safety", _("安全隐患")
    PROPERTY = "property", _("物业管理")
    ELDERLY = "elderly", _("养老托幼")
    GREENING = "greening", _("绿化美化")
    OTHER = "other", _("其他")


class CommunitySetting(models.Model):
    """A community's numbers for self-governance; missing → the defaults of `settings.SELFGOV_DEFAULTS`."""

    area = models.OneToOneField(
        Area, verbose_name=_("社区"), on_delete=models.CASCADE, related_name="selfgov_setting"
    )
    support_percent = models.DecimalField(
        _("附议门槛（占已核验居民的百分比）"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("2"),
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("100"))],
    )
    hearing_notice_days = models.PositiveSmallIntegerField(
        _("听证会至少提前公告天数"), default=7, validators=[MaxValueValidator(90)]
    )
    collection_days = models.PositiveSmallIntegerField(
        _("意见征集期（天）"), default=14, validators=[MinValueValidator(1), MaxValueValidator(365)]
    )
    evaluation_days = models.PositiveSmallIntegerField(
        _("公开评议期（天）"), default=7, validators=[MinValueValidator(1), MaxValueValidator(60)]
    )
    satisfaction_percent = models.DecimalField(
        _("评议满意率门槛（%）"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("60"),
        validators=[MinValueValidator(Decimal("1")), MaxValueValidator(Decimal("100"))],
    )

    scope_path = "area__path"

    class Meta:
        verbose_name = _("自治参数")
        verbose_name_plural = _("自治参数")

    def __str__(self) -> str:
        return str(self.area)


class Channel(models.TextChoices):
    ONLINE = "online", _("居民提交")
    QUICK_REPORT = "quick_report", _("随手拍")
    ROUNDS = "rounds", _("网格员走访记录")


class OpinionState(models.TextChoices):
    SUBMITTED = "submitted", _("征集中")
    GROUPED = "grouped", _("已归入事项")
    REJECTED = "rejected", _("不予采纳")


class Opinion(WorkflowModel):
    """A resident's opinion. `area` is the courtyard (or the place) it concerns, `community` the community
    whose workers handle it (and whose threshold applies)."""

    community = models.ForeignKey(Area, verbose_name=_("社区"), on_delete=models.PROTECT, related_name="+")
    area = models.ForeignKey(Area, verbose_name=_("院落或地点"), on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("提出人"), on_delete=models.PROTECT, related_name="opinions"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("代为登记人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    channel = models.CharField(_("来源"), max_length=20, choices=Channel.choices, default=Channel.ONLINE)
    category = models.CharField(_("类别"), max_length=20, choices=Category.choices)
    text = models.TextField(_("意见内容"), max_length=2000)
    place = models.CharField(_("具体位置"), max_length=200, blank=True)
    latitude = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("经度"), max_digits=9, decimal_places=6, null=True, blank=True)
    state = StateField(
        _("状态"), max_length=20, choices=OpinionState.choices, default=OpinionState.SUBMITTED, protected=True
    )
    support_count = models.PositiveIntegerField(_("附议人数"), default=0, editable=False)
    # When the support count reached the community's threshold (the opinion then waits for the workers).
    threshold_reached_at = models.DateTimeField(_("达到附议门槛时间"), null=True, blank=True, editable=False)
    matter = models.ForeignKey(
        "Matter",
        verbose_name=_("归入事项"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="opinions",
    )
    reject_reason = models.TextField(_("不予采纳的理由"), blank=True)
    created_at = models.DateTimeField(_("提交时间"), default=timezone.now, db_index=True)
    submission = submission_field()  # the form's token: posted twice, one opinion (portal/submissions.py)

    scope_path = "area__path"
    view_permission = "selfgov.view"
    start_label = _("提交意见")
    pending_since = "threshold_reached_at"
    # An opinion awaits the community's staff once it has reached the support threshold (pending_q).
    pending_steps = ("reject",)
    pending_related = ("area",)
    pending_order = ("threshold_reached_at", "pk")

    class Meta:
        verbose_name = _("居民意见")
        verbose_name_plural = _("居民意见")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["community", "state", "-support_count"])]
        constraints = [one_per_submission("author", "one_opinion_per_submission")]

    def __str__(self) -> str:
        return self.text[:30]

    def get_absolute_url(self) -> str:
        return reverse("selfgov:opinion_detail", args=[self.pk])

    @classmethod
    def visible_to(cls, user):
        from grassroots.selfgov.selectors import visible_opinions

        return visible_opinions(user).select_related("area", "community")

    @classmethod
    def pending_q(cls, user) -> models.Q:
        return super().pending_q(user) & models.Q(threshold_reached_at__isnull=False)

    def pending_title(self) -> str:
        return str(_("附议达到门槛：%(text)s（%(area)s）") % {"text": self.text[:30], "area": self.area.name})

    @transition(
        field=state,
        source=OpinionState.SUBMITTED,
        target=OpinionState.GROUPED,
        permission=community_staff,
        conditions=[Check(lambda o: o.matter_id is not None, _("请先选择归入的事项。"))],
        custom=step(_("归入事项"), style="success", icon="collection"),
    )
    def group(self, *, actor, comment=""):
        pass

    @transition(
        field=state,
        source=OpinionState.SUBMITTED,
        target=OpinionState.REJECTED,
        permission=community_staff,
        custom=step(
            _("不予采纳"),
            style="danger",
            icon="x-circle",
            comment_required=True,
            comment_label=_("不予采纳的理由"),
        ),
    )
    def reject(self, *, actor, comment=""):
        self.reject_reason = comment

    def workflow_notices(self, name, *, actor, comment):
        if name == "reject":
            return [Notice([self.author], _("您的意见未被采纳：%(reason)s") % {"reason": comment[:100]})]
        if name == "group" and self.matter_id:
            return [Notice([self.author], _("您的意见已归入事项“%(title)s”") % {"title": self.matter.title})]
        return []


def opinion_photo_path(instance, filename: str) -> str:
    return random_name("selfgov", filename)


class OpinionPhoto(models.Model):
    opinion = models.ForeignKey(Opinion, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(_("照片"), upload_to=opinion_photo_path, max_length=255)

    scope_path = "opinion__area__path"

    class Meta:
        verbose_name = _("意见照片")
        verbose_name_plural = _("意见照片")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.image.name


class Support(models.Model):
    """One resident's support (附议) of an opinion: one per resident and opinion, enforced by the database."""

    opinion = models.ForeignKey(Opinion, on_delete=models.CASCADE, related_name="supports")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    scope_path = "opinion__area__path"

    class Meta:
        verbose_name = _("附议")
        verbose_name_plural = _("附议")
        constraints = [models.UniqueConstraint(fields=["opinion", "user"], name="selfgov_one_support")]

    def __str__(self) -> str:
        return f"{self.opinion_id} · {self.user_id}"


class MatterState(models.TextChoices):
    COLLECTION = "collection", _("意见征集")
    HEARING = "hearing", _("公开听证")
    DECISION = "decision", _("民主决策")
    EXECUTION = "execution", _("执行监督")
    EVALUATION = "evaluation", _("公开评议")
    DONE = "done", _("已办结")
    DROPPED = "dropped", _("未获通过")


# The five steps in order (the board's columns and the matter page's step bar).
STEPS = [
    MatterState.COLLECTION,
    MatterState.HEARING,
    MatterState.DECISION,
    MatterState.EXECUTION,
    MatterState.EVALUATION,
]


def _hearing_held(matter) -> bool:
    return matter.hearing is not None and matter.hearing.status == "held"


def _vote_closed(matter) -> bool:
    return matter.vote is not None and matter.vote.status == "closed"


def _vote_carried(matter) -> bool:
    return _vote_closed(matter) and matter.vote_carried()


class Matter(WorkflowModel):
    """A livelihood matter (民生事项) of a community or one of its courtyards (`area`: the residents
    concerned)."""

    community = models.ForeignKey(Area, verbose_name=_("社区"), on_delete=models.PROTECT, related_name="+")
    area = models.ForeignKey(Area, verbose_name=_("涉及范围"), on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("事项名称"), max_length=200)
    description = models.TextField(_("事项说明"), blank=True)
    category = models.CharField(_("类别"), max_length=20, choices=Category.choices)
    state = StateField(
        _("步骤"), max_length=20, choices=MatterState.choices, default=MatterState.COLLECTION, protected=True
    )
    collection_ends_at = models.DateTimeField(_("意见征集截止"))
    hearing = models.OneToOneField(
        "gatherings.Gathering",
        verbose_name=_("听证会"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="matter",
    )
    vote = models.OneToOneField(
        "voting.Vote",
        verbose_name=_("表决"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="matter",
    )
    # Steps 4-5: the execution's owner (a person, optionally a unit), budget and round (models_execution).
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("责任人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    owner_unit = models.CharField(_("责任单位"), max_length=100, blank=True)
    budget = models.DecimalField(
        _("预算（元）"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    # The execution-and-evaluation round: a poor evaluation or a street official's reopening starts the next.
    round = models.PositiveSmallIntegerField(_("轮次"), default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("创建人")
    )
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    # When the matter entered its current step (the board's durations).
    step_since = models.DateTimeField(_("进入本步骤时间"), default=timezone.now)
    submission = submission_field()  # the form's token: posted twice, one matter (portal/submissions.py)

    scope_path = "area__path"
    view_permission = "selfgov.view"
    start_label = _("立项征集意见")
    pending_since = "step_since"
    # Awaiting the community's staff (pending_q narrows each step to when something is due): a collection
    # past its period (hold the hearing), a hearing that has begun (call the vote), a vote counted (adopt
    # or drop), an execution with an overdue milestone (the clock alerts it too).
    pending_steps = ("open_hearing", "to_decision", "adopt", "not_adopted", "start_evaluation")
    pending_related = ("area",)
    pending_order = ("step_since", "pk")

    class Meta:
        verbose_name = _("民生事项")
        verbose_name_plural = _("民生事项")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["community", "state"])]
        constraints = [one_per_submission("created_by", "one_matter_per_submission")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("selfgov:matter_detail", args=[self.pk])

    @classmethod
    def visible_to(cls, user):
        from grassroots.selfgov.selectors import visible_matters

        return visible_matters(user).select_related("area", "community", "hearing", "vote")

    @classmethod
    def pending_q(cls, user) -> models.Q:
        now = timezone.now()
        due = (
            models.Q(state=MatterState.COLLECTION, collection_ends_at__lte=now)
            | models.Q(state=MatterState.HEARING, hearing__starts_at__lte=now)
            | models.Q(state=MatterState.DECISION, vote__status="closed")
            | models.Q(state=MatterState.EXECUTION) & models.Exists(overdue_milestones())
        )
        return super().pending_q(user) & due

    def pending_title(self) -> str:
        if self.state == MatterState.EXECUTION:
            return str(
                _("执行节点逾期：%(title)s（%(area)s）") % {"title": self.title, "area": self.area.name}
            )
        return str(
            _("%(step)s：%(title)s（%(area)s）")
            % {"step": self.state_label, "title": self.title, "area": self.area.name}
        )

    def vote_carried(self) -> bool:
        result = (self.vote.result or {}) if self.vote else {}
        return bool(result.get("quorum_met")) and any(o.get("carried") for o in result.get("options", [])[:1])

    @property
    def step_index(self) -> int:
        try:
            return STEPS.index(self.state)
        except ValueError:
            return len(STEPS)

    # --- steps (through grassroots.workflow.services.transition; the hearing and the vote are set by the
    # services that create them, see services/matters.py) --------------------------------------------------
    @transition(
        field=state,
        source=MatterState.COLLECTION,
        target=MatterState.HEARING,
        permission=community_staff,
        conditions=[Check(lambda m: m.hearing_id is not None, _("请先安排听证会。"))],
        custom=step(_("召开听证"), icon="megaphone"),
    )
    def open_hearing(self, *, actor, comment=""):
        self.step_since = timezone.now()

    @transition(
        field=state,
        source=MatterState.HEARING,
        target=MatterState.DECISION,
        permission=community_staff,
        conditions=[
            Check(_hearing_held, _("听证会尚未召开（请先在听证会页面标记为已召开）。")),
            Check(lambda m: m.vote_id is not None, _("请先发起表决。")),
        ],
        custom=step(_("提交表决"), icon="check2-square"),
    )
    def to_decision(self, *, actor, comment=""):
        self.step_since = timezone.now()

    @transition(
        field=state,
        source=MatterState.DECISION,
        target=MatterState.EXECUTION,
        permission=community_staff,
        conditions=[Check(_vote_carried, _("表决尚未结束或未获通过。"))],
        custom=step(_("表决通过，交付执行"), style="success", icon="hammer"),
    )
    def adopt(self, *, actor, comment=""):
        self.step_since = timezone.now()

    @transition(
        field=state,
        source=MatterState.DECISION,
        target=MatterState.DROPPED,
        permission=community_staff,
        conditions=[
            Check(_vote_closed, _("表决尚未结束。")),
            Check(lambda m: not m.vote_carried(), _("表决已通过，请交付执行。")),
        ],
        custom=step(_("表决未通过，终止事项"), style="danger", icon="x-circle"),
    )
    def not_adopted(self, *, actor, comment=""):
        self.step_since = timezone.now()

    # Steps 4-5 (services/execution.py, services/evaluation.py).
    @transition(
        field=state,
        source=MatterState.EXECUTION,
        target=MatterState.EVALUATION,
        permission=community_staff,
        conditions=[
            Check(lambda m: m.owner_id is not None, _("请先确定责任人和执行计划。")),
            Check(lambda m: m.plan_total() == 100, _("执行计划各节点的权重之和须为 100。")),
            Check(lambda m: m.progress() == 100, _("执行节点尚未全部完成。")),
        ],
        custom=step(_("执行完毕，开始评议"), icon="clipboard-check"),
    )
    def start_evaluation(self, *, actor, comment=""):
        from grassroots.selfgov.selectors import setting_for

        now = timezone.now()
        values = setting_for(self.community)
        Evaluation.objects.get_or_create(
            matter=self,
            round=self.round,
            defaults={
                "opens_at": now,
                "closes_at": now + timedelta(days=values["evaluation_days"]),
                "threshold": values["satisfaction_percent"],
            },
        )
        self.step_since = now

    # finish and reopen are taken by the clock (services.evaluation.close_due_evaluations) once the window
    # has closed and the round's result is counted: their conditions read that result.
    @transition(
        field=state,
        source=MatterState.EVALUATION,
        target=MatterState.DONE,
        permission=community_staff,
        conditions=[Check(lambda m: m.evaluation_outcome() is True, _("评议尚未结束或未达到满意率门槛。"))],
        custom=step(_("评议满意，办结"), style="success", icon="flag"),
    )
    def finish(self, *, actor, comment=""):
        self.step_since = timezone.now()

    @transition(
        field=state,
        source=MatterState.EVALUATION,
        target=MatterState.EXECUTION,
        permission=community_staff,
        conditions=[Check(lambda m: m.evaluation_outcome() is False, _("评议尚未结束或已达到满意率门槛。"))],
        custom=step(
            _("评议不满意，重新执行"),
            style="warning",
            icon="arrow-counterclockwise",
            comment_required=True,
            comment_label=_("不满意的原因"),
        ),
    )
    def reopen(self, *, actor, comment=""):
        self.round += 1
        self.step_since = timezone.now()

    @transition(
        field=state,
        source=MatterState.DONE,
        target=MatterState.EXECUTION,
        permission=street_officials,
        custom=step(
            _("街道复核，重新执行"),
            style="warning",
            icon="arrow-counterclockwise",
            comment_required=True,
            comment_label=_("重新执行的原因"),
        ),
    )
    def street_reopen(self, *, actor, comment=""):
        self.round += 1
        self.step_since = timezone.now()

    # --- the round's plan and evaluation (reads; the pages use selectors' annotations for lists) ---------
    def _round_milestones(self):
        return [m for m in self.milestones.all() if m.round == self.round]

    def plan_total(self) -> int:
        return sum(m.weight for m in self._round_milestones())

    def progress(self) -> int:
        """Percent of the round's plan done: the weights of its milestones done (they add up to 100)."""
        return sum(m.weight for m in self._round_milestones() if m.done_on is not None)

    def current_evaluation(self):
        return self.evaluations.filter(round=self.round).first()

    def evaluation_outcome(self) -> bool | None:
        """The current round's evaluation: True passed, False not, None not closed (or none)."""
        evaluation = self.current_evaluation()
        if evaluation is None or evaluation.closed_at is None:
            return None
        return bool(evaluation.passed)

    def workflow_notices(self, name, *, actor, comment):
        from grassroots.selfgov.selectors import concerned_residents

        messages = {
            "open_hearing": _("“%(title)s”将召开听证会，欢迎参加并在线发表意见"),
            "to_decision": _("“%(title)s”进入民主决策，请参加表决"),
            "adopt": _("“%(title)s”表决通过，进入执行"),
            "not_adopted": _("“%(title)s”表决未通过"),
            "start_evaluation": _("“%(title)s”执行完毕，请对办理结果进行评议"),
            "finish": _("“%(title)s”评议满意，已办结"),
            "reopen": _("“%(title)s”评议未达到满意率，重新执行"),
            "street_reopen": _("“%(title)s”经街道复核，重新执行"),
        }
        if name in messages:
            return [
                Notice(
                    concerned_residents(self).values_list("pk", flat=True),
                    messages[name] % {"title": self.title},
                )
            ]
        return []


# The electorates and majority rules a matter's decision may take (the forms' and the API's choices).
MATTER_ELECTORATES = [
    (e.value, e.label) for e in (Electorate.RESIDENTS, Electorate.HOUSEHOLDS, Electorate.REPRESENTATIVES)
]
MATTER_MAJORITIES = [(m.value, m.label) for m in (Majority.SIMPLE, Majority.TWO_THIRDS)]


class HearingComment(Comment):
    """A comment on a matter during its hearing period (from the hearing's announcement to its end)."""

    matter = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="hearing_comments")

    scope_path = "matter__area__path"

    class Meta(Comment.Meta):
        verbose_name = _("听证意见")
        verbose_name_plural = _("听证意见")


# The four systems, courtyard conventions and negotiations live in their own modules.
from grassroots.selfgov.models_conventions import (  # noqa: E402, F401
    Convention,
    ConventionAdoption,
    ConventionComment,
    ConventionState,
    Signature,
)
from grassroots.selfgov.models_execution import (  # noqa: E402, F401
    Evaluation,
    Milestone,
    ProgressUpdate,
    Rating,
    RatingLevel,
    Spending,
    SupervisionCheck,
    Supervisor,
    UpdatePhoto,
)
from grassroots.selfgov.models_negotiations import (  # noqa: E402, F401
    FollowUp,
    Negotiation,
    NegotiationParty,
    NegotiationSession,
    NegotiationState,
    PartyKind,
    Position,
)
from grassroots.selfgov.models_rulebooks import Rulebook, RulebookKind  # noqa: E402, F401


def overdue_milestones(today=None) -> models.QuerySet:
    """The milestones of a matter's current round past their planned date and not done (correlated to the
    outer matter: `Exists(overdue_milestones())`)."""
    today = today or timezone.localdate()
    return Milestone.objects.filter(
        matter=models.OuterRef("pk"),
        round=models.OuterRef("round"),
        done_on__isnull=True,
        planned_on__lt=today,
    )
