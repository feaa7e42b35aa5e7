"""Personal identifiers — ID numbers and phone numbers — one rule for every page, API answer and export.

THE RULE. A person's ID number and phone number are shown masked (`5118**********1234`, `138****5678`) to
everyone, unless
1. the viewer is that person, or
2. the viewer holds `people.view_pii` ("查看完整身份证号和手机号": community secretaries and the officials
   above them, and a Party organization's secretary on its members) **on that person's record** and asks
   for the full values of it (a "查看完整信息" button, `?show=pii` on a page, `?unmasked=true` in the API, the
   unmasked choice of an export). Every such read is written to the audit trail: one access entry (查看) for
   one record, one export entry for a list or a file.

Searching by a phone or ID number is for holders of `people.view_pii` only (a search answers "is this the
number of someone here?"). Searches by number go by POST so that the number never reaches the access log
(see `grassroots.portal.search`).

Everything masks through `mask_phone` / `mask_id_number` here; everything decides through `may_unmask`.
"""

from __future__ import annotations

import hashlib
import hmac
import re

from django.conf import settings

from grassroots.access.scoping import has_perm, scope_paths
from grassroots.areas.subtree import lies_under

VIEW_PII = "people.view_pii"


def normalize_id_number(value: str) -> str:
    return (value or "").strip().upper().replace(" ", "")


def mask_id_number(value: str) -> str:
    """5118**********1234: the first four and the last four characters."""
    number = normalize_id_number(value)
    if len(number) < 8:
        return "*" * len(number)
    return number[:4] + "*" * (len(number) - 8) + number[-4:]


def mask_phone(value: str) -> str:
    """138****5678: the first three and the last four digits."""
    value = (value or "").strip()
    if len(value) < 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def normalize_phone(value: str) -> str:
    """A phone number as compared: without spaces and dashes."""
    return re.sub(r"[\s-]", "", value or "")


def phone_hash(value: str) -> str:
    """The keyed hash (HMAC-SHA256 under PERSONAL_DATA_HASH_KEY) that finds a record by its full phone number
    without decrypting anything — the stored number is encrypted (`grassroots.accounts.fields`). "" for no
    number. Only a whole number is found: a part of one cannot be hashed."""
    number = normalize_phone(value)
    if not number:
        return ""
    key = settings.PERSONAL_DATA_HASH_KEY.encode()
    return hmac.new(key, b"phone:" + number.encode(), hashlib.sha256).hexdigest()


def kept_phone(value: str, stored: str) -> str | None:
    """A phone number sent back on an edit (form or API) where the record's number is shown masked: the
    masked value unchanged keeps the stored number; any other value with a `*` in it (a half-masked one) is
    no number — None, for the caller to refuse at its field; else the value as sent."""
    value = (value or "").strip()
    if stored and value == mask_phone(stored):
        return stored
    if "*" in value:
        return None
    return value


def may_unmask(viewer, target) -> bool:
    """May `viewer` see the full identifiers of `target` (a person's record: a User, a Member… or the area
    or organization it belongs to)? Themself always; else `people.view_pii` on it."""
    if viewer is None or not getattr(viewer, "is_authenticated", False):
        return False
    if getattr(target, "pk", None) is not None and type(target) is type(viewer) and target.pk == viewer.pk:
        return True
    return has_perm(viewer, VIEW_PII, target)


def may_search_by_number(viewer) -> bool:
    """Searching people by a phone or ID number: only for those who may read such numbers somewhere."""
    return has_perm(viewer, VIEW_PII)


def user_paths(user) -> list[str]:
    """The area paths a user account belongs to: their home and the areas of their grants (loaded ones)."""
    paths = [user.home_area.path] if user.home_area_id and user.home_area is not None else []
    grants = getattr(user, "visible_grants", None)
    if grants is None:
        grants = user.grants_cached()
    return paths + [g.area.path for g in grants]


def may_unmask_user(viewer, user) -> bool:
    """`may_unmask` for a user account: themself, or `people.view_pii` on their home or on an area where
    they hold a role (the places that make them visible in `accounts.view` scopes)."""
    if viewer is None or not getattr(viewer, "is_authenticated", False):
        return False
    if viewer.pk == user.pk:
        return True
    allowed = scope_paths(viewer, VIEW_PII)
    return any(lies_under(path, allowed) for path in user_paths(user))


def shown_phone(value: str, *, unmasked: bool) -> str:
    return (value or "") if unmasked else mask_phone(value)


# --- the API's reads of full numbers ------------------------------------------------------------------------
def wants_unmasked(request) -> bool:
    """Did the API caller ask for full numbers (`?unmasked=true`)?"""
    return str(request.query_params.get("unmasked", "")).lower() in ("1", "true", "yes")


class UnmaskedReadsMixin:
    """For an API viewset whose serializer says per row whether its numbers are shown in full (`unmasked`,
    decided by the rule above when the context asks, `?unmasked=true`): a list page showing any full number
    is an export entry (`unmasked_export_label`, with how many rows), a record shown in full an access entry
    on it. Rows that are the caller's own (`is_own`) are not counted: one's own number is no disclosure."""

    unmasked_export_label = ""

    def is_own(self, row: dict) -> bool:
        return False

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "unmask": wants_unmasked(self.request)}

    def list(self, request, *args, **kwargs):
        from grassroots.audit.services import record_export

        response = super().list(request, *args, **kwargs)
        rows = response.data.get("results", []) if isinstance(response.data, dict) else response.data
        shown = sum(1 for row in rows if row.get("unmasked") and not self.is_own(row))
        if shown:  # a list of full numbers: an export entry, one per page
            label = str(self.unmasked_export_label)
            record_export(user=request.user, what=label, count=shown, unmasked=True, request=request)
        return response

    def retrieve(self, request, *args, **kwargs):
        from rest_framework.response import Response

        from grassroots.audit.actor import log_access

        record = self.get_object()
        data = self.get_serializer(record).data
        if data.get("unmasked") and not self.is_own(data):
            log_access(actor=request.user, instance=record)
        return Response(data)
