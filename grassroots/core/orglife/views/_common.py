from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from grassroots.core.orglife import rules
from grassroots.core.orglife.periods import YEAR, Period


def require_branch_side(request, branch) -> None:
    """403 for someone who may see the branch (else they got 404 already) but not fill in its forms."""
    if not rules.may_act_for(request.user, branch):
        raise PermissionDenied


def require_reviewer(request, branch) -> None:
    if not rules.may_review_for(request.user, branch):
        raise PermissionDenied


def period_from(request, default_unit: str = YEAR) -> Period:
    try:
        return Period.parse(request.GET.get("period", ""))
    except ValueError:
        return Period.of(default_unit, timezone.localdate())


def flash_errors(request, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)
