"""社区事务准入制 (权随责走、费随事转): the catalog of affairs communities may be given
(`AdmittedAffair`), the requests of departments to add one (`AdmissionRequest`: street review → county
approval), and what each community carries (`CarriedAffair`, written when a task under an affair is issued to
it). See docs/admission.md."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import transition

from grassroots.access.rules import both, either, not_user, roles_at, roles_on, unset
from grassroots.access.scoping import scope_paths, scope_q
from grassroots.accounts.roles import COMMUNITY_STAFF, Role
from grassroots.areas.models import Area
from grassroots.areas.subtree import ancestor_paths, lies_under
from grassroots.portal.submissions import one_per_submission, submission_field
from grassroots.workflow.engine import TransitionRefused
from grassroots.workflow.fields import StateField
from grassroots.workflow.models import Notice, WorkflowModel
from grassroots.workflow.permissions import Check, step

NO_POWERS_OR_FUNDS = _(
    "权随责走、费随事转：须写明随事下放的权力和每个社区每年的工作经费，或写明免除的理由并经县级审批。"
)


class AffairQuerySet(models.QuerySet):
    def valid_on(self, day: date) -> AffairQuerySet:
        """Affairs in force on `day` (valid_to empty = open-ended)."""
        return self.filter(valid_from__lte=day).filter(
            models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=day)
        )


class AdmittedAffair(models.Model):
    """An affair of the catalog: the communities under `area` may be given tasks under it, together with the
    powers and the funds it names. `area` is the catalog it belongs to: the city or a county for affairs
    entered by the catalog keeper, the street whose review it passed for affairs admitted on request."""

    area = models.ForeignKey(
        Area, verbose_name=_("适用区域"), on_delete=models.PROTECT, related_name="admitted_affairs"
    )
    name = models.CharField(_("事项名称"), max_length=150)
    legal_basis = models.TextField(_("设立依据"))
    department = models.CharField(_("责任部门"), max_length=100)
    powers = models.TextField(_("随事下放的权力"), blank=True)
    funds_per_community = models.DecimalField(
        _("工作经费（元/社区/年）"), max_digits=12, decimal_places=2, default=0
    )
    valid_from = models.DateField(_("有效期自"))
    valid_to = models.DateField(_("有效期至"), null=True, blank=True, help_text=_("留空表示长期有效"))
    exemption_reason = models.TextField(
        _("免于随事下放权力或经费的理由"),
        blank=True,
        help_text=_("仅在确有理由不随事下放权力或拨付经费时填写，须经县级审批。"),
    )
    exemption_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("免除理由审批人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    exemption_approved_at = models.DateTimeField(_("免除理由审批时间"), null=True, blank=True)
    request = models.OneToOneField(
        "admission.AdmissionRequest",
        verbose_name=_("准入申请"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="affair",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AffairQuerySet.as_manager()
    scope_path = "area__path"

    submission = submission_field()  # the form's token: posted twice, one affair (portal/submissions.py)

    class Meta:
        verbose_name = _("准入事项")
        verbose_name_plural = _("准入事项")
        ordering = ["area__path", "name"]
        indexes = [models.Index(fields=["valid_from", "valid_to"], name="admission_affair_validity")]
        constraints = [one_per_submission("created_by", "one_admitted_affair_per_submission")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("admission:affair_detail", args=[self.pk])

    def is_valid_on(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or self.valid_to >= day)

    def covers(self, area: Area) -> bool:
        return lies_under(area.path, self.area.path)

    @property
    def complies(self) -> bool:
        """权随责走、费随事转: powers named and funds per community per year above 0, or a reason for going
        without them approved at the county. Affairs entered before the rule was enforced may not comply:
        they stay valid as records, flagged 不符合权随责走 on the catalog (docs/decisions.md)."""
        if self.exemption_reason.strip() and self.exemption_approved_at is not None:
            return True
        return bool(self.powers.strip()) and self.funds_per_community > 0

    @classmethod
    def visible_to(cls, user) -> models.QuerySet:
        """The catalog a user reads: affairs of the areas at and above their scope (they apply to it) and of
        the areas inside it. An affair admitted for another street's communities answers 404."""
        paths = scope_paths(user, "admission.view")
        if not paths:
            return cls.objects.none()
        above = ancestor_paths(paths, include_self=False)
        return cls.objects.filter(
            models.Q(area__path__in=above) | scope_q(user, "admission.view", "area__path")
        )


class RequestState(models.TextChoices):
    SUBMITTED = "submitted", _("待街道审核")
    REVIEWED = "reviewed", _("待县级审批")
    APPROVED = "approved", _("已纳入目录")
    REFUSED = "refused", _("未予准入")


street_reviewer = roles_on("area__path", Role.STREET_OFFICIAL)
# Nobody approves their own request.
county_approver = both(roles_on("area__path", Role.COUNTY_OFFICIAL), not_user("filed_by"))


