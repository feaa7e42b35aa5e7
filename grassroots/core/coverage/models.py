"""Party coverage of emerging sectors (新兴领域覆盖): the entities (resettlement compounds, commercial
buildings, non-public enterprises, social organizations) and whether a Party organization covers each;
Party-building instructors sent to them with their visit log; cross-appointments between organizations;
service teams with the entities they serve and their service records."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grassroots.areas.models import Area, PartyOrg
from grassroots.portal.submissions import one_per_submission, submission_field


def own_branch_threshold() -> int:
    """Full members from which an entity should form its own branch (党章: 正式党员三人以上)."""
    return int(getattr(settings, "COVERAGE_OWN_BRANCH_MIN_FULL_MEMBERS", 3))


class EntityKind(models.TextChoices):
    RESETTLEMENT = "resettlement", _("安置小区")
    BUILDING = "building", _("商务楼宇")
    ENTERPRISE = "enterprise", _("非公有制企业")
    SOCIAL_ORG = "social_org", _("社会组织")


class CoverageStatus(models.TextChoices):
    OWN = "own", _("单独建立党组织")
    JOINT = "joint", _("联合建立党组织")
    INSTRUCTOR = "instructor", _("选派党建指导员覆盖")
    NONE = "none", _("未覆盖")


COVERED = (CoverageStatus.OWN, CoverageStatus.JOINT, CoverageStatus.INSTRUCTOR)


def should_form_branch_q(
    prefix: str = "", full: str = "full_members", threshold: int | None = None
) -> models.Q:
    """Entities with enough full members and no organization of their own (应单独建立党支部). `full` names
    the full-member count: the stored column, or `full_count` annotated by `selectors.with_counts`;
    `threshold`, the full members from which (`own_branch_threshold()` when not given)."""
    # The status test first: for an entity with its own branch the database then skips the count (a
    # subquery when `full` is the annotated count).
    return ~models.Q(**{f"{prefix}status": CoverageStatus.OWN}) & models.Q(
        **{f"{prefix}{full}__gte": own_branch_threshold() if threshold is None else threshold}
    )


def from_records_q(prefix: str = "") -> models.Q:
    """Entities with a branch of their own (单独建立党组织, its `party_org` set): the members registered to
    that organization (or to a branch or group right under it) are theirs. A jointly covered entity
    (联合建立) counts from the records too when members are linked to it as their workplace
    (`joint_from_records_q`, a subquery); the others' counts are typed by hand (手工填报)."""
    return models.Q(**{f"{prefix}status": CoverageStatus.OWN, f"{prefix}party_org__isnull": False})


# Members who left the organization's records: no longer counted.
GONE = ("transferred_out", "deceased", "left")  # members.MemberStatus.TRANSFERRED_OUT, DECEASED, LEFT


def workers_of(entity_ref) -> models.QuerySet:
    """The member records linked to an entity as their workplace, still on the records. `entity_ref` is an
    Entity, its id or an OuterRef."""
    from django.apps import apps

    member = apps.get_model("members", "Member")
    return member.objects.filter(workplace=entity_ref).exclude(status__in=GONE)


def joint_from_records_q() -> models.Q:
    """Jointly covered entities with at least one member linked to them: counted from those links."""
    return models.Q(status=CoverageStatus.JOINT) & models.Q(models.Exists(workers_of(models.OuterRef("pk"))))


class CountSource(models.TextChoices):
    RECORDS = "records", _("党员档案统计")
    MANUAL = "manual", _("手工填报")


