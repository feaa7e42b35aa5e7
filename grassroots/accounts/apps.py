from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "grassroots.accounts"
    label = "accounts"
    verbose_name = _("账号与角色")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in, user_logged_out

        from grassroots.accounts import checks  # noqa: F401  (registers the system checks)
        from grassroots.accounts.figures import register_figures
        from grassroots.accounts.services import sessions

        register_figures()  # the one figure registry (grassroots/figures/registry.py)

        user_logged_in.connect(
            lambda sender, request, user, **kw: sessions.signed_in(user=user, request=request),
            weak=False,
            dispatch_uid="accounts.sessions.signed_in",
        )
        user_logged_out.connect(
            lambda sender, request, **kw: sessions.signed_out(request=request),
            weak=False,
            dispatch_uid="accounts.sessions.signed_out",
        )
        from grassroots.accounts.models import RoleGrant, User
        from grassroots.audit.registry import track, user_scope_path

        # People and their role grants in the change log: chosen fields only (never the password)
        track(
            User,
            include_fields=[
                "username",
                "full_name",
                "phone",
                "email",
                "home_area",
                "verified_at",
                "is_active",
                "is_superuser",
            ],
            # the one masking rule (accounts/pii.py): the log keeps 138****5678, never the full number
            mask_fields=["phone"],
            mask_callable="grassroots.accounts.pii.mask_phone",
            scope=user_scope_path,
        )
        track(RoleGrant, exclude_fields=["created_at"])
