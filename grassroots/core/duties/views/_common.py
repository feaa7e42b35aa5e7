"""Helpers shared by the duties pages."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from grassroots.access.scoping import has_perm


def require_view(user) -> None:
    if not has_perm(user, "duties.view"):
        raise PermissionDenied
