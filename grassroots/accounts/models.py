from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import transition

from grassroots.access.rules import is_user, roles_on
from grassroots.access.scoping import scope_q
from grassroots.accounts.fields import EncryptedPhoneField
from grassroots.accounts.pii import phone_hash
from grassroots.accounts.roles import COMMUNITY_STAFF, CONSOLE_ROLES, Role
from grassroots.areas.models import Area
from grassroots.areas.subtree import ancestor_paths
from grassroots.workflow.fields import StateField
from grassroots.workflow.models import Notice, WorkflowModel
from grassroots.workflow.permissions import Check, step

CREDENTIAL_FIELDS = frozenset({"password", "is_active"})


class UserQuerySet(models.QuerySet):
    """Bulk writes of a password or of `is_active` (admin actions, shells, data migrations) revoke the API
    tokens of the users they touch, like `User.save` does: no path around the one revocation service."""

    def update(self, **kwargs):
        if isinstance(kwargs.get("phone"), str):  # the number is encrypted: its lookup hash goes with it
            kwargs["phone_hash"] = phone_hash(kwargs["phone"])
        if CREDENTIAL_FIELDS.isdisjoint(kwargs):
            return super().update(**kwargs)
        from grassroots.accounts.services.tokens import credentials_changed

        with transaction.atomic(using=self.db):
            credentials_changed(users=self)  # before: the update may change which rows `self` selects
            return super().update(**kwargs)

    update.alters_data = True

    def bulk_update(self, objs, fields, batch_size=None):
        if CREDENTIAL_FIELDS.isdisjoint(fields):
            return super().bulk_update(objs, fields, batch_size=batch_size)
        from grassroots.accounts.services.tokens import credentials_changed

        objs = list(objs)
        with transaction.atomic(using=self.db):
            credentials_changed(users=[obj.pk for obj in objs])
            return super().bulk_update(objs, fields, batch_size=batch_size)

    bulk_update.alters_data = True


class GrassrootsUserManager(UserManager.from_queryset(UserQuerySet)):
    pass


class User(AbstractUser):
    """A person who signs in: resident, Party member, worker or official. What they may do comes from
    their `RoleGrant`s, never from Django's is_staff/groups (is_superuser stays for the Django admin)."""

    objects = GrassrootsUserManager()

    full_name = models.CharField(_("姓名"), max_length=50, blank=True)
    phone = EncryptedPhoneField(_("手机号"), max_length=20, blank=True)  # encrypted at rest
    phone_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)  # finds by number
    home_area = models.ForeignKey(
        Area,
        verbose_name=_("居住地址（院落或楼栋）"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="residents",
    )
    verified_at = models.DateTimeField(_("实名核验时间"), null=True, blank=True)
    is_demo = models.BooleanField(_("演示账号"), default=False, editable=False)
    # Set whenever a new password is saved, the account's first one included (save() below: create_user
    # and createsuperuser hash it without set_password); None: not since this field came (the account's
    # date_joined counts then). PASSWORD_MAX_AGE_DAYS is measured from it (services/password_age.py).
    password_changed_at = models.DateTimeField(_("密码修改时间"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def display_name(self) -> str:
        return self.full_name or self.username

    @property
    def identity_verified(self) -> bool:
        """Real-name verified by the community (note: django-otp owns `is_verified()` for two-factor)."""
        return self.verified_at is not None

    def grants_cached(self) -> list["RoleGrant"]:
        """The user's live grants with their areas, loaded once per request; each carries `root_areas`, how
        many root areas there are (the scoping function's "holds every area", without a query of its own)."""
        if not hasattr(self, "_grants_cache"):
            roots = Area.objects.filter(depth=1).order_by().values("depth").annotate(n=models.Count("pk"))
            self._grants_cache = list(
                self.grants.select_related("area")
                .filter(area__retired=False)
                .annotate(root_areas=models.Subquery(roots.values("n")))
                .order_by("area__path")
            )
        return self._grants_cache

    @property
    def is_official(self) -> bool:
        return any(g.role in CONSOLE_ROLES for g in self.grants_cached())

    def save(self, *args, **kwargs):
        # A new password (set_password: change, reset, admin, createsuperuser) or a disabled account ends
        # every API token of the user, whichever path made the change (docs/accounts.md, "API tokens").
        # Bulk writes (QuerySet.update / bulk_update) go through UserQuerySet to the same service.
        from grassroots.accounts.services.tokens import credentials_changed

        self.phone_hash = phone_hash(self.phone)
        if kwargs.get("update_fields") is not None and "phone" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "phone_hash"}
        # A new account's first password counts too: UserManager.create_user hashes it straight into
        # `password` (make_password), without set_password, so `_password` stays None then.
        password_changed = self._password is not None or (
            self._state.adding and bool(self.password) and self.password_changed_at is None
        )
        if password_changed:
            self.password_changed_at = timezone.now()
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "password_changed_at"}
        super().save(*args, **kwargs)
        if password_changed and self.has_usable_password():
            from grassroots.accounts.services.password_history import remember

            remember(self)
        if password_changed or not self.is_active:
            credentials_changed(users=[self.pk])


class ApiToken(models.Model):
    """A key for `Authorization: Token <key>` (services/tokens.py). Only a SHA-256 digest of the key is
    stored (the key is shown once, when issued); it expires `API_TOKEN_LIFETIME_DAYS` after issue and is
    deleted when revoked, when the password changes or when the account is disabled."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    digest = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(_("令牌开头"), max_length=8, editable=False)
    name = models.CharField(_("名称"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("签发时间"), default=timezone.now, editable=False)
    expires_at = models.DateTimeField(_("到期时间"), db_index=True)
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)

    class Meta:
        verbose_name = _("API 令牌")
        verbose_name_plural = _("API 令牌")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"

    @property
    def expired(self) -> bool:
        return self.expires_at <= timezone.now()


class RoleGrant(models.Model):
    """`user` holds `role` on `area` and its whole subtree."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="grants")
    role = models.CharField(_("角色"), max_length=30, choices=Role.choices)
    area = models.ForeignKey(Area, verbose_name=_("区域"), on_delete=models.PROTECT, related_name="grants")
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    scope_path = "area__path"

    class Meta:
        verbose_name = _("角色授权")
        verbose_name_plural = _("角色授权")
        constraints = [models.UniqueConstraint(fields=["user", "role", "area"], name="unique_role_grant")]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.area}"


