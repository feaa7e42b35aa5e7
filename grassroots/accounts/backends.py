from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models import Exists, OuterRef


class GrassrootsBackend(ModelBackend):
    """Django's model backend, except that demo accounts cannot sign in when DEBUG is off.

    The signed-in user of each request comes with `leads_party_org`: whether they are the secretary of a live
    Party organization (`PartyOrg.secretary`), read in the same query as the user (a subquery), so that the
    menu can show a branch secretary their entries without a query of its own on every page."""

    def get_user(self, user_id):
        from grassroots.areas.models import PartyOrg

        led = PartyOrg.objects.filter(secretary=OuterRef("pk"), retired=False)
        try:
            user = get_user_model()._default_manager.annotate(leads_party_org=Exists(led)).get(pk=user_id)
        except get_user_model().DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None

    def user_can_authenticate(self, user) -> bool:
        if getattr(user, "is_demo", False) and not settings.DEBUG:
            return False
        return super().user_can_authenticate(user)


class LockoutBackend(AxesStandaloneBackend):
    """django-axes' check, first in AUTHENTICATION_BACKENDS: refuses a locked-out account or address before
    any password is checked. A call without a request (a shell, a management command, the test client's
    `login()`) comes from no address an attacker controls and is let through to the next backend."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
