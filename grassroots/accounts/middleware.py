import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from django.utils.translation import gettext_lazy as _

from grassroots.areas.subtree import lies_under

SESSION_AREA_KEY = "active_area_path"
SESSION_SEEN_KEY = "last_seen"
# The session is written when the last request seen is older than this: not on every request.
SEEN_PRECISION = 60


class CurrentAreaMiddleware:
    """Applies the working area the user picked in the header switcher to the scoping function."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated:
            path = request.session.get(SESSION_AREA_KEY)
            if path and lies_under(path, [g.area.path for g in user.grants_cached()]):
                user.active_area_path = path
            elif path:
                del request.session[SESSION_AREA_KEY]
        return self.get_response(request)


class IdleTimeoutMiddleware:
    """Signs an official (and staff) out after SESSION_IDLE_TIMEOUT seconds without a request (MLPS 8.1.4.1:
    a session ends when idle), everyone else (residents, members) after SESSION_IDLE_TIMEOUT_RESIDENTS (a
    longer time; 0: the cookie's age only). The time of the last request is kept in the session, written at
    most once a minute. The next request after the timeout meets the sign-in page (the API: 401
    `session_expired`); the sign-out is in the audit trail like any."""

    def __init__(self, get_response):
        self.get_response = get_response

    @staticmethod
    def timeout_for(user) -> int:
        if not (
            getattr(settings, "SESSION_IDLE_TIMEOUT", 0)
            or getattr(settings, "SESSION_IDLE_TIMEOUT_RESIDENTS", 0)
        ):
            return 0  # both off: no need to read the user's grants
        console = user.is_official or user.is_staff or user.is_superuser
        name = "SESSION_IDLE_TIMEOUT" if console else "SESSION_IDLE_TIMEOUT_RESIDENTS"
        return int(getattr(settings, name, 0) or 0)

    def __call__(self, request):
        user = request.user
        timeout = self.timeout_for(user) if user.is_authenticated else 0
        if timeout:
            now = int(time.time())
            seen = request.session.get(SESSION_SEEN_KEY)
            if seen is not None and now - int(seen) > timeout:
                logout(request)
                return self.refuse(request)
            if seen is None or now - int(seen) >= SEEN_PRECISION:
                request.session[SESSION_SEEN_KEY] = now
        return self.get_response(request)

    @staticmethod
    def refuse(request):
        message = _("长时间未操作，已自动退出登录，请重新登录。")
        if request.path_info.startswith("/api/"):
            return JsonResponse({"detail": str(message), "code": "session_expired", "errors": {}}, status=401)
        messages.info(request, message)
        target = reverse("accounts:login") + "?" + urlencode({"next": request.get_full_path()})
        if request.headers.get("HX-Request"):
            response = HttpResponse(status=204)
            response["HX-Redirect"] = target
            return response
        return redirect(target)


class PasswordExpiryMiddleware:
    """A console account whose password is older than PASSWORD_MAX_AGE_DAYS (services/password_age.py) is
    sent to the password change page from every page but that one, sign-in/out, two-factor, the language
    switch and /healthz (htmx requests get an HX-Redirect). The API answers itself (permissions.py: 403
    `password_expired`), so API routes pass here."""

    OPEN_URL_NAMES = frozenset(
        {
            "accounts:login",
            "accounts:logout",
            "accounts:two_factor",
            "accounts:password_change",
            "accounts:password_change_done",
            "set_language",
            "portal:healthz",
            "portal:favicon",
            # the privacy notice holds back the password page (PrivacyNoticeMiddleware, after this one):
            # agreeing first, then the password, rather than each sending to the other
            "privacy:notice",
            "privacy:consent",
        }
    )

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from grassroots.accounts.services.password_age import password_expired

        if password_expired(request.user) and not self._open(request):
            messages.warning(request, _("您的密码已超过有效期，请修改密码后继续使用。"))
            target = reverse("accounts:password_change") + "?" + urlencode({"next": request.get_full_path()})
            if request.headers.get("HX-Request"):
                response = HttpResponse(status=204)
                response["HX-Redirect"] = target
                return response
            return redirect(target)
        return self.get_response(request)

    def _open(self, request) -> bool:
        static = settings.STATIC_URL if "://" not in settings.STATIC_URL else ""
        if static and request.path_info.startswith("/" + static.lstrip("/")):
            return True
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return True
        return match.view_name in self.OPEN_URL_NAMES or bool(getattr(match.func, "cls", None))


class OfficialTwoFactorMiddleware:
    """When REQUIRE_OFFICIAL_2FA is on, an official (see `services.two_factor.needs_two_factor`) who signed in
    with a password but has not confirmed a one-time code in this session reaches only: the login, logout and
    two-factor pages, static files, the language switch, /healthz and the API token endpoint. Every other
    page redirects to the two-factor page (htmx requests get an HX-Redirect); the API answers 403 to such a
    session (token clients carry no session user here: the token endpoint asks for the code itself)."""

    # The token endpoint checks the one-time code itself (see accounts/api.py).
    EXEMPT_URL_NAMES = (
        "accounts:login",
        "accounts:logout",
        "accounts:two_factor",
        "set_language",
        "portal:healthz",
        "portal:favicon",
        "api-token",
    )

    def __init__(self, get_response):
        self.get_response = get_response
        self._exempt: tuple[frozenset[str], tuple[str, ...]] | None = None

    def exempt(self) -> tuple[frozenset[str], tuple[str, ...]]:
        """(exact paths, path prefixes) open to a session that still owes its code."""
        if self._exempt is None:
            exact = set()
            for name in self.EXEMPT_URL_NAMES:
                try:
                    exact.add(reverse(name))
                except NoReverseMatch:
                    continue
            static = "/" + settings.STATIC_URL.lstrip("/") if "://" not in settings.STATIC_URL else ""
            self._exempt = (frozenset(exact), tuple(p for p in (static,) if p))
        return self._exempt

    def __call__(self, request):
        from grassroots.accounts.services.two_factor import needs_two_factor

        user = request.user
        if needs_two_factor(user) and not user.is_verified():
            exact, prefixes = self.exempt()
            path = request.path
            if path not in exact and not (prefixes and path.startswith(prefixes)):
                return self.refuse(request)
        return self.get_response(request)

    @staticmethod
    def refuse(request):
        target = reverse("accounts:two_factor") + "?" + urlencode({"next": request.get_full_path()})
        if request.path_info.startswith("/api/"):  # JSON clients cannot follow a redirect to a form
            return JsonResponse({"detail": str(_("请先完成两步验证。"))}, status=403)
        if request.headers.get("HX-Request"):
            response = HttpResponse(status=204)
            response["HX-Redirect"] = target
            return response
        return redirect(target)
