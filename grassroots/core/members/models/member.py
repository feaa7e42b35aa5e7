"""The Party member's record: one person, one record, found by the keyed hash of the ID number."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.translation import gettext_lazy as _
from django_fsm import transition
from encrypted_fields.fields import EncryptedCharField

from grassroots import pinyin
from grassroots.areas.models import Area, PartyOrg
from grassroots.core.members.identity import mask_id_number, mask_phone
from grassroots.core.members.models import workflow_rules as rules
from grassroots.workflow.fields import StateField
from grassroots.workflow.models import WorkflowModel
from grassroots.workflow.permissions import Check, step


class Gender(models.TextChoices):
    MALE = "male", _("男")
    FEMALE = "female", _("女")


class Education(models.TextChoices):
    PRIMARY = "primary", _("小学及以下")
    JUNIOR = "junior", _("初中")
    SENIOR = "senior", _("高中、中专")
    COLLEGE = "college", _("大专")
    BACHELOR = "bachelor", _("本科")
    MASTER = "master", _("硕士")
    DOCTOR = "doctor", _("博士")


class MemberStatus(models.TextChoices):
    NORMAL = "normal", _("正常")
    MOBILE = "mobile", _("流动")
    LOST_CONTACT = "lost_contact", _("失联")
    FOUND = "found", _("已找到")
    TRANSFERRED_OUT = "transferred_out", _("已转出")
    DECEASED = "deceased", _("已故")
    # 出党: the member's relation ended by 退党 (leaving of their own will, or 劝退 not accepted), 除名 or
    # 开除党籍 (the Party Constitution, arts. 9 and 40), approved by the Party committee above the branch.
    LEFT = "left", _("已出党")


class TagKind(models.TextChoices):
    TAG = "tag", _("画像标签")
    SKILL = "skill", _("专业技能")
    CARE = "care", _("关爱情形")


# The badge's Bootstrap class of each status (members/_status_badge.html) and of each kind of tag (the list's
# tags); any other status or kind is grey.
STATUS_BADGES = {
    MemberStatus.NORMAL: "text-bg-success",
    MemberStatus.LOST_CONTACT: "text-bg-danger",
    MemberStatus.MOBILE: "text-bg-warning",
    MemberStatus.FOUND: "text-bg-warning",
}
TAG_BADGES = {TagKind.CARE: "text-bg-warning", TagKind.SKILL: "text-bg-primary"}


class MemberTag(models.Model):
    """A profile tag or skill (e.g. 老党员, 在职党员, 困难党员, 退役军人; 法律, 医疗, 教育); tags of kind
    `care` (独居, 患病, 生活困难) put a member on the care list."""

    name = models.CharField(_("名称"), max_length=30, unique=True)
    kind = models.CharField(_("类别"), max_length=10, choices=TagKind.choices, default=TagKind.TAG)

    class Meta:
        verbose_name = _("党员标签")
        verbose_name_plural = _("党员标签")
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def badge(self) -> str:
        return TAG_BADGES.get(self.kind, "text-bg-light")


# Fields counted by the data-completeness score (identify: what is missing on a record).
COMPLETENESS_FIELDS = (
    "phone",
    "education",
    "occupation",
    "work_unit",
    "home_area_id",
    "ethnicity",
    "joined_full_on",
)


def missing_of(values: Mapping) -> list[str]:
    """The COMPLETENESS_FIELDS a member's values (attname → value) leave empty; the date of becoming a full
    member is not missing while the member is probationary (it is that date which is not yet there)."""
    probationary = values.get("joined_full_on") is None
    return [
        f for f in COMPLETENESS_FIELDS if not values.get(f) and not (f == "joined_full_on" and probationary)
    ]


def completeness_of(values: Mapping) -> int:
    """The data-completeness score (0–100) of a member's values: the share of COMPLETENESS_FIELDS filled,
    the date of becoming a full member not counted while probationary."""
    counted = len(COMPLETENESS_FIELDS) - (values.get("joined_full_on") is None)
    return round(100 * (counted - len(missing_of(values))) / counted)


def derive(values: Mapping) -> dict:
    """The stored derived fields of a member from its values (attname → value: at least name, id_number,
    phone and COMPLETENESS_FIELDS): the normalized ID number, its keyed hash, the masks, the pinyin initials
    and the completeness. `Member.fill_derived` and the importer (on plain values) both use it."""
    from grassroots.core.members.identity import lookup_hash, normalize_id_number

    number = normalize_id_number(values["id_number"])
    return {
        "id_number": number,
        "id_hash": lookup_hash(number),
        "id_masked": mask_id_number(number),
        "phone_masked": mask_phone(values["phone"] or ""),
        "pinyin_initials": pinyin.initials(values["name"]),
        "completeness": completeness_of(values),
    }


class ChoiceLabels:
    """`get_<field>_display()` as Django's, each field's labels looked up in a dict built once per process
    (still translated at each call): Django builds it again on every call, ~150 function calls — twice a row
    of the member list, once a row of the member page's study records (issue 19). For choice fields of plain
    values (not lists or dicts)."""

    _choice_labels: dict = {}  # field → {value: label}, shared by the models that mix this in

    def _get_FIELD_display(self, field) -> str:
        labels = ChoiceLabels._choice_labels.get(field)
        if labels is None:
            labels = ChoiceLabels._choice_labels[field] = dict(field.flatchoices)
        value = getattr(self, field.attname)
        return force_str(labels.get(value, value), strings_only=True)


class Member(ChoiceLabels, WorkflowModel):
    """A Party member. Belongs to a branch (`PartyOrg`), which puts the record in scope; lives at
    `home_area` (a courtyard or building). The ID number and the phone are stored encrypted; the keyed hash
    `id_hash` makes "one person, one record" a database constraint and finds a member by number."""

    name = models.CharField(_("姓名"), max_length=50)
    pinyin_initials = models.CharField(
        _("拼音首字母"), max_length=50, blank=True, db_index=True, editable=False
    )
    gender = models.CharField(_("性别"), max_length=6, choices=Gender.choices)
    ethnicity = models.CharField(_("民族"), max_length=20, default="汉族")
    birth_date = models.DateField(_("出生日期"))
    id_number = EncryptedCharField(_("身份证号"), max_length=18)
    id_hash = models.CharField(max_length=64, unique=True, editable=False)
    id_masked = models.CharField(_("身份证号"), max_length=18, editable=False)
    phone = EncryptedCharField(
        _("手机号"), max_length=20, blank=True, null=True
    )  # the field stores "" as NULL
    phone_masked = models.CharField(_("手机号"), max_length=20, blank=True, editable=False)
    education = models.CharField(_("学历"), max_length=10, choices=Education.choices, blank=True)
    occupation = models.CharField(_("职业"), max_length=50, blank=True)
    work_unit = models.CharField(_("工作单位"), max_length=100, blank=True)
    # The emerging-sector entity (新兴领域单位) the member works in: a jointly covered entity's Party members
    # are counted from these links (coverage.selectors.with_counts) rather than typed by hand.
    workplace = models.ForeignKey(
        "coverage.Entity",
        verbose_name=_("所在新兴领域单位"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="working_members",
    )
    in_service = models.BooleanField(_("在职党员"), default=False)
    home_area = models.ForeignKey(
        Area, verbose_name=_("居住地址"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    branch = models.ForeignKey(
        PartyOrg, verbose_name=_("所在党支部"), on_delete=models.PROTECT, related_name="members"
    )
    joined_probationary_on = models.DateField(_("入党时间（预备党员）"))
    joined_full_on = models.DateField(_("转正时间"), null=True, blank=True)
    status = StateField(
        _("状态"), choices=MemberStatus.choices, default=MemberStatus.NORMAL, protected=True, db_index=True
    )
    mobile_location = models.CharField(_("流动去向（现居住地）"), max_length=100, blank=True)
    mobile_work = models.CharField(_("流动去向（现工作单位）"), max_length=100, blank=True)
    dues_monthly = models.DecimalField(_("月交党费"), max_digits=8, decimal_places=2, default=0)
    tags = models.ManyToManyField(MemberTag, verbose_name=_("标签"), blank=True, related_name="members")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("平台账号"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="member",
    )
    completeness = models.PositiveSmallIntegerField(_("信息完整度"), default=0, editable=False)
    status_changed_at = models.DateTimeField(_("状态变更时间"), default=timezone.now)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    scope_path = "branch__area__path"
    scope_org = "branch"  # the branch's secretary (and those above it) hold their permissions here
    state_field = "status"
    view_permission = "members.view"
    pending_since = "status_changed_at"

    class Meta:
        verbose_name = _("党员")
        verbose_name_plural = _("党员")
        ordering = ["branch_id", "name"]
        indexes = [
            models.Index(fields=["branch", "status"]),
            # The member list's default order, covering: its page of keys is sorted from this index, not from
            # the rows (docs/performance.md, tier M).
            models.Index(fields=["branch", "name", "id"], name="members_member_list_order"),
            # The same order within a status, covering the name: the list filtered by status (?status=normal,
            # the worklists' default) reads its page of keys in order from here and stops after 30, and a name
            # search counts its matches from the index without the rows. At tier M the city's search read
            # 75,000 rows through the status index, then sorted the matches (docs/performance.md).
            models.Index(fields=["status", "branch", "name", "id"], name="members_member_status_order"),
            models.Index(fields=["status", "status_changed_at"]),
            models.Index(fields=["birth_date"]),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("members:detail", args=[self.pk])

    @property
    def status_badge(self) -> str:
        return STATUS_BADGES.get(self.status, "text-bg-secondary")

    @property
    def is_probationary(self) -> bool:
        return self.joined_full_on is None

    def age_on(self, day: date) -> int:
        return (
            day.year
            - self.birth_date.year
            - ((day.month, day.day) < (self.birth_date.month, self.birth_date.day))
        )

    @property
    def age(self) -> int:
        return self.age_on(timezone.localdate())

    def display_id_number(self, *, unmasked: bool) -> str:
        return self.id_number if unmasked else self.id_masked

    def display_phone(self, *, unmasked: bool) -> str:
        return self.phone if unmasked else self.phone_masked

    # Fields counted by the data-completeness score (identify: what is missing on a record).
    COMPLETENESS_FIELDS = COMPLETENESS_FIELDS

    def _completeness_values(self) -> dict:
        return {f: getattr(self, f) for f in COMPLETENESS_FIELDS}

    def missing_fields(self) -> list[str]:
        return missing_of(self._completeness_values())

    def compute_completeness(self) -> int:
        return completeness_of(self._completeness_values())

    def fill_derived(self) -> None:
        """Compute the stored derived fields (hash, masks, pinyin, completeness). `save()` calls it; bulk
        writers (the importer: `derive`, on a row's values without building a record) call it themselves
        before `bulk_create`."""
        values = {f: getattr(self, f) for f in ("name", "id_number", "phone", *COMPLETENESS_FIELDS)}
        for name, value in derive(values).items():
            setattr(self, name, value)

    def save(self, *args, **kwargs):
        self.fill_derived()
        super().save(*args, **kwargs)

    # --- status transitions (find 寻找; models/workflow_rules.py, docs/members.md) -----------------------
    # Never called directly: always `grassroots.workflow.services.transition(member, name, actor=…)`, or the
    # services in services/find.py that set the fields a step needs first.
    @transition(
        field=status,
        source=MemberStatus.NORMAL,
        target=MemberStatus.MOBILE,
        permission=rules.may_change_status,
        custom=step(_("登记为流动党员"), icon="geo", form_url=rules.mobile_form_url),
    )
    def mark_mobile(self, *, actor, comment=""):
        rules.require_mobile_location(self)
        self.status_changed_at = timezone.now()

    @transition(
        field=status,
        source=[MemberStatus.NORMAL, MemberStatus.MOBILE],
        target=MemberStatus.LOST_CONTACT,
        permission=rules.may_change_status,
        custom=step(
            _("登记为失联党员"),
            style="outline-danger",
            icon="question-circle",
            comment_required=True,
            comment_label=_("失联情况"),
        ),
    )
    def mark_lost_contact(self, *, actor, comment=""):
        self.status_changed_at = timezone.now()

    @transition(
        field=status,
        source=MemberStatus.LOST_CONTACT,
        target=MemberStatus.FOUND,
        permission=rules.may_change_status,
        conditions=[rules.reached_since_lost],
        custom=step(_("已找到"), style="success", icon="person-check"),
    )
    def mark_found(self, *, actor, comment=""):
        self.status_changed_at = timezone.now()

    @transition(
        field=status,
        source=[MemberStatus.FOUND, MemberStatus.MOBILE],
        target=MemberStatus.NORMAL,
        permission=rules.may_change_status,
        custom=step(_("恢复正常"), style="outline-success", icon="check-circle"),
    )
    def restore_normal(self, *, actor, comment=""):
        self.status_changed_at = timezone.now()
        self.mobile_location = self.mobile_work = ""

    @transition(
        field=status,
        source=[MemberStatus.NORMAL, MemberStatus.MOBILE, MemberStatus.LOST_CONTACT, MemberStatus.FOUND],
        target=MemberStatus.DECEASED,
        permission=rules.may_change_status,
        custom=step(
            _("登记去世"),
            style="outline-secondary",
            icon="flower1",
            comment_required=True,
            comment_label=_("去世日期及情况"),
        ),
    )
    def mark_deceased(self, *, actor, comment=""):
        """The death recorded: the record is closed, the linked account deactivated (services/departure.py)
        and the record pseudonymised after the deceased members' retention period."""
        self._depart(MemberStatus.DECEASED)

    @transition(
        field=status,
        source=[MemberStatus.NORMAL, MemberStatus.MOBILE, MemberStatus.LOST_CONTACT, MemberStatus.FOUND],
        target=MemberStatus.LEFT,
        permission=rules.may_change_status,
        custom=step(
            _("登记出党"),
            style="outline-danger",
            icon="person-x",
            comment_required=True,
            comment_label=_("出党方式（退党、除名或开除党籍）、批准组织和日期"),
        ),
    )
    def mark_left(self, *, actor, comment=""):
        """The member's relation ended (退党, 除名, 开除党籍), recorded after the Party committee above the
        branch approved it; the record is closed, the linked account deactivated (services/departure.py)
        and the record pseudonymised after the departed members' retention period (services/retention.py)."""
        self._depart(MemberStatus.LEFT)

    def _depart(self, status: str) -> None:
        from grassroots.core.members.services.departure import close_account

        self.status_changed_at = timezone.now()
        close_account(self, status=status)  # the step's target: the status is set when the body returns

    @transition(
        field=status,
        source=[MemberStatus.NORMAL, MemberStatus.MOBILE, MemberStatus.FOUND],
        target=MemberStatus.NORMAL,
        permission=rules.may_change_status,
        conditions=[Check(rules.is_receiving_transfer, _("请通过组织关系转接办理。"))],
        custom=step(_("转入本支部"), icon="box-arrow-in-right"),
    )
    def transfer_in(self, *, actor, comment=""):
        """Taken by `Transfer.receive` only (after it set the new branch): the member's relation is now in
        the new branch, and a mobile member's whereabouts are no longer "elsewhere"."""
        self.status_changed_at = timezone.now()
        self.mobile_location = self.mobile_work = ""


class NameCharacter(models.Model):
    """One Chinese character of a member's name: the search's index (`members.name_index`), written by the
    database's triggers on `members_member` only — never by Django, which does not know it as a relation
    (a member's delete removes its rows by trigger, not by Django's cascade)."""

    pk = models.CompositePrimaryKey("character", "member_id")
    character = models.CharField(max_length=1)
    member_id = models.BigIntegerField()

    class Meta:
        verbose_name = _("姓名用字")
        verbose_name_plural = _("姓名用字")

    def __str__(self) -> str:
        return f"{self.character} {self.member_id}"
