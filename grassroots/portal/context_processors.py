"""What the layout needs on every page, computed lazily: a page that does not show the shell (e.g. an htmx
fragment) pays for nothing."""

from __future__ import annotations

from functools import cached_property

from django.urls import NoReverseMatch, reverse

from grassroots.accounts.roles import CONSOLE_ROLES, Role
from grassroots.areas.models import Area
from grassroots.portal import selectors
from grassroots.portal.navigation import nav_for, phone_links, uses_console


def _url(name: str) -> str | None:
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


class Shell:
    def __init__(self, request):
        self.request = request
        self.user = request.user

    @cached_property
    def console(self) -> bool:
        """Officials and workers get the console layout; residents the phone-first one."""
        return uses_console(self.user)

    @cached_property
    def nav(self):
        return nav_for(self.user, self.request.path)

    @cached_property
    def bottom_links(self):
        """The phone's bottom bar: the most used pages (navigation.phone_links), the rest under 更多."""
        return phone_links(self.nav)

    @cached_property
    def grant_areas(self) -> list[Area]:
        """The distinct areas of the user's grants, in tree order: the choices of the area switcher."""
        seen: dict[int, Area] = {}
        for grant in self.user.grants_cached():
            seen.setdefault(grant.area_id, grant.area)
        return sorted(seen.values(), key=lambda area: area.path)

    @cached_property
    def active_area(self) -> Area | None:
        path = getattr(self.user, "active_area_path", None)
        return next((a for a in self.grant_areas if a.path == path), None)

    @cached_property
    def show_switcher(self) -> bool:
        return len(self.grant_areas) > 1

    @cached_property
    def role_labels(self) -> list[str]:
        roles = {grant.role for grant in self.user.grants_cached()}
        return [str(role.label) for role in Role if role in roles]

    @cached_property
    def unread(self) -> int | None:
        return selectors.unread_count(self.user)

    @cached_property
    def notifications_url(self) -> str | None:
        return _url("workflow:notifications")

    @cached_property
    def password_change_url(self) -> str | None:
        return _url("accounts:password_change")

    @cached_property
    def two_factor_url(self) -> str | None:
        if not any(grant.role in CONSOLE_ROLES for grant in self.user.grants_cached()):
            return None
        return _url("accounts:two_factor")


def shell(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "shell": Shell(request),
        # kept for templates written against the first skeleton
        "shell_grants": user.grants_cached(),
        "shell_active_area": getattr(user, "active_area_path", None),
    }
