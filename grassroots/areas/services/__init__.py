"""Every action that changes areas or Party organizations. Views, the REST API, imports and tests all call
these functions; none of them writes to the models directly.

Each function takes keyword-only arguments, runs in one transaction, checks that `actor` may act
(`actor=None` means the system itself: the demo loader, management commands) and raises
- `django.core.exceptions.PermissionDenied` when the actor lacks the permission (pages answer 403; callers
  load the record through the scoping function first, so outsiders already got 404),
- `django.core.exceptions.ValidationError` with a dict of field → Chinese messages when a rule is broken
  (fields: name, level, code, new_parent, parent, kind, area, secretary, cascade, or "__all__").
"""

from grassroots.areas.services.areas import UNSET, create_area, move_area, retire_area, update_area
from grassroots.areas.services.imports import import_workbook, run_import, start_import
from grassroots.areas.services.party_orgs import create_party_org, retire_party_org, update_party_org

__all__ = [
    "UNSET",
    "create_area",
    "create_party_org",
    "import_workbook",
    "move_area",
    "retire_area",
    "retire_party_org",
    "run_import",
    "start_import",
    "update_area",
    "update_party_org",
]
