"""The limit on check-in codes typed at environmental actions (a code is six digits: a guesser is slowed
down). DRF's throttle on the project's cache, keyed by the signed-in person; the rate is
settings.VIRTUE_CHECK_IN_RATE ("10/min" by default)."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework.exceptions import Throttled
from rest_framework.throttling import SimpleRateThrottle

DEFAULT_RATE = "10/min"


class CheckInCodeThrottle(SimpleRateThrottle):
    scope = "virtue_check_in_code"

    def get_rate(self):
        return getattr(settings, "VIRTUE_CHECK_IN_RATE", None) or DEFAULT_RATE

    def get_cache_key(self, request, view):
        user = getattr(request, "user", None)
        ident = user.pk if user is not None and user.is_authenticated else self.get_ident(request)
        return f"virtue-check-in-code:{ident}"


def check(request) -> None:
    """Count one attempt; raises Throttled (429 with a Chinese message) past the rate."""
    throttle = CheckInCodeThrottle()
    if not throttle.allow_request(request, None):
        raise Throttled(wait=throttle.wait(), detail=_("操作过于频繁，请稍后再试。"))
