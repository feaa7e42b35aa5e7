from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from grassroots.accounts.roles import OFFICIAL_ROLES, Role
from grassroots.areas.models import Area


class User(AbstractUser):
    """A person who signs in: resident, Party member, worker or official. What they may do comes from
    their `RoleGrant`s, never from Django's is_staff/groups (is_superuser stays for the Django admin)."""

    full_name = models.CharField(_("姓名"), max_length=50, blank=True)
    phone = models.CharField(_("手机号"), max_length=20, blank=True)
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
        """The user's live grants with their areas, loaded once per request."""
        if not hasattr(self, "_grants_cache"):
            self._grants_cache = list(
                self.grants.select_related("area").filter(area__retired=False).order_by("area__path")
            )
        return self._grants_cache

    @property
    def is_official(self) -> bool:
        return any(g.role in OFFICIAL_ROLES for g in self.grants_cached())


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