# --- resident registration and real-name verification (services/verification.py) ---------------------------
class VerificationState(models.TextChoices):
    PENDING = "pending", _("待核验")
    VERIFIED = "verified", _("已核验")
    REJECTED = "rejected", _("已退回")


# Who may verify a resident: these roles on an area covering the resident's address.
VERIFIER_ROLES = COMMUNITY_STAFF | {Role.GRID_WORKER}
may_verify = roles_on("area__path", *VERIFIER_ROLES)
address_live = Check(lambda r: not r.area.retired, _("该地址已撤销，请居民修改地址后重新提交。"))


class ResidentVerification(WorkflowModel):
    """A resident's request for real-name verification by their community: name, phone and address (a
    courtyard, compound or building). pending → verified, or → rejected (with a reason) → resubmitted →
    pending. Verifying marks the user verified (`User.verified_at`)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("居民"),
        on_delete=models.CASCADE,
        related_name="verifications",
    )
    area = models.ForeignKey(
        Area, verbose_name=_("居住地址（院落或楼栋）"), on_delete=models.PROTECT, related_name="+"
    )
    full_name = models.CharField(_("姓名"), max_length=50)
    phone = EncryptedPhoneField(_("手机号"), max_length=20)  # encrypted at rest; never searched by
    state = StateField(
        _("状态"),
        choices=VerificationState.choices,
        default=VerificationState.PENDING,
        protected=True,
        db_index=True,
    )
    submitted_at = models.DateTimeField(_("提交时间"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("核验人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("核验时间"), null=True, blank=True)
    reason = models.TextField(_("退回理由"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    scope_path = "area__path"
    view_permission = "accounts.verify_resident"
    start_label = _("提交申请")
    pending_since = "waiting_since"
    pending_steps = ("verify", "reject", "resubmit")
    pending_related = ("area",)
    pending_order = ("submitted_at", "pk")

    class Meta:
        verbose_name = _("实名核验")
        verbose_name_plural = _("实名核验")
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(state__in=[VerificationState.PENDING, VerificationState.REJECTED]),
                name="one_open_verification_per_user",
            )
        ]
        indexes = [models.Index(fields=["state", "submitted_at"], name="accounts_verif_queue")]

    def __str__(self) -> str:
        return f"{self.full_name}（{self.area}）"

    def get_absolute_url(self) -> str:
        return reverse("accounts:verification_detail", args=[self.pk])

    # --- transitions ----------------------------------------------------------------------------------------
    @transition(
        field=state,
        source=VerificationState.PENDING,
        target=VerificationState.VERIFIED,
        permission=may_verify,
        conditions=[address_live],
        custom=step(_("核验通过"), style="success", icon="check-circle"),
    )
    def verify(self, *, actor, comment=""):
        now = timezone.now()
        self.decided_by, self.decided_at, self.reason = actor, now, ""
        user = self.user
        user.full_name, user.phone, user.home_area, user.verified_at = (
            self.full_name,
            self.phone,
            self.area,
            now,
        )
        user.save(update_fields=["full_name", "phone", "home_area", "verified_at"])

    @transition(
        field=state,
        source=VerificationState.PENDING,
        target=VerificationState.REJECTED,
        permission=may_verify,
        custom=step(
            _("退回"),
            style="outline-danger",
            icon="x-circle",
            comment_required=True,
            comment_label=_("退回理由"),
        ),
    )
    def reject(self, *, actor, comment=""):
        self.decided_by, self.decided_at, self.reason = actor, timezone.now(), comment

    @transition(
        field=state,
        source=VerificationState.REJECTED,
        target=VerificationState.PENDING,
        permission=is_user("user"),
        conditions=[address_live],
        custom=step(
            _("修改并重新提交"),
            icon="arrow-repeat",
            form_url=lambda record: reverse("accounts:verification_resubmit", args=[record.pk]),
        ),
    )
    def resubmit(self, *, actor, comment=""):
        self.submitted_at, self.decided_by, self.decided_at, self.reason = timezone.now(), None, None, ""

    # --- workflow hooks -------------------------------------------------------------------------------------
    @classmethod
    def visible_to(cls, user) -> models.QuerySet:
        """Verifiers in scope see the requests of their area; a resident sees their own."""
        if user is None or not user.is_authenticated:
            return cls.objects.none()
        return cls.objects.filter(scope_q(user, cls.view_permission, "area__path") | models.Q(user=user))

    @property
    def waiting_since(self):
        return self.decided_at if self.state == VerificationState.REJECTED else self.submitted_at

    def pending_title(self) -> str:
        return str(_("实名核验：%(name)s（%(area)s）") % {"name": self.full_name, "area": self.area.name})

    def verifiers(self) -> models.QuerySet:
        """The active users who may verify this request: a verifier role on the address or above it."""
        paths = ancestor_paths(self.area.path)
        return User.objects.filter(
            is_active=True,
            grants__role__in=VERIFIER_ROLES,
            grants__area__path__in=paths,
            grants__area__retired=False,
        ).distinct()

    def workflow_notices(self, name: str, *, actor, comment: str):
        if name == "start":
            verb = _("%(name)s 提交了实名核验申请（%(area)s），请核验。")
            return [Notice(self.verifiers(), verb % {"name": self.full_name, "area": self.area.name})]
        if name == "resubmit":
            verb = _("%(name)s 修改后重新提交了实名核验申请（%(area)s），请核验。")
            return [Notice(self.verifiers(), verb % {"name": self.full_name, "area": self.area.name})]
        if name == "verify":
            return [Notice([self.user], _("您的实名核验已通过，现在可以参与投票和签署。"))]
        if name == "reject":
            return [Notice([self.user], _("您的实名核验被退回：%(reason)s") % {"reason": comment})]
        return []


class AccountSession(models.Model):
    """A signed-in web session of an account (services/sessions.py): the index that lets the platform end
    the oldest when an account holds more than `SESSIONS_PER_ACCOUNT` at once. Only the session's key and
    when it began; the session's data stays in Django's session store."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="+"
    )
    session_key = models.CharField(max_length=40, unique=True)
    created_at = models.DateTimeField(_("登录时间"), default=timezone.now)

    class Meta:
        verbose_name = _("登录会话")
        verbose_name_plural = _("登录会话")
        default_permissions = ()

    def __str__(self) -> str:
        return f"{self.user_id} · {self.created_at:%Y-%m-%d %H:%M}"


class UsedPassword(models.Model):
    """A password an account had (its hash, as `User.password` stores it), for the history rule
    (validators.PasswordHistoryValidator): the last `PASSWORD_HISTORY_COUNT` cannot be chosen again."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="+"
    )
    password = models.CharField(max_length=128, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("历史密码")
        verbose_name_plural = _("历史密码")
        default_permissions = ()
        indexes = [models.Index(fields=["user", "-created_at"], name="accounts_usedpw_user_idx")]

    def __str__(self) -> str:  # never the hash
        return f"{self.user_id} · {self.created_at:%Y-%m-%d %H:%M}"