class AdmissionRequest(WorkflowModel):
    """A department asks to hand an affair to the communities of a street: justification, legal basis,
    powers and funds → the street reviews → the county approves (the affair enters the catalog) or
    either refuses with a reason. The department is named in `department`; the person filing is a county or
    city official acting for it (`filed_by`)."""

    area = models.ForeignKey(
        Area, verbose_name=_("街道（乡镇）"), on_delete=models.PROTECT, related_name="admission_requests"
    )
    department = models.CharField(_("申请部门"), max_length=100)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("经办人"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("事项名称"), max_length=150)
    legal_basis = models.TextField(_("设立依据"))
    justification = models.TextField(_("申请理由"))
    powers = models.TextField(_("随事下放的权力"))
    funds_per_community = models.DecimalField(_("工作经费（元/社区/年）"), max_digits=12, decimal_places=2)
    exemption_reason = models.TextField(
        _("免于随事下放权力或经费的理由"),
        blank=True,
        help_text=_("仅在确有理由不随事下放权力或拨付经费时填写，须经县级审批。"),
    )
    valid_from = models.DateField(_("有效期自"))
    valid_to = models.DateField(_("有效期至"), null=True, blank=True)
    state = StateField(
        _("状态"), choices=RequestState.choices, default=RequestState.SUBMITTED, protected=True, db_index=True
    )
    submitted_at = models.DateTimeField(_("提交时间"), default=timezone.now)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("街道审核人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("街道审核时间"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("决定人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("决定时间"), null=True, blank=True)
    refusal_reason = models.TextField(_("不予准入的理由"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    scope_path = "area__path"
    view_permission = "admission.view"
    start_label = _("提交申请")
    pending_since = "waiting_since"
    pending_steps = ("review", "refuse_at_street", "approve", "refuse")
    pending_related = ("area",)
    pending_order = ("submitted_at", "pk")

    submission = submission_field()  # the form's token: posted twice, one request (portal/submissions.py)

    class Meta:
        verbose_name = _("准入申请")
        verbose_name_plural = _("准入申请")
        ordering = ["-submitted_at", "-pk"]
        constraints = [one_per_submission("filed_by", "one_admission_request_per_submission")]

    def __str__(self) -> str:
        return f"{self.name}（{self.department}）"

    def get_absolute_url(self) -> str:
        return reverse("admission:request_detail", args=[self.pk])

    # --- transitions ----------------------------------------------------------------------------------------
    @transition(
        field=state,
        source=RequestState.SUBMITTED,
        target=RequestState.REVIEWED,
        permission=street_reviewer,
        custom=step(
            _("街道审核通过，报县级审批"), style="success", icon="check2", comment_label=_("审核意见")
        ),
    )
    def review(self, *, actor, comment=""):
        self.reviewed_by, self.reviewed_at = actor, timezone.now()

    @transition(
        field=state,
        source=RequestState.SUBMITTED,
        target=RequestState.REFUSED,
        permission=street_reviewer,
        custom=step(
            _("街道审核不同意"),
            style="outline-danger",
            icon="x-circle",
            comment_required=True,
            comment_label=_("不同意的理由"),
        ),
    )
    def refuse_at_street(self, *, actor, comment=""):
        self.reviewed_by, self.reviewed_at = actor, timezone.now()
        self.decided_by, self.decided_at, self.refusal_reason = actor, timezone.now(), comment

    @transition(
        field=state,
        source=RequestState.REVIEWED,
        target=RequestState.APPROVED,
        permission=county_approver,
        conditions=[Check(lambda r: r.complies, NO_POWERS_OR_FUNDS)],
        custom=step(_("批准准入"), style="success", icon="journal-check", comment_label=_("审批意见")),
    )
    def approve(self, *, actor, comment=""):
        self.decided_by, self.decided_at = actor, timezone.now()
        exempt = bool(self.exemption_reason.strip())
        AdmittedAffair.objects.create(
            area=self.area,
            name=self.name,
            legal_basis=self.legal_basis,
            department=self.department,
            powers=self.powers,
            funds_per_community=self.funds_per_community,
            exemption_reason=self.exemption_reason,
            # The county official approving the request approves the reason for going without (a step of
            # its own in the timeline: this one, by whom and when).
            exemption_approved_by=actor if exempt else None,
            exemption_approved_at=self.decided_at if exempt else None,
            valid_from=self.valid_from,
            valid_to=self.valid_to,
            request=self,
            created_by=actor,
        )

    @transition(
        field=state,
        source=RequestState.REVIEWED,
        target=RequestState.REFUSED,
        permission=county_approver,
        custom=step(
            _("不予准入"),
            style="outline-danger",
            icon="x-circle",
            comment_required=True,
            comment_label=_("不予准入的理由"),
        ),
    )
    def refuse(self, *, actor, comment=""):
        self.decided_by, self.decided_at, self.refusal_reason = actor, timezone.now(), comment

    # --- workflow hooks -------------------------------------------------------------------------------------

    @property
    def complies(self) -> bool:
        """Powers and funds named, or a reason for going without them (which the approval approves)."""
        if self.exemption_reason.strip():
            return True
        return bool(self.powers.strip()) and self.funds_per_community > 0

    @property
    def waiting_since(self):
        return (
            self.reviewed_at
            if self.state == RequestState.REVIEWED and self.reviewed_at
            else self.submitted_at
        )

    def pending_title(self) -> str:
        return str(_("社区事务准入申请：%(name)s（%(area)s）") % {"name": self.name, "area": self.area.name})

    def _officials(self, role: str) -> models.QuerySet:
        ancestors = ancestor_paths(self.area.path)
        return (
            get_user_model()
            .objects.filter(
                is_active=True,
                grants__role=role,
                grants__area__path__in=ancestors,
                grants__area__retired=False,
            )
            .distinct()
        )

    def workflow_notices(self, name: str, *, actor, comment: str):
        values = {"name": self.name, "department": self.department, "area": self.area.name}
        if name == "start":
            verb = _("%(department)s申请将“%(name)s”纳入%(area)s社区事务准入目录，请审核。")
            return [Notice(self._officials(Role.STREET_OFFICIAL), verb % values)]
        if name == "review":
            verb = _("%(area)s已审核同意“%(name)s”（%(department)s）的准入申请，请审批。")
            return [Notice(self._officials(Role.COUNTY_OFFICIAL), verb % values)]
        if name == "approve":
            return [Notice([self.filed_by], _("“%(name)s”已批准纳入社区事务准入目录。") % values)]
        if name in ("refuse", "refuse_at_street"):
            verb = _("“%(name)s”的准入申请未获同意：%(reason)s")
            return [Notice([self.filed_by], verb % {**values, "reason": comment})]
        return []


class CarriedAffair(models.Model):
    """A community carries `affair` in `year`: written when the first task under the affair is issued to it
    that year, with the affair's funds per community at that moment (费随事转). One row per community,
    affair and year, so sums over a subtree are one aggregate query."""

    area = models.ForeignKey(
        Area, verbose_name=_("社区"), on_delete=models.PROTECT, related_name="carried_affairs"
    )
    affair = models.ForeignKey(
        AdmittedAffair, verbose_name=_("准入事项"), on_delete=models.PROTECT, related_name="carriers"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    funds = models.DecimalField(_("随事经费（元）"), max_digits=12, decimal_places=2, default=0)
    created_at = models.DateTimeField(_("首次下达时间"), default=timezone.now)

    scope_path = "area__path"

    class Meta:
        verbose_name = _("社区承接事务")
        verbose_name_plural = _("社区承接事务")
        constraints = [
            models.UniqueConstraint(fields=["area", "affair", "year"], name="admission_carried_once_a_year")
        ]
        indexes = [models.Index(fields=["year", "area"], name="admission_carried_year")]

    def __str__(self) -> str:
        return f"{self.area} · {self.affair} · {self.year}"


class FundsState(models.TextChoices):
    ALLOTTED = "allotted", _("已下达")
    TRANSFERRED = "transferred", _("已拨付")
    RECEIVED = "received", _("已到账")


# Who moves the funds: the county (or city) allots and transfers; the community confirms receipt — or, for
# funds allotted to a street to pass on to its communities (街道统筹), the street's officials. A community's
# row the street allotted on (`source`: the street's row) is paid by that street's officials, the paying
# department, not by the county (whose money reached the street already).
funds_payer = either(
    both(unset("source"), roles_on("area__path", Role.COUNTY_OFFICIAL, Role.CITY_OFFICIAL)),
    roles_at("source__area", Role.STREET_OFFICIAL),
)
funds_receiver = either(roles_on("area__path", *COMMUNITY_STAFF), roles_at("area", Role.STREET_OFFICIAL))
# Who allots a street's received funds on to its communities: the street's officials (a grant on the street).
street_allotter = roles_at("area", Role.STREET_OFFICIAL)


class FundsTransfer(WorkflowModel):
    """费随事转, the ledger: the funds of `affair` for one community (`area`) in `year`, allotted (a document
    of the department) → transferred (paid, with the payment's document) → received (the community confirms
    it arrived). One row per affair, community and year. Allotted by `services.allot_funds`; the two steps
    by `services.transfer_funds` and `services.confirm_funds_received` (workflow transitions whose page
    has a form of its own: date and document)."""

    affair = models.ForeignKey(
        AdmittedAffair, verbose_name=_("准入事项"), on_delete=models.PROTECT, related_name="funds_transfers"
    )
    area = models.ForeignKey(
        Area, verbose_name=_("社区"), on_delete=models.PROTECT, related_name="funds_transfers"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    amount = models.DecimalField(_("金额（元）"), max_digits=12, decimal_places=2)
    department = models.CharField(_("拨付部门"), max_length=100)
    state = StateField(
        _("状态"), choices=FundsState.choices, default=FundsState.ALLOTTED, protected=True, db_index=True
    )
    allotted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("下达人"), on_delete=models.PROTECT, related_name="+"
    )
    allotted_at = models.DateTimeField(_("登记时间"), default=timezone.now)
    allotted_on = models.DateField(_("下达日期"))
    allot_document = models.CharField(_("下达文号"), max_length=100)
    transferred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("拨付经办人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    transferred_at = models.DateTimeField(_("拨付登记时间"), null=True, blank=True)
    transferred_on = models.DateField(_("拨付日期"), null=True, blank=True)
    transfer_document = models.CharField(_("拨付凭证号"), max_length=100, blank=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("确认到账人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    received_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    received_on = models.DateField(_("到账日期"), null=True, blank=True)
    source = models.ForeignKey(
        "self",
        verbose_name=_("来源（街道统筹经费）"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="passed_on",
        help_text=_("街道从其已到账的统筹经费中下达给社区时，记录来源"),
    )

    scope_path = "area__path"
    view_permission = "admission.view"
    start_label = _("下达经费")
    pending_since = "allotted_at"
    pending_steps = ("transfer", "receive")
    pending_related = ("area", "affair")
    pending_order = ("allotted_at", "pk")

    class Meta:
        verbose_name = _("随事经费")
        verbose_name_plural = _("随事经费台账")
        ordering = ["-year", "area__path", "affair__name"]
        constraints = [
            models.UniqueConstraint(fields=["affair", "area", "year"], name="admission_funds_once_a_year")
        ]
        indexes = [models.Index(fields=["year", "area", "state"], name="admission_funds_year")]

    def __str__(self) -> str:
        return f"{self.area} · {self.affair} · {self.year}"

    def get_absolute_url(self) -> str:
        return reverse("admission:funds_detail", args=[self.pk])

    @transition(
        field=state,
        source=FundsState.ALLOTTED,
        target=FundsState.TRANSFERRED,
        permission=funds_payer,
        custom=step(
            _("登记拨付"),
            style="success",
            icon="cash-coin",
            form_url=lambda f: reverse("admission:funds_transfer", args=[f.pk]),
        ),
    )
    def transfer(self, *, actor, comment=""):
        # Not a Check (that would hide the button that opens the step's form): the step's own form sets
        # these; a bare step (the generic button's comment only) is refused here.
        if not (self.transferred_on and self.transfer_document.strip()):
            raise TransitionRefused(_("请填写拨付日期和拨付凭证号。"), code="condition")
        self.transferred_by, self.transferred_at = actor, timezone.now()

    @transition(
        field=state,
        source=FundsState.TRANSFERRED,
        target=FundsState.RECEIVED,
        permission=funds_receiver,
        custom=step(
            _("确认到账"),
            style="success",
            icon="check2-circle",
            form_url=lambda f: reverse("admission:funds_receive", args=[f.pk]),
        ),
    )
    def receive(self, *, actor, comment=""):
        if self.received_on is None:
            raise TransitionRefused(_("请填写到账日期。"), code="condition")
        self.received_by, self.received_at = actor, timezone.now()

    def pending_title(self) -> str:
        values = {"name": self.affair.name, "area": self.area.name, "year": self.year}
        return str(_("随事经费：%(name)s（%(area)s，%(year)s 年度）") % values)

    def _staff(self) -> models.QuerySet:
        return (
            get_user_model()
            .objects.filter(
                is_active=True,
                grants__role__in=[*COMMUNITY_STAFF, Role.STREET_OFFICIAL],
                grants__area=self.area,
            )
            .distinct()
        )

    def workflow_notices(self, name: str, *, actor, comment: str):
        values = {"name": self.affair.name, "year": self.year, "amount": self.amount}
        if name == "start":
            verb = _("%(year)s 年度“%(name)s”随事经费 %(amount)s 元已下达。")
            return [Notice(self._staff(), verb % values)]
        if name == "transfer":
            verb = _("%(year)s 年度“%(name)s”随事经费 %(amount)s 元已拨付，请在到账后确认。")
            return [Notice(self._staff(), verb % values)]
        if name == "receive":
            verb = _("%(area)s已确认 %(year)s 年度“%(name)s”随事经费 %(amount)s 元到账。")
            people = [self.allotted_by] + ([self.transferred_by] if self.transferred_by else [])
            return [Notice(people, verb % {**values, "area": self.area.name})]
        return []
