"""Rate limits of the voting steps that take a secret from outside: casting a ballot, entering a paper code,
checking a receipt. One limiter for pages and API alike (DRF's throttle on the project's cache), keyed by the
signed-in person or, for the code page that needs no sign-in, by the client's address (read as the sign-in
limits read it, accounts/addresses.py). Rates: settings.VOTING_RATE_LIMITS overrides DEFAULT_RATES."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework.exceptions import Throttled
from rest_framework.throttling import SimpleRateThrottle

from grassroots.accounts.addresses import client_ip

# A voter casts once and checks a receipt a few times; a code is typed a few times at most. Sixty codes an
# hour from one address still lets a community centre's kiosk take a hearing's paper voters.
DEFAULT_RATES = {"ballot": "10/min", "code": "60/hour", "receipt": "20/min"}


class VotingThrottle(SimpleRateThrottle):
    def __init__(self, scope: str):
        self.scope = scope
        super().__init__()

    def get_rate(self):
        return (getattr(settings, "VOTING_RATE_LIMITS", None) or {}).get(
            self.scope, DEFAULT_RATES[self.scope]
        )

    def get_cache_key(self, request, view):
        user = getattr(request, "user", None)
        ident = f"user:{user.pk}" if user is not None and user.is_authenticated else client_ip(request)
        return f"voting-throttle:{self.scope}:{ident or 'unknown'}"


def check(request, scope: str) -> None:
    """Count one attempt of `scope`; raises Throttled (429 with a Chinese message) past the rate."""
    throttle = VotingThrottle(scope)
    if not throttle.allow_request(request, None):
        raise Throttled(wait=throttle.wait(), detail=_("操作过于频繁，请稍后再试。"))
