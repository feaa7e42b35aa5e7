"""API tokens on the web: the user's own list (/accounts/tokens/) with a revoke button each, and revoking by
an admin from a user's page (services/tokens.py). A token of someone outside the viewer's
"accounts.change" scope answers 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from grassroots.accounts.models import ApiToken
from grassroots.accounts.services.tokens import live_tokens, may_manage_tokens_of, revoke_token


@login_required
@require_GET
def my_tokens(request):
    return render(request, "accounts/tokens.html", {"tokens": live_tokens(request.user)})


@login_required
@require_POST
def token_revoke(request, pk: int):
    token = get_object_or_404(ApiToken.objects.select_related("user"), pk=pk)
    if not may_manage_tokens_of(request.user, token.user):
        raise Http404
    revoke_token(token=token)
    messages.success(request, _("已注销令牌 %(prefix)s…。") % {"prefix": token.prefix})
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("accounts:my_tokens")
