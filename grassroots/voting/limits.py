"""Rate limits of the voting steps that take a secret from outside: casting a ballot, entering a paper code,
checking a receipt. One limiter for pages and API alike (DRF's throttle on the project's cache), keyed by the
signed-in person or, for the code page that needs no sign-in, by the client's address (read as the sign-in
limits read it, accounts/addresses.py). Rates: settings.VOTING_RATE_LIMITS overrides DEFAULT_RATES.

Casting is limited twice: per person (`ballot`), and per client address (`ballot_address`) whoever is signed
in, so that many accounts voting from one address in a short time — one script holding many accounts — are
slowed down too. The address is the trusted-proxy client address the sign-in lockout uses (`client_ip`:
X-Forwarded-For only from settings.TRUSTED_PROXIES). Every caller of `check(request, "ballot")` — a vote's
page and `POST /api/votes/{id}/ballots/`, a campaign's page and `POST /api/campaign-votes/` — gets both."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework.exceptions import Throttled
from rest_framework.throttling import SimpleRateThrottle

from grassroots.accounts.addresses import client_ip

# A voter casts once and checks a receipt a few times; a code is typed a few times at most. Sixty codes an
# hour from one address still lets a community centre's kiosk take a hearing's paper voters.
# Thirty ballots a minute from one address: more than a community centre's kiosk or a household's shared
# connection casts, far less than a script cycling through bought or made-up accounts.
DEFAULT_RATES = {"ballot": "10/min", "ballot_address": "30/min", "code": "60/hour", "receipt": "20/min"}
# The scopes counted by the client's address too, beside the person: scope → the address's scope.
BY_ADDRESS = {"ballot": "ballot_address"}


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


class AddressThrottle(VotingThrottle):
    """Keyed by the client's address whoever is signed in; an address that cannot be read is not limited
    here (never one bucket for every unknown client), the person's own limit still is."""

    def get_cache_key(self, request, view):
        address = client_ip(request)
        return f"voting-throttle:{self.scope}:{address}" if address else None


def check(request, scope: str) -> None:
    """Count one attempt of `scope`; raises Throttled (429 with a Chinese message) past the rate."""
    throttle = VotingThrottle(scope)
    if not throttle.allow_request(request, None):
        raise Throttled(wait=throttle.wait(), detail=_("操作过于频繁，请稍后再试。"))
    if scope in BY_ADDRESS:
        throttle = AddressThrottle(BY_ADDRESS[scope])
        if not throttle.allow_request(request, None):
            raise Throttled(
                wait=throttle.wait(),
                detail=_(
                    "同一网络地址短时间内投票过于频繁，请稍后再试。如在社区服务点集中投票，请联系工作人员。"
                ),
            )
