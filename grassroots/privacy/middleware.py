"""Holds back a signed-in person who has not agreed to the current privacy notice, or withdrew
(consent.py): every page but the open ones redirects to the consent page (htmx requests get an
HX-Redirect); API requests with a session get the API's 403 (`notice_not_agreed` / `consent_withdrawn`),
the same answer token clients get from the API's permission (api.py `NoticeAgreed`)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse

from grassroots.privacy import consent


def _open(request) -> bool:
    static = settings.STATIC_URL if "://" not in settings.STATIC_URL else ""
    if static and request.path_info.startswith("/" + static.lstrip("/")):
        return True
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return True  # a 404 says nothing
    return match.view_name in consent.OPEN_VIEWS or bool(getattr(match.func, "cls", None))


class PrivacyNoticeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        reason = consent.held_back(request.user)
        if reason is not None and not _open(request):
            return self.refuse(request, reason)
        return self.get_response(request)

    @staticmethod
    def refuse(request, reason: str):
        target = reverse("privacy:consent") + "?" + urlencode({"next": request.get_full_path()})
        if request.headers.get("HX-Request"):
            response = HttpResponse(status=204)
            response["HX-Redirect"] = target
            return response
        return redirect(target)
