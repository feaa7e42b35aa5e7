"""Export the member list a user sees (the list page's filters) to xlsx, masked as on the screen, or
unmasked with members.export_unmasked. Every export is written to the audit log. Up to
`EXPORTS_SYNC_MAX_ROWS` (5,000) rows the file is made at once; larger exports run in the background and
their file is for the requester only (grassroots.imports.ExportJob)."""

from __future__ import annotations

from grassroots.imports.runner import start_export

KIND = "members"


def export_members(*, user, params: dict, unmasked: bool = False, request=None):
    """(open temporary file, filename) for a small export, else the queued `ExportJob`. Raises
    PermissionDenied without members.view (or members.export_unmasked when unmasked)."""
    return start_export(kind=KIND, user=user, params=params, unmasked=unmasked, request=request)
