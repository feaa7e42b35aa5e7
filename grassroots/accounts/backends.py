from django.conf import settings
from django.contrib.auth.backends import ModelBackend


class GrassrootsBackend(ModelBackend):
    """Django's model backend, except that demo accounts cannot sign in when DEBUG is off."""

    def user_can_authenticate(self, user) -> bool:
        if getattr(user, "is_demo", False) and not settings.DEBUG:
            return False
        return super().user_can_authenticate(user)
