from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

SESSION_AREA_KEY = "active_area_path"


class CurrentAreaMiddleware:
    """Applies the working area the user picked in the header switcher to the scoping function."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated:
            path = request.session.get(SESSION_AREA_KEY)
            if path and any(path.startswith(g.area.path) for g in user.grants_cached()):
                user.active_area_path = path
            elif path:
                del request.session[SESSION_AREA_KEY]
        return self.get_response(request)


class OfficialTwoFactorMiddleware:
    """When REQUIRE_OFFICIAL_2FA is on, an official who has not confirmed a TOTP code this session can only
    reach the two-factor pages, logout and static files."""

    EXEMPT_PREFIXES = ("/accounts/", "/static/", "/healthz", "/i18n/", "/api/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            settings.REQUIRE_OFFICIAL_2FA
            and user.is_authenticated
            and user.is_official
            and not user.is_verified()
            and not request.path.startswith(self.EXEMPT_PREFIXES)
        ):
            return redirect(reverse("accounts:two_factor") + f"?next={request.path}")
        return self.get_response(request)
