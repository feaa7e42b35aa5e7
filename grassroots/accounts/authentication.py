"""The REST framework's authentication by API token (settings.REST_FRAMEWORK); tokens: services/tokens.py."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from grassroots.accounts.models import ApiToken
from grassroots.accounts.services.tokens import LAST_USED_PRECISION, digest


class ApiTokenAuthentication(TokenAuthentication):
    """`Authorization: Token <key>` against ApiToken: unknown, expired or revoked keys and disabled users
    are refused (401)."""

    model = ApiToken

    def authenticate_credentials(self, key):
        token = ApiToken.objects.select_related("user").filter(digest=digest(key)).first()
        if token is None or token.expired:
            raise exceptions.AuthenticationFailed(_("令牌无效或已过期，请重新申请。"))
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("账号已停用。"))
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at > LAST_USED_PRECISION:
            # a side effect of reading: written once the request's own work has committed
            pk = token.pk
            transaction.on_commit(lambda: ApiToken.objects.filter(pk=pk).update(last_used_at=now))
        return token.user, token