class Entity(models.Model):
    name = models.CharField(_("名称"), max_length=150)
    kind = models.CharField(_("类型"), max_length=20, choices=EntityKind.choices, db_index=True)
    area = models.ForeignKey(Area, verbose_name=_("所在区域"), on_delete=models.PROTECT, related_name="+")
    address = models.CharField(_("地址"), max_length=200, blank=True)
    floor_area = models.DecimalField(
        _("建筑面积（平方米）"), max_digits=10, decimal_places=1, null=True, blank=True
    )
    employees = models.PositiveIntegerField(_("从业人员（或常住居民）数"), default=0)
    party_members = models.PositiveIntegerField(_("党员数"), default=0)
    full_members = models.PositiveIntegerField(_("其中正式党员数"), default=0)
    status = models.CharField(
        _("覆盖情况"),
        max_length=12,
        choices=CoverageStatus.choices,
        default=CoverageStatus.NONE,
        db_index=True,
    )
    party_org = models.ForeignKey(
        PartyOrg,
        verbose_name=_("所属党组织"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="covered_entities",
        help_text=_("单独建立或联合建立的党组织"),
    )
    note = models.TextField(_("备注"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    scope_path = "area__path"

    submission = submission_field()  # the form's token: posted twice, one entity (portal/submissions.py)

    class Meta:
        verbose_name = _("新兴领域单位")
        verbose_name_plural = _("新兴领域单位")
        ordering = ["area__path", "name"]
        indexes = [models.Index(fields=["status", "kind"])]
        constraints = [
            one_per_submission("created_by", "one_coverage_entity_per_submission"),
            models.CheckConstraint(
                condition=models.Q(full_members__lte=models.F("party_members")),
                name="coverage_full_members_within_members",
                violation_error_message=_("正式党员数不能多于党员数。"),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("coverage:entity_detail", args=[self.pk])

    @property
    def covered(self) -> bool:
        return self.status in COVERED

    @property
    def counts_from_records(self) -> bool:
        """Its members are counted from the records (its own branch's, or for a joint one those linked to it
        as their workplace), not typed by hand. `from_records` when annotated (`selectors.with_counts`)."""
        annotated = getattr(self, "from_records", None)
        if annotated is not None:
            return annotated
        if self.status == CoverageStatus.OWN:
            return self.party_org_id is not None
        return bool(self.status == CoverageStatus.JOINT and self.pk and workers_of(self.pk).exists())

    @property
    def count_source(self) -> str:
        return CountSource.RECORDS if self.counts_from_records else CountSource.MANUAL

    def get_count_source_display(self) -> str:
        return str(CountSource(self.count_source).label)

    @property
    def member_total(self) -> int:
        """Party members: `member_count` as annotated by `selectors.with_counts`, else the stored column."""
        return getattr(self, "member_count", self.party_members)

    @property
    def full_total(self) -> int:
        """Full members: `full_count` as annotated by `selectors.with_counts`, else the stored column."""
        return getattr(self, "full_count", self.full_members)

    @property
    def should_form_branch(self) -> bool:
        return self.full_total >= own_branch_threshold() and self.status != CoverageStatus.OWN


class StatusChange(models.Model):
    """The history of an entity's coverage: each status it took and when it took effect, written by the
    services that change it (services.py) — the monthly trend reads the status as it was at each month's end
    (providers._entities_by_month). Entities from before the history was kept start with their status of
    then, dated from their registration (migration 0002)."""

    entity = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="status_changes")
    status = models.CharField(_("覆盖情况"), max_length=12, choices=CoverageStatus.choices)
    since = models.DateTimeField(_("生效时间"), default=timezone.now)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    scope_path = "entity__area__path"

    class Meta:
        verbose_name = _("覆盖情况变更")
        verbose_name_plural = _("覆盖情况变更")
        ordering = ["entity", "since", "pk"]
        indexes = [models.Index(fields=["entity", "since"])]

    def __str__(self) -> str:
        return f"{self.entity_id} {self.status} {self.since:%Y-%m-%d}"


class Instructor(models.Model):
    """A Party-building instructor (党建指导员) sent by an organization to guide entities."""

    name = models.CharField(_("姓名"), max_length=50)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("平台账号"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    sent_by = models.ForeignKey(
        PartyOrg, verbose_name=_("选派党组织"), on_delete=models.PROTECT, related_name="instructors"
    )
    area = models.ForeignKey(Area, verbose_name=_("指导区域"), on_delete=models.PROTECT, related_name="+")
    position = models.CharField(_("原单位职务"), max_length=100, blank=True)
    appointed_on = models.DateField(_("选派日期"), default=timezone.localdate)
    ended_on = models.DateField(_("期满日期"), null=True, blank=True)
    entities = models.ManyToManyField(Entity, through="InstructorAssignment", related_name="instructors")

    scope_path = "area__path"

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submission = submission_field()  # the form's token: posted twice, one instructor (portal/submissions.py)

    class Meta:
        verbose_name = _("党建指导员")
        verbose_name_plural = _("党建指导员")
        ordering = ["area__path", "name"]
        constraints = [one_per_submission("created_by", "one_instructor_per_submission")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("coverage:instructor_detail", args=[self.pk])

    @property
    def active(self) -> bool:
        return self.ended_on is None or self.ended_on >= timezone.localdate()


class InstructorAssignment(models.Model):
    instructor = models.ForeignKey(Instructor, on_delete=models.CASCADE, related_name="assignments")
    entity = models.ForeignKey(
        Entity, verbose_name=_("指导单位"), on_delete=models.CASCADE, related_name="assignments"
    )
    starts_on = models.DateField(_("开始日期"), default=timezone.localdate)
    ends_on = models.DateField(_("结束日期"), null=True, blank=True)

    scope_path = "entity__area__path"

    class Meta:
        verbose_name = _("指导关系")
        verbose_name_plural = _("指导关系")
        constraints = [
            models.UniqueConstraint(
                fields=["instructor", "entity"],
                condition=models.Q(ends_on__isnull=True),
                name="coverage_one_open_assignment",
            )
        ]

    def __str__(self) -> str:
        return f"{self.instructor_id} → {self.entity_id}"


class InstructorVisit(models.Model):
    """One visit of an instructor to an entity (走访记录)."""

    instructor = models.ForeignKey(Instructor, on_delete=models.CASCADE, related_name="visits")
    entity = models.ForeignKey(
        Entity, verbose_name=_("走访单位"), on_delete=models.CASCADE, related_name="visits"
    )
    visited_on = models.DateField(_("走访日期"))
    content = models.TextField(_("指导内容"))
    issues = models.TextField(_("发现问题及建议"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    scope_path = "entity__area__path"

    class Meta:
        verbose_name = _("走访记录")
        verbose_name_plural = _("走访记录")
        ordering = ["-visited_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.visited_on} · {self.content[:30]}"


class CrossAppointment(models.Model):
    """双向交叉任职: a person holding a position in one organization and another in a second one (another
    Party organization, an entity, or a unit named in words) for a period."""

    person_name = models.CharField(_("姓名"), max_length=50)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("平台账号"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    org = models.ForeignKey(
        PartyOrg, verbose_name=_("本职所在党组织"), on_delete=models.PROTECT, related_name="+"
    )
    position = models.CharField(_("本职职务"), max_length=100)
    other_org = models.ForeignKey(
        PartyOrg,
        verbose_name=_("兼职党组织"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    other_entity = models.ForeignKey(
        Entity, verbose_name=_("兼职单位"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    other_name = models.CharField(_("兼职单位（其他）"), max_length=150, blank=True)
    other_position = models.CharField(_("兼任职务"), max_length=100)
    starts_on = models.DateField(_("任职开始"))
    ends_on = models.DateField(_("任职结束"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    scope_path = "org__area__path"

    class Meta:
        verbose_name = _("双向交叉任职")
        verbose_name_plural = _("双向交叉任职")
        ordering = ["-starts_on", "pk"]

    def __str__(self) -> str:
        return f"{self.person_name} · {self.position} / {self.other_position}"

    @property
    def other_label(self) -> str:
        if self.other_org_id:
            return self.other_org.name
        if self.other_entity_id:
            return self.other_entity.name
        return self.other_name


class ServiceTeam(models.Model):
    """组团服务: a team of members serving entities, with its service records."""

    name = models.CharField(_("服务团队"), max_length=100)
    area = models.ForeignKey(Area, verbose_name=_("所属区域"), on_delete=models.PROTECT, related_name="+")
    leader = models.CharField(_("团队负责人"), max_length=50, blank=True)
    description = models.TextField(_("服务内容"), blank=True)
    entities = models.ManyToManyField(
        Entity, verbose_name=_("服务单位"), blank=True, related_name="service_teams"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    scope_path = "area__path"

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submission = submission_field()  # the form's token: posted twice, one team (portal/submissions.py)

    class Meta:
        verbose_name = _("服务团队")
        verbose_name_plural = _("服务团队")
        ordering = ["area__path", "name"]
        constraints = [one_per_submission("created_by", "one_service_team_per_submission")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("coverage:team_detail", args=[self.pk])


class ServiceTeamMember(models.Model):
    team = models.ForeignKey(ServiceTeam, on_delete=models.CASCADE, related_name="members")
    name = models.CharField(_("姓名"), max_length=50)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    role = models.CharField(_("职务或专长"), max_length=100, blank=True)

    scope_path = "team__area__path"

    class Meta:
        verbose_name = _("团队成员")
        verbose_name_plural = _("团队成员")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name


class ServiceRecord(models.Model):
    team = models.ForeignKey(ServiceTeam, on_delete=models.CASCADE, related_name="records")
    entity = models.ForeignKey(
        Entity,
        verbose_name=_("服务单位"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="service_records",
    )
    served_on = models.DateField(_("服务日期"))
    content = models.TextField(_("服务内容"))
    participants = models.PositiveIntegerField(_("参与人数"), default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    scope_path = "team__area__path"

    class Meta:
        verbose_name = _("服务记录")
        verbose_name_plural = _("服务记录")
        ordering = ["-served_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.served_on} · {self.content[:30]}"
