from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect

from grassroots.gatherings import selectors
from grassroots.gatherings.models import Gathering


def get_manageable(request, pk) -> Gathering:
    """404 when the user cannot see the gathering; 403 when they can see it but not manage it."""
    gathering = selectors.get_visible_or_404(request.user, pk)
    if not selectors.can_manage(request.user, gathering):
        raise PermissionDenied
    return gathering


def error_messages(exc: ValidationError) -> list[str]:
    return list(exc.messages)


def back_to_detail(request, gathering: Gathering, *, error: ValidationError | None = None, success=None):
    if error is not None:
        for message in error_messages(error):
            messages.error(request, message)
    elif success:
        messages.success(request, success)
    return redirect("gatherings:detail", pk=gathering.pk)
