"""Where a person stands with the privacy notice (PIPL arts. 14–17), and what their account may reach
meanwhile. Read by the web middleware (middleware.py) and the API's permission (api.py).

A person's standing is their latest `Consent` row:

- `agreed`: to the current version (`notice.NOTICE_VERSION`), not withdrawn: the platform is open;
- `missing`: no row, or a row of an earlier version: accounts made or linked by officials (members whose
  records the branch entered or imported, accounts from /accounts/users/new/) and everyone after a new
  version of the notice: asked at their next request;
- `withdrawn`: they withdrew (art. 15): held back until they agree again.

Until they agree, the account reaches only the sign-in, sign-out and two-factor pages, the notice and
the consent page, their own data (page, downloads, API) and their own correction and deletion requests.
All this when PRIVACY_NOTICE_REQUIRED is on (the default when DEBUG is off, like REQUIRE_OFFICIAL_2FA): with
it off (development, the test suite) nobody is held back and no request pays the look-up.
"""

from __future__ import annotations

from django.conf import settings

from grassroots.privacy.models import Consent
from grassroots.privacy.notice import NOTICE_VERSION

AGREED, MISSING, WITHDRAWN = "agreed", "missing", "withdrawn"

# The pages open to a person who has not agreed (or withdrew): URL names (resolver's view_name).
OPEN_VIEWS = frozenset(
    {
        "accounts:login",
        "accounts:logout",
        "accounts:two_factor",
        "set_language",
        "portal:healthz",
        "portal:favicon",
        "api-token",
        "privacy:notice",
        "privacy:consent",
        "privacy:withdraw",
        "privacy:mine",
        "privacy:download_xlsx",
        "privacy:download_json",
        "privacy:submit",
        "privacy:request_detail",
    }
)


def latest(user) -> Consent | None:
    return Consent.objects.filter(user=user).order_by("-given_at", "-pk").first()


def standing(user) -> str:
    """AGREED, MISSING or WITHDRAWN (see the module's docstring); cached on the user for the request."""
    cached = getattr(user, "_privacy_standing", None)
    if cached is None:
        consent = latest(user)
        if consent is None or consent.version != NOTICE_VERSION:
            cached = MISSING if consent is None or consent.withdrawn_at is None else WITHDRAWN
        else:
            cached = WITHDRAWN if consent.withdrawn_at else AGREED
        user._privacy_standing = cached
    return cached


def held_back(user) -> str | None:
    """The reason this signed-in user may reach only the open pages (MISSING or WITHDRAWN), or None."""
    if not getattr(settings, "PRIVACY_NOTICE_REQUIRED", False):
        return None
    if user is None or not user.is_authenticated:
        return None
    result = standing(user)
    return None if result == AGREED else result
