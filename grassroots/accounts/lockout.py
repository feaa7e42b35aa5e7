"""What a locked-out sign-in gets (django-axes calls `lockout_response`; settings.AXES_LOCKOUT_CALLABLE): the
login page again, with a clear message in the user's language (a session stuck at the two-factor step is
signed out), or for the API a JSON refusal; status 429 with Retry-After. The limits themselves are settings
(AXES_FAILURE_LIMIT, AXES_COOLOFF_TIME); repeated lockouts last longer (lockout_growth.py), and the message
and Retry-After give this lock's own length."""

from __future__ import annotations

import math
from datetime import timedelta

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_client_username
from django.contrib.auth import logout
from django.contrib.auth.forms import AuthenticationForm
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext

from grassroots.accounts.lockout_growth import request_cool_off


def lockout_message(cool_off: timedelta) -> str:
    minutes = max(1, math.ceil(cool_off.total_seconds() / 60))
    return gettext(
        "登录失败次数过多，该账号或您所在的网络已被暂时锁定。请 %(minutes)d 分钟后再试，或请系统管理员解锁。"
    ) % {"minutes": minutes}


def locked_message(request, username: str) -> str:
    """The message for a sign-in step refused while locked (after `is_locked_out` said so)."""
    return lockout_message(request_cool_off(request, username))


def is_locked_out(request, username: str) -> bool:
    """Is sign-in refused now for this account or for the request's address?"""
    return AxesProxyHandler.is_locked(request, credentials={"username": username})


def record_failure(request, username: str) -> None:
    """Count a failed step (a wrong one-time code) towards the same limits as a wrong password, without
    sending `user_login_failed` again (the two-factor step writes its own audit event)."""
    AxesProxyHandler.user_login_failed(sender=__name__, credentials={"username": username}, request=request)


def lockout_response(request, original_response=None, credentials=None):
    cool_off = request_cool_off(request, get_client_username(request, credentials))
    message = lockout_message(cool_off)
    retry_after = str(int(cool_off.total_seconds()))
    if request.path_info.startswith("/api/"):
        # the one shape of API errors (grassroots/api/errors.py)
        response = JsonResponse({"detail": message, "code": "locked_out", "errors": {}}, status=429)
    else:
        if getattr(request, "user", None) is not None and request.user.is_authenticated:
            logout(request)  # locked at the two-factor step: the password-only session ends too
        form = AuthenticationForm(request)
        context = {"form": form, "next": request.POST.get("next", ""), "lockout_message": message}
        response = render(request, "accounts/login.html", context, status=429)
    response["Retry-After"] = retry_after
    return response
